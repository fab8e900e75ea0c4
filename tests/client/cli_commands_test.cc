// `augur create`, `augur ls` and `augur show` on a temporary database.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "tests/client/cli_test_util.h"

namespace augur {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::ExpectAugurError;
using testing::RunAugur;
using testing::TempDirectory;
using testing::WriteFile;

constexpr char kRandomStudy[] = R"yaml(
version: 1
kind: group
name: capped
tags: [example]
hptuning:
  seed: 99
  random_search: {n_experiments: 10}
  metric: {name: loss, optimization: minimize}
  matrix:
    a: {values: [1, 2]}
    b: {values: [x, y]}
run:
  cmd: echo loss={{ a }}
)yaml";

TEST(CliCreate, PrintsNameSeedBudgetAndNotes) {
  TempDirectory directory;
  WriteFile(directory.path() / "capped.yml", kRandomStudy);

  const CliResult create =
      RunAugur(directory.path(), "create capped.yml --db test.db");

  ASSERT_EQ(create.exit_code, 0) << create.err;
  EXPECT_NE(create.out.find("study:  capped"), std::string::npos) << create.out;
  EXPECT_NE(create.out.find("seed:   99"), std::string::npos) << create.out;
  // Four distinct points cap the ten requested draws.
  EXPECT_NE(create.out.find("budget: 4 trials"), std::string::npos)
      << create.out;
  EXPECT_NE(create.out.find("note:"), std::string::npos) << create.out;
  EXPECT_NE(create.err.find("version"), std::string::npos) << create.err;
  EXPECT_NE(create.err.find("tags"), std::string::npos) << create.err;
}

TEST(CliCreate, SameSpecTwiceReturnsTheStudy) {
  TempDirectory directory;
  WriteFile(directory.path() / "capped.yml", kRandomStudy);
  ASSERT_EQ(RunAugur(directory.path(), "create capped.yml --db test.db")
                .exit_code,
            0);

  const CliResult again =
      RunAugur(directory.path(), "create capped.yml --db test.db");

  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("study:  capped"), std::string::npos);
}

TEST(CliCreate, DifferentSpecSameNameIsRejected) {
  TempDirectory directory;
  WriteFile(directory.path() / "capped.yml", kRandomStudy);
  ASSERT_EQ(RunAugur(directory.path(), "create capped.yml --db test.db")
                .exit_code,
            0);
  std::string changed = kRandomStudy;
  changed.replace(changed.find("seed: 99"), 8, "seed: 98");
  WriteFile(directory.path() / "capped.yml", changed);

  const CliResult again =
      RunAugur(directory.path(), "create capped.yml --db test.db");

  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("different spec"), std::string::npos) << again.err;
}

TEST(CliCreate, DrawsAndStoresSeedWhenFileHasNone) {
  TempDirectory directory;
  std::string unseeded = kRandomStudy;
  unseeded.replace(unseeded.find("  seed: 99\n"), 11, "");
  WriteFile(directory.path() / "unseeded.yml", unseeded);

  const CliResult create =
      RunAugur(directory.path(), "create unseeded.yml --db test.db");

  ASSERT_EQ(create.exit_code, 0) << create.err;
  const size_t seed_at = create.out.find("seed:   ");
  ASSERT_NE(seed_at, std::string::npos) << create.out;
  const std::string seed =
      create.out.substr(seed_at + 8, create.out.find('\n', seed_at) - seed_at - 8);
  EXPECT_FALSE(seed.empty());
  const CliResult show =
      RunAugur(directory.path(), "show capped --db test.db --format json");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(std::to_string(nlohmann::json::parse(show.out)["study"]["seed"]
                               .get<int64_t>()),
            seed);
}

TEST(CliLs, ListsStudiesWithCountsAndBest) {
  TempDirectory directory;
  WriteFile(directory.path() / "capped.yml", kRandomStudy);
  ASSERT_EQ(RunAugur(directory.path(), "run capped.yml --db test.db").exit_code,
            0);
  WriteFile(directory.path() / "other.yml", R"yaml(
kind: group
hptuning:
  matrix:
    a: {values: [1]}
run:
  cmd: "true"
)yaml");
  ASSERT_EQ(RunAugur(directory.path(), "create other.yml --db test.db").exit_code,
            0);

  const CliResult ls = RunAugur(directory.path(), "ls --db test.db");

  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_NE(ls.out.find("study"), std::string::npos);
  const size_t capped = ls.out.find("capped");
  ASSERT_NE(capped, std::string::npos) << ls.out;
  const std::string capped_line =
      ls.out.substr(capped, ls.out.find('\n', capped) - capped);
  EXPECT_NE(capped_line.find("COMPLETED"), std::string::npos) << capped_line;
  EXPECT_NE(capped_line.find("random_search"), std::string::npos);
  EXPECT_NE(capped_line.find("loss=1 (trial"), std::string::npos)
      << capped_line;
  EXPECT_NE(ls.out.find("other"), std::string::npos) << ls.out;
}

TEST(CliLs, MissingDatabaseIsAnError) {
  TempDirectory directory;

  const CliResult ls = RunAugur(directory.path(), "ls --db nothing.db");

  EXPECT_NE(ls.exit_code, 0);
  EXPECT_NE(ls.err.find("nothing.db"), std::string::npos) << ls.err;
  EXPECT_FALSE(fs::exists(directory.path() / "nothing.db"));
}

TEST(CliShow, TableAndCsvListTrialsBestFirst) {
  TempDirectory directory;
  WriteFile(directory.path() / "capped.yml", kRandomStudy);
  ASSERT_EQ(RunAugur(directory.path(), "run capped.yml --db test.db").exit_code,
            0);

  const CliResult table = RunAugur(directory.path(), "show capped --db test.db");
  const CliResult csv =
      RunAugur(directory.path(), "show capped --db test.db --format csv");

  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("state:     COMPLETED"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("objective: minimize loss"), std::string::npos);
  EXPECT_NE(table.out.find("best trial"), std::string::npos);

  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
            "trial,state,a,b,loss,objective,message");
  // Four rows, the two loss=1 trials first.
  std::vector<std::string> rows;
  size_t start = csv.out.find('\n') + 1;
  while (start < csv.out.size()) {
    const size_t end = csv.out.find('\n', start);
    rows.push_back(csv.out.substr(start, end - start));
    start = end + 1;
  }
  ASSERT_EQ(rows.size(), 4u) << csv.out;
  EXPECT_NE(rows[0].find(",SUCCEEDED,1,"), std::string::npos) << rows[0];
  EXPECT_NE(rows[1].find(",SUCCEEDED,1,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[3].find(",SUCCEEDED,2,"), std::string::npos) << rows[3];
}

TEST(CliShow, UnknownStudyIsAnError) {
  TempDirectory directory;
  WriteFile(directory.path() / "capped.yml", kRandomStudy);
  ASSERT_EQ(RunAugur(directory.path(), "create capped.yml --db test.db")
                .exit_code,
            0);

  ExpectAugurError(directory.path(), "show nope --db test.db", "nope");
}

TEST(CliShow, RejectsUnknownFormat) {
  TempDirectory directory;

  ExpectAugurError(directory.path(), "show capped --db test.db --format xml",
                   "xml");
}

}  // namespace
}  // namespace augur
