#ifndef AUGUR_CORE_STOPPING_STOP_DECISION_H_
#define AUGUR_CORE_STOPPING_STOP_DECISION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "core/stopping/stopping_rules.h"
#include "core/stopping/trial_history.h"

namespace augur {

// Whether a trial should stop, and why: the reply of ShouldStop and the
// decision carried by the ReportMetric reply.
struct StopDecision {
  bool stop = false;
  // STOP_REASON_UNSPECIFIED when `stop` is false.
  v1::StopReason reason = v1::STOP_REASON_UNSPECIFIED;
  // Names the rule, the step and the values behind a stop; empty otherwise.
  std::string message;
};

v1::StopDecision StopDecisionToProto(const StopDecision& decision);

// The study as the stopping rules see it.
struct StudyStopView {
  v1::StudyState state = v1::STUDY_STATE_UNSPECIFIED;
  // The reason for the study's state, such as a ThresholdHit message or the
  // reason given to StopStudy.
  std::string state_reason;
  // Set when an early_stopping threshold stopped the study.
  std::optional<v1::StopTrigger> stop_trigger;
  // Never null.
  const StoppingRules* rules = nullptr;
};

// Decides whether trial `trial_id` should stop, checking in this order:
//   1. the trial has ended: stop with TIMED_OUT when it is FAILED because
//      trial_timeout expired, else TRIAL_FINISHED;
//   2. the study is not ACTIVE: stop with THRESHOLD_REACHED when a
//      threshold stopped it, else STUDY_NOT_ACTIVE;
//   3. each trial policy in StoppingRules::policies() order (see
//      CheckPolicy): stop with POLICY at the first that fires;
//   4. otherwise the trial continues.
// Thresholds are not checked here: on ReportMetric the caller passes the
// new measurement to FindThresholdHit first and, on a hit, stops the study
// and records the trigger in the view.
//
// Returns NOT_FOUND when `trials` has no trial `trial_id`, and
// INVALID_ARGUMENT when `study.rules` is null.
absl::StatusOr<StopDecision> DecideStop(const StudyStopView& study,
                                        const std::vector<TrialHistory>& trials,
                                        int64_t trial_id);

}  // namespace augur

#endif  // AUGUR_CORE_STOPPING_STOP_DECISION_H_
