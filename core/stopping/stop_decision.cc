#include "core/stopping/stop_decision.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/stopping/number_format.h"
#include "core/stopping/trial_policy.h"
#include "core/stopping/trial_timeout.h"

namespace augur {
namespace {

StopDecision Stop(v1::StopReason reason, std::string message) {
  return StopDecision{true, reason, std::move(message)};
}

// Returns the study state as the API's users read it: "STOPPED", not
// "STUDY_STOPPED".
std::string StudyStateName(v1::StudyState state) {
  std::string name = v1::StudyState_Name(state);
  if (absl::StartsWith(name, "STUDY_")) name.erase(0, 6);
  return name;
}

StopDecision DecideForEndedTrial(const TrialHistory& trial,
                                 const StoppingRules& rules) {
  if (trial.state == v1::FAILED && trial.timed_out) {
    const std::string detail = rules.trial_timeout().has_value()
                                   ? TrialTimeoutMessage(*rules.trial_timeout())
                                   : std::string("timed out");
    return Stop(v1::TIMED_OUT, absl::StrCat("trial ", trial.id, " ", detail));
  }
  return Stop(v1::TRIAL_FINISHED,
              absl::StrCat("trial ", trial.id, " already ended as ",
                           v1::TrialState_Name(trial.state)));
}

StopDecision DecideForEndedStudy(const StudyStopView& study) {
  if (study.stop_trigger.has_value()) {
    const v1::StopTrigger& trigger = *study.stop_trigger;
    std::string message = study.state_reason;
    if (message.empty()) {
      message = absl::StrCat("early_stopping threshold reached: trial ",
                             trigger.trial_id(), " reported ", trigger.metric(),
                             " = ", FormatNumber(trigger.value()));
    }
    return Stop(v1::THRESHOLD_REACHED,
                absl::StrCat("study stopped: ", message));
  }

  std::string message = absl::StrCat("study is ", StudyStateName(study.state));
  if (!study.state_reason.empty()) {
    absl::StrAppend(&message, ": ", study.state_reason);
  }
  return Stop(v1::STUDY_NOT_ACTIVE, std::move(message));
}

}  // namespace

v1::StopDecision StopDecisionToProto(const StopDecision& decision) {
  v1::StopDecision proto;
  proto.set_should_stop(decision.stop);
  proto.set_reason(decision.reason);
  proto.set_message(decision.message);
  return proto;
}

absl::StatusOr<StopDecision> DecideStop(const StudyStopView& study,
                                        const std::vector<TrialHistory>& trials,
                                        int64_t trial_id) {
  if (study.rules == nullptr) {
    return absl::InvalidArgumentError(
        "StudyStopView.rules is null: pass the study's StoppingRules");
  }
  const auto trial = std::find_if(trials.begin(), trials.end(),
                                  [trial_id](const TrialHistory& candidate) {
                                    return candidate.id == trial_id;
                                  });
  if (trial == trials.end()) {
    return absl::NotFoundError(
        absl::StrCat("trial ", trial_id, " is not among the study's trials"));
  }

  const bool ended = trial->state == v1::SUCCEEDED ||
                     trial->state == v1::FAILED || trial->state == v1::STOPPED;
  if (ended) return DecideForEndedTrial(*trial, *study.rules);
  if (study.state != v1::STUDY_ACTIVE) return DecideForEndedStudy(study);

  for (const TrialPolicy& policy : study.rules->policies()) {
    PolicyResult result = CheckPolicy(policy, *trial, trials);
    if (result.outcome == PolicyOutcome::kStop) {
      return Stop(v1::POLICY, std::move(result.message));
    }
  }
  return StopDecision{};
}

}  // namespace augur
