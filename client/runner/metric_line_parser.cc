#include "client/runner/metric_line_parser.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace augur {
namespace {

bool IsMetricName(absl::string_view name) {
  if (name.empty()) return false;
  const char first = name.front();
  if (!absl::ascii_isalpha(first) && first != '_') return false;

  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_' || c == '.' || c == '-' ||
           c == '/';
  });
}

// Parses a whole token as a number. absl::SimpleAtod also accepts "nan" and
// "inf", which the caller reports separately.
std::optional<double> ParseNumber(absl::string_view text) {
  double value = 0;
  if (text.empty() || !absl::SimpleAtod(text, &value)) return std::nullopt;
  return value;
}

std::optional<int64_t> ParseStep(absl::string_view text) {
  int64_t step = 0;
  if (!absl::SimpleAtoi(text, &step) || step < 0) return std::nullopt;
  return step;
}

void SetMetric(std::vector<std::pair<std::string, double>>& metrics,
               absl::string_view name, double value) {
  for (auto& [existing, existing_value] : metrics) {
    if (existing == name) {
      existing_value = value;
      return;
    }
  }
  metrics.emplace_back(std::string(name), value);
}

}  // namespace

MetricLineParser::MetricLineParser(std::vector<std::string> declared_metrics)
    : declared_metrics_(std::move(declared_metrics)) {}

bool MetricLineParser::IsRecorded(absl::string_view name) const {
  if (declared_metrics_.empty()) return true;
  return std::find(declared_metrics_.begin(), declared_metrics_.end(),
                   name) != declared_metrics_.end();
}

ParsedStdoutLine MetricLineParser::Parse(absl::string_view line) {
  ParsedStdoutLine result;
  std::optional<int64_t> step;

  for (absl::string_view token :
       absl::StrSplit(line, absl::ByAnyChar(" \t\r\v\f"), absl::SkipEmpty())) {
    const size_t equals = token.find('=');
    if (equals == absl::string_view::npos) continue;
    const absl::string_view name = token.substr(0, equals);
    const absl::string_view text = token.substr(equals + 1);

    if (name == "step") {
      if (auto parsed = ParseStep(text)) step = parsed;
      continue;
    }
    if (!IsMetricName(name) || !IsRecorded(name)) continue;

    const std::optional<double> value = ParseNumber(text);
    if (!value.has_value()) continue;
    if (!std::isfinite(*value)) {
      result.non_finite.emplace_back(name);
      continue;
    }
    SetMetric(result.measurement.metrics, name, *value);
  }

  if (result.measurement.metrics.empty()) return result;

  result.has_measurement = true;
  result.measurement.step = step.value_or(next_step_);
  next_step_ = result.measurement.step + 1;
  return result;
}

}  // namespace augur
