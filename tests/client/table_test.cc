#include "client/cli/table.h"

#include "gtest/gtest.h"

namespace augur {
namespace {

TEST(TextTable, AlignsColumnsToWidestCell) {
  TextTable table({"trial", "state", "loss"});
  table.AlignRight(2);
  table.AddRow({"1", "SUCCEEDED", "0.5"});
  table.AddRow({"12", "FAILED", "10.25"});

  EXPECT_EQ(table.Render(),
            "trial  state       loss\n"
            "-----  ---------  -----\n"
            "1      SUCCEEDED    0.5\n"
            "12     FAILED     10.25\n");
}

TEST(TextTable, PadsShortRows) {
  TextTable table({"a", "b"});
  table.AddRow({"x"});

  EXPECT_EQ(table.Render(), "a  b\n-  -\nx\n");
  EXPECT_EQ(table.row_count(), 1u);
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(CsvRecord, JoinsFieldsWithCommas) {
  EXPECT_EQ(CsvRecord({"1", "a,b", ""}), "1,\"a,b\",\n");
}

TEST(SummarizeMessage, JoinsFirstAndLastLine) {
  EXPECT_EQ(SummarizeMessage("exit status 1; stderr ends with:\nTraceback\n"
                             "ImportError: no module x\n",
                             200),
            "exit status 1; stderr ends with: ImportError: no module x");
}

TEST(SummarizeMessage, KeepsSingleLine) {
  EXPECT_EQ(SummarizeMessage("timed out", 200), "timed out");
  EXPECT_EQ(SummarizeMessage("", 200), "");
}

TEST(SummarizeMessage, CutsToMaxSize) {
  EXPECT_EQ(SummarizeMessage("abcdefghij", 6), "abc...");
}

}  // namespace
}  // namespace augur
