#ifndef AUGUR_CORE_STOPPING_TRIAL_POLICY_H_
#define AUGUR_CORE_STOPPING_TRIAL_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/stopping/stopping_rules.h"
#include "core/stopping/trial_history.h"

namespace augur {

// Trial-level policies: median, truncation and diff.
//
// A policy is checked at the trial's evaluation step, which is the latest
// step at which the trial reported the policy's metric. It is checked only
// when that step is at least min_interval and a multiple of
// evaluation_interval, and only when at least min_samples other trials have
// a value at that step.
//
// Value at a step: another trial has a value at step s when it reported the
// metric at some step >= s (it reached s) and at some step <= s. Its value
// at s is the one reported at the latest step <= s, so trials that report
// at different steps still compare. A trial that ended before step s has no
// value at s.
//
// Other trials: SUCCEEDED, STOPPED and ACTIVE trials other than the one
// checked. FAILED trials do not count, because their last values may come
// from a run that crashed or diverged. PENDING trials have no measurements.

enum class PolicyOutcome {
  // The evaluation step is below min_interval or not a multiple of
  // evaluation_interval, or the trial has not reported the metric yet.
  kNotDue,
  // Fewer than min_samples other trials have a value at the step.
  kTooFewSamples,
  // The policy was checked and the trial may continue.
  kContinue,
  // The policy was checked and the trial should stop.
  kStop,
};

struct PolicyResult {
  PolicyOutcome outcome = PolicyOutcome::kNotDue;
  // The evaluation step; nullopt when the trial has not reported the metric.
  std::optional<int64_t> step;
  // Names the policy, the metric, the step and the values compared.
  std::string message;
};

// Returns the value that `trial` has for `metric` at `step` under the rule
// above, or nullopt when it has none.
std::optional<double> ValueAtStep(const TrialHistory& trial,
                                  const std::string& metric, int64_t step);

// Returns the true median of `values`: the middle value, or the mean of the
// two middle values when the count is even. REQUIRES: `values` is not empty.
double Median(std::vector<double> values);

// Checks `policy` for `trial` against the other trials of `trials`. `trials`
// may contain `trial` itself (matched by id), which is then skipped.
//
// median: stops the trial when its best value at steps up to the
// evaluation step is worse than the median of the other trials' values.
// truncation: with n the other trials plus this one and k =
// ceil(percent/100 * n), stops the trial when it is among the worst k.
// Ties count in the trial's favour: it stops only when fewer than k other
// trials are as bad as or worse than it, so equal values never split into
// stopped and running trials.
// diff: stops the trial when |value - best| > percent/100 * |best|, with
// best the best value of all those trials at the step, this one included.
// "Worse" and "best" follow the policy's direction; equal values are never
// worse.
PolicyResult CheckPolicy(const TrialPolicy& policy, const TrialHistory& trial,
                         const std::vector<TrialHistory>& trials);

}  // namespace augur

#endif  // AUGUR_CORE_STOPPING_TRIAL_POLICY_H_
