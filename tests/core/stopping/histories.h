#ifndef AUGUR_TESTS_CORE_STOPPING_HISTORIES_H_
#define AUGUR_TESTS_CORE_STOPPING_HISTORIES_H_

// Builders for hand-written measurement histories in the stopping tests.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "augur/v1/augur.pb.h"
#include "core/stopping/stopping_rules.h"
#include "core/stopping/trial_history.h"

namespace augur {
namespace testing {

// Returns a measurement at `step` with the given (name, value) metrics.
inline v1::Measurement MakeMeasurement(
    int64_t step, const std::vector<std::pair<std::string, double>>& metrics) {
  v1::Measurement measurement;
  measurement.set_step(step);
  for (const auto& [name, value] : metrics) {
    v1::Metric* metric = measurement.add_metrics();
    metric->set_name(name);
    metric->set_value(value);
  }
  return measurement;
}

// Returns a trial that reported one metric, `metric`, at each (step, value).
inline TrialHistory MakeTrial(
    int64_t id, v1::TrialState state,
    const std::vector<std::pair<int64_t, double>>& values,
    const std::string& metric = "loss") {
  TrialHistory trial;
  trial.id = id;
  trial.state = state;
  for (const auto& [step, value] : values) {
    trial.measurements.push_back(MakeMeasurement(step, {{metric, value}}));
  }
  return trial;
}

// Returns `count` SUCCEEDED trials with ids from `first_id` that each
// reported `values[i]` at every step in `steps`.
inline std::vector<TrialHistory> MakePeers(int64_t first_id,
                                           const std::vector<double>& values,
                                           const std::vector<int64_t>& steps,
                                           const std::string& metric = "loss") {
  std::vector<TrialHistory> peers;
  for (size_t i = 0; i < values.size(); ++i) {
    std::vector<std::pair<int64_t, double>> history;
    for (int64_t step : steps) history.emplace_back(step, values[i]);
    peers.push_back(MakeTrial(first_id + static_cast<int64_t>(i), v1::SUCCEEDED,
                              history, metric));
  }
  return peers;
}

inline TrialPolicy MakePolicy(PolicyKind kind, bool maximize, double percent,
                              int64_t evaluation_interval, int64_t min_interval,
                              int64_t min_samples,
                              const std::string& metric = "loss") {
  TrialPolicy policy;
  policy.source = "stopping_policy";
  policy.kind = kind;
  policy.metric = metric;
  policy.maximize = maximize;
  policy.percent = percent;
  policy.evaluation_interval = evaluation_interval;
  policy.min_interval = min_interval;
  policy.min_samples = min_samples;
  return policy;
}

}  // namespace testing
}  // namespace augur

#endif  // AUGUR_TESTS_CORE_STOPPING_HISTORIES_H_
