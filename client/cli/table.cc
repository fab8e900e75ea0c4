#include "client/cli/table.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace augur {

TextTable::TextTable(std::vector<std::string> headers)
    : headers_(std::move(headers)), right_aligned_(headers_.size(), false) {}

void TextTable::AlignRight(size_t index) {
  if (index < right_aligned_.size()) right_aligned_[index] = true;
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::Render() const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t i = 0; i < headers_.size(); ++i) widths[i] = headers_[i].size();
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }

  auto render_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line += "  ";
      const std::string padding(widths[i] - cells[i].size(), ' ');
      line += right_aligned_[i] ? padding + cells[i] : cells[i] + padding;
    }
    return std::string(absl::StripTrailingAsciiWhitespace(line)) + "\n";
  };

  std::string text = render_row(headers_);
  std::vector<std::string> rule;
  for (size_t width : widths) rule.emplace_back(width, '-');
  text += render_row(rule);
  for (const auto& row : rows_) text += render_row(row);
  return text;
}

std::string FormatMetricValue(double value) {
  return absl::StrFormat("%.6g", value);
}

std::string CsvField(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(field);
  }
  return "\"" + absl::StrReplaceAll(field, {{"\"", "\"\""}}) + "\"";
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  return absl::StrJoin(fields, ",",
                       [](std::string* out, const std::string& field) {
                         out->append(CsvField(field));
                       }) +
         "\n";
}

std::string SummarizeMessage(absl::string_view message, size_t max_size) {
  std::vector<absl::string_view> lines =
      absl::StrSplit(message, '\n', absl::SkipWhitespace());
  std::string summary;
  if (!lines.empty()) summary = std::string(lines.front());
  if (lines.size() > 1) absl::StrAppend(&summary, " ", lines.back());

  if (summary.size() > max_size && max_size > 3) {
    summary = summary.substr(0, max_size - 3) + "...";
  }
  return summary;
}

}  // namespace augur
