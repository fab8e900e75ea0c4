#ifndef AUGUR_CLIENT_CLI_TABLE_H_
#define AUGUR_CLIENT_CLI_TABLE_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

namespace augur {

// A text table for terminals: a header row, a rule and the rows, with each
// column as wide as its widest cell and two spaces between columns. Columns
// marked right-aligned (numbers) pad on the left.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers);

  // Marks column `index` as right-aligned.
  void AlignRight(size_t index);

  // Appends a row. A shorter row is padded with empty cells; extra cells
  // are dropped.
  void AddRow(std::vector<std::string> cells);

  size_t row_count() const { return rows_.size(); }

  // Returns the table, one line per row, each ending in '\n'. Trailing
  // spaces are trimmed.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_aligned_;
  std::vector<std::vector<std::string>> rows_;
};

// Formats a metric value for people: at most 6 significant digits
// (0.973333, 1.5e-05).
std::string FormatMetricValue(double value);

// Returns `field` as one CSV field (RFC 4180): quoted when it contains a
// comma, a double quote, a CR or an LF, with double quotes doubled.
std::string CsvField(absl::string_view field);

// Returns a one-line summary of a multi-line trial message: its first line,
// then its last non-empty line when there are more ("exit status 1; stderr
// ends with: ... ModuleNotFoundError: ..."), cut to `max_size` characters.
std::string SummarizeMessage(absl::string_view message, size_t max_size);

// Returns the fields as one CSV record ending in "\n".
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace augur

#endif  // AUGUR_CLIENT_CLI_TABLE_H_
