#ifndef AUGUR_CLIENT_RUNNER_METRIC_LINE_PARSER_H_
#define AUGUR_CLIENT_RUNNER_METRIC_LINE_PARSER_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

namespace augur {

// One measurement read from a line of a trial's stdout.
struct StdoutMeasurement {
  int64_t step = 0;
  // Metric names and values in the order they appear on the line. A name
  // written twice keeps its last value.
  std::vector<std::pair<std::string, double>> metrics;
};

// The result of parsing one stdout line.
struct ParsedStdoutLine {
  // Set when the line carries at least one recorded metric.
  bool has_measurement = false;
  StdoutMeasurement measurement;
  // Recorded metric names whose value was NaN or infinite. These are left
  // out of the measurement because the server rejects non-finite values.
  std::vector<std::string> non_finite;
};

// Reads the stdout metric protocol of trial processes.
//
// Each line is split on whitespace. A token `name=value` whose value parses
// completely as a decimal or scientific number is a metric. All metrics of
// one line form one measurement. A `step=N` token (N a non-negative integer)
// sets the step of that line's measurement. Lines without a step token take
// the next step of a counter that starts at 0 and continues after the last
// step used, so "step=5 loss=1" followed by "loss=0.9" gives steps 5 and 6.
// Metric names start with a letter or underscore and continue with letters,
// digits and `_ . - /`. Any other token is ignored, so ordinary log lines pass
// through. The metrics of one step belong on one line, because the server
// rejects a second report for a step with different values.
//
// Thread safety: not thread-safe; use one parser per trial.
class MetricLineParser {
 public:
  // `declared_metrics` lists the names to record. An empty list records
  // every metric token.
  explicit MetricLineParser(std::vector<std::string> declared_metrics);

  // Parses one line (without its newline) and advances the step counter
  // when the line carries a measurement.
  ParsedStdoutLine Parse(absl::string_view line);

 private:
  bool IsRecorded(absl::string_view name) const;

  const std::vector<std::string> declared_metrics_;
  int64_t next_step_ = 0;
};

}  // namespace augur

#endif  // AUGUR_CLIENT_RUNNER_METRIC_LINE_PARSER_H_
