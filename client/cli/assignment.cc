#include "client/cli/assignment.h"

#include <cmath>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace augur {
namespace {

// Splits "name=value" at the first '='. `option` names the flag in errors.
absl::StatusOr<std::pair<std::string, std::string>> SplitAssignment(
    absl::string_view text, absl::string_view option,
    absl::string_view example) {
  const size_t equals = text.find('=');
  if (equals == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, " \"", text,
                     "\" has no '='; write NAME=VALUE, such as ", example));
  }
  const absl::string_view name =
      absl::StripAsciiWhitespace(text.substr(0, equals));
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, " \"", text, "\" has an empty name; write NAME=VALUE, such as ",
        example));
  }
  return std::make_pair(std::string(name),
                        std::string(text.substr(equals + 1)));
}

bool IsQuoted(absl::string_view text) {
  return text.size() >= 2 && (text.front() == '\'' || text.front() == '"') &&
         text.back() == text.front();
}

}  // namespace

v1::Value ParseValueText(absl::string_view text) {
  v1::Value value;
  if (IsQuoted(text)) {
    value.set_string_value(std::string(text.substr(1, text.size() - 2)));
    return value;
  }
  if (absl::EqualsIgnoreCase(text, "true") ||
      absl::EqualsIgnoreCase(text, "false")) {
    value.set_bool_value(absl::EqualsIgnoreCase(text, "true"));
    return value;
  }

  int64_t integer = 0;
  double number = 0;
  if (absl::SimpleAtoi(text, &integer)) {
    value.set_int_value(integer);
  } else if (absl::SimpleAtod(text, &number) && std::isfinite(number)) {
    value.set_double_value(number);
  } else {
    value.set_string_value(std::string(text));
  }
  return value;
}

absl::StatusOr<v1::Parameter> ParseParameterAssignment(absl::string_view text) {
  auto split = SplitAssignment(text, "--param", "lr=0.01");
  if (!split.ok()) return split.status();

  v1::Parameter parameter;
  parameter.set_name(split->first);
  *parameter.mutable_value() = ParseValueText(split->second);
  return parameter;
}

absl::StatusOr<v1::Metric> ParseMetricAssignment(absl::string_view text) {
  auto split = SplitAssignment(text, "--metric", "accuracy=0.93");
  if (!split.ok()) return split.status();

  double number = 0;
  if (!absl::SimpleAtod(split->second, &number) || !std::isfinite(number)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--metric \"", text, "\": the value \"", split->second,
                     "\" is not a finite number; write a number, "
                     "such as ",
                     split->first, "=0.93"));
  }
  v1::Metric metric;
  metric.set_name(split->first);
  metric.set_value(number);
  return metric;
}

}  // namespace augur
