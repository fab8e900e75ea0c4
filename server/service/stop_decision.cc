#include "server/service/stop_decision.h"

#include <map>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "core/stopping/stop_decision.h"
#include "core/stopping/trial_history.h"
#include "core/stopping/trial_timeout.h"

namespace augur {
namespace {

TrialHistory ToHistory(const TrialRow& trial, const StoppingRules& rules,
                       std::vector<v1::Measurement> measurements) {
  TrialHistory history;
  history.id = trial.id;
  history.state = trial.state;
  history.measurements = std::move(measurements);
  history.timed_out = IsTimedOut(trial, rules);
  return history;
}

// Builds the trial histories that the decision for `trial` reads: only
// `trial` itself unless a trial policy has to compare it with the others.
// NOTE: a policy check reads every measurement of the study, so each
// ReportMetric costs time linear in the study's measurements.
absl::StatusOr<std::vector<TrialHistory>> LoadHistories(
    StoreTransaction& transaction, const StudyRow& study,
    const StoppingRules& rules, const TrialRow& trial) {
  const bool checks_policies = trial.state == v1::ACTIVE &&
                               study.state == v1::STUDY_ACTIVE &&
                               !rules.policies().empty();
  if (!checks_policies)
    return std::vector<TrialHistory>{ToHistory(trial, rules, {})};

  AUGUR_ASSIGN_OR_RETURN(std::vector<TrialRow> rows,
                         transaction.ListTrials(study.id));
  AUGUR_ASSIGN_OR_RETURN(auto measurements,
                         transaction.ListMeasurementsOfStudy(study.id));

  std::vector<TrialHistory> histories;
  histories.reserve(rows.size());
  for (const TrialRow& row : rows) {
    // The caller's row may carry writes newer than the listed one.
    const TrialRow& current = row.id == trial.id ? trial : row;
    histories.push_back(
        ToHistory(current, rules, std::move(measurements[row.id])));
  }
  return histories;
}

}  // namespace

bool IsTimedOut(const TrialRow& trial, const StoppingRules& rules) {
  // The sweep that fails a silent trial stores exactly this message, so the
  // message marks the cause without a column of its own.
  return trial.state == v1::FAILED && rules.trial_timeout().has_value() &&
         trial.message == TrialTimeoutMessage(*rules.trial_timeout());
}

absl::StatusOr<v1::StopDecision> DecideTrialStop(StoreTransaction& transaction,
                                                 const StudyRow& study,
                                                 const StudyRuntime& runtime,
                                                 const TrialRow& trial) {
  AUGUR_ASSIGN_OR_RETURN(
      std::vector<TrialHistory> histories,
      LoadHistories(transaction, study, runtime.stopping, trial));

  StudyStopView view;
  view.state = study.state;
  view.state_reason = study.state_reason;
  view.stop_trigger = study.stop_trigger;
  view.rules = &runtime.stopping;
  AUGUR_ASSIGN_OR_RETURN(StopDecision decision,
                         DecideStop(view, histories, trial.id));
  return StopDecisionToProto(decision);
}

absl::StatusOr<std::optional<ThresholdHit>> ApplyThresholds(
    StoreTransaction& transaction, StudyRow& study, const StoppingRules& rules,
    int64_t trial_id, const v1::Measurement& measurement) {
  if (study.state != v1::STUDY_ACTIVE) return std::nullopt;

  std::optional<ThresholdHit> hit =
      FindThresholdHit(rules.thresholds(), trial_id, measurement);
  if (!hit.has_value()) return std::nullopt;

  study.state = v1::STUDY_STOPPED;
  study.state_reason = hit->message;
  study.stop_trigger = hit->trigger;
  AUGUR_RETURN_IF_ERROR(transaction.UpdateStudy(study));
  return hit;
}

}  // namespace augur
