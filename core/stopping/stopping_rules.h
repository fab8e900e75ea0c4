#ifndef AUGUR_CORE_STOPPING_STOPPING_RULES_H_
#define AUGUR_CORE_STOPPING_STOPPING_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "augur/v1/augur.pb.h"
#include "core/study_config.h"

namespace augur {

// A study-level threshold from `early_stopping`: the study stops once any
// trial reports `metric` at or above `value` (maximize) or at or below it
// (minimize).
struct ThresholdRule {
  // Position of the entry in `early_stopping`, for messages.
  int index = 0;
  std::string metric;
  double value = 0.0;
  bool maximize = true;
};

enum class PolicyKind { kMedian, kTruncation, kDiff };

// A trial-level policy with its metric resolved and its defaults applied.
struct TrialPolicy {
  // The policy's field in the study file, used in messages:
  // "early_stopping[1].policy" or "stopping_policy".
  std::string source;
  PolicyKind kind = PolicyKind::kMedian;
  std::string metric;
  bool maximize = true;
  // Truncation: the share of trials to stop. Diff: the allowed distance
  // from the best value, relative to it. In percent; unused by median.
  double percent = 0.0;
  // The policy is checked at steps that are multiples of this (at least 1).
  int64_t evaluation_interval = 1;
  // The policy is checked only at steps at or above this (at least 0).
  int64_t min_interval = 0;
  // Other trials that need a value at the step before the policy is
  // checked (at least 1, because no policy can compare with zero trials).
  int64_t min_samples = 1;
};

// The validated stopping and failure rules of a study: thresholds, trial
// policies, trial_timeout and max_failed_trials.
//
// Thread safety: immutable after Create, so safe to share between threads.
class StoppingRules {
 public:
  StoppingRules() = default;

  // Validates the stopping fields of `spec` and resolves each policy's
  // metric: an `early_stopping` entry's policy watches that entry's metric
  // and direction, and `stopping_policy` watches `objective`. An entry
  // without `optimization` maximizes, as in Polyaxon.
  //
  // Returns INVALID_ARGUMENT naming the field and the fix when:
  //   - a metric name is empty, or a threshold is NaN or infinite;
  //   - an interval or min_samples is negative;
  //   - a truncation percent is outside (0, 100], or a diff percent is not
  //     positive;
  //   - stopping_policy is set without an objective;
  //   - trial_timeout is not a positive number of seconds;
  //   - max_failed_trials is below 1.
  // Unset (zero) intervals and min_samples take their defaults:
  // evaluation_interval 1, min_interval 0, min_samples 1.
  static absl::StatusOr<StoppingRules> Create(
      const v1::StudySpec& spec, const std::optional<Objective>& objective);

  // Thresholds in `early_stopping` order.
  const std::vector<ThresholdRule>& thresholds() const { return thresholds_; }

  // Policies in `early_stopping` order, then `stopping_policy`.
  const std::vector<TrialPolicy>& policies() const { return policies_; }

  // How long an ACTIVE trial may stay silent; nullopt means forever.
  const std::optional<absl::Duration>& trial_timeout() const {
    return trial_timeout_;
  }

  // The number of FAILED trials at which the study fails; nullopt means
  // never.
  const std::optional<int64_t>& max_failed_trials() const {
    return max_failed_trials_;
  }

 private:
  std::vector<ThresholdRule> thresholds_;
  std::vector<TrialPolicy> policies_;
  std::optional<absl::Duration> trial_timeout_;
  std::optional<int64_t> max_failed_trials_;
};

}  // namespace augur

#endif  // AUGUR_CORE_STOPPING_STOPPING_RULES_H_
