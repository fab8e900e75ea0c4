#include "server/service/convert.h"

#include <utility>

#include "core/status_macros.h"

namespace augur {

std::string StateName(v1::TrialState state) {
  return v1::TrialState_Name(state);
}

std::string StateName(v1::StudyState state) {
  const std::string name = v1::StudyState_Name(state);
  // STUDY_STOPPED reads as STOPPED in messages, as the user knows it.
  constexpr char kPrefix[] = "STUDY_";
  if (name.rfind(kPrefix, 0) == 0) return name.substr(sizeof(kPrefix) - 1);
  return name;
}

bool IsFinished(v1::TrialState state) {
  return state == v1::SUCCEEDED || state == v1::FAILED || state == v1::STOPPED;
}

bool IsBetter(double a, double b, const Objective& objective) {
  return objective.maximize ? a > b : a < b;
}

std::optional<TrialRow> BestTrial(const std::vector<TrialRow>& trials,
                                  const Objective& objective) {
  const TrialRow* best = nullptr;
  for (const TrialRow& trial : trials) {
    const bool finished =
        trial.state == v1::SUCCEEDED || trial.state == v1::STOPPED;
    if (!finished || !trial.objective_value.has_value()) {
      continue;
    }
    // Trials come in id order, so keeping the first of equal values keeps
    // the lower id.
    if (best == nullptr ||
        IsBetter(*trial.objective_value, *best->objective_value, objective)) {
      best = &trial;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

v1::Trial TrialToProto(const TrialRow& trial, const std::string& study_name,
                       const std::vector<v1::Measurement>& measurements,
                       const std::map<std::string, double>& latest_metrics) {
  v1::Trial proto;
  proto.set_id(trial.id);
  proto.set_study(study_name);
  proto.set_state(trial.state);
  for (const v1::Parameter& parameter : trial.parameters) {
    *proto.add_parameters() = parameter;
  }
  proto.set_client_id(trial.client_id);
  proto.set_parent_id(trial.parent_id.value_or(0));
  proto.set_resume_from_parent(trial.resume_from_parent);
  for (const v1::Measurement& measurement : measurements) {
    *proto.add_measurements() = measurement;
  }
  for (const auto& [name, value] : latest_metrics) {
    v1::Metric* metric = proto.add_latest_metrics();
    metric->set_name(name);
    metric->set_value(value);
  }
  if (trial.objective_value.has_value()) {
    proto.set_objective_value(*trial.objective_value);
  }
  proto.set_message(trial.message);
  proto.set_create_time_ms(trial.create_time_ms);
  proto.set_start_time_ms(trial.start_time_ms);
  proto.set_end_time_ms(trial.end_time_ms);
  return proto;
}

absl::StatusOr<v1::Trial> LoadTrialProto(StoreTransaction& transaction,
                                         const TrialRow& trial,
                                         const std::string& study_name) {
  AUGUR_ASSIGN_OR_RETURN(std::vector<v1::Measurement> measurements,
                         transaction.ListMeasurements(trial.id));
  AUGUR_ASSIGN_OR_RETURN(auto latest, transaction.ListLatestMetrics(trial.id));
  return TrialToProto(trial, study_name, measurements, latest);
}

absl::StatusOr<v1::Study> LoadStudyProto(StoreTransaction& transaction,
                                         const StudyRow& study,
                                         const StudyConfig& config) {
  v1::Study proto;
  proto.set_name(study.name);
  *proto.mutable_spec() = study.spec;
  proto.set_state(study.state);
  proto.set_seed(study.seed);
  proto.set_state_reason(study.state_reason);
  if (study.stop_trigger.has_value()) {
    *proto.mutable_stop_trigger() = *study.stop_trigger;
  }
  proto.set_budget(study.budget);
  for (const std::string& note : study.notes) proto.add_notes(note);
  proto.set_create_time_ms(study.create_time_ms);

  AUGUR_ASSIGN_OR_RETURN(auto counts, transaction.CountTrialsByState(study.id));
  proto.set_pending_trials(counts[v1::PENDING]);
  proto.set_active_trials(counts[v1::ACTIVE]);
  proto.set_succeeded_trials(counts[v1::SUCCEEDED]);
  proto.set_failed_trials(counts[v1::FAILED]);
  proto.set_stopped_trials(counts[v1::STOPPED]);

  if (!config.objective().has_value()) return proto;
  // A STOPPED trial counts too: the trial whose report reached an
  // early-stopping threshold ends STOPPED and is usually the best one.
  AUGUR_ASSIGN_OR_RETURN(std::vector<TrialRow> finished,
                         transaction.ListTrials(study.id, {v1::SUCCEEDED, v1::STOPPED}));
  std::optional<TrialRow> best = BestTrial(finished, *config.objective());
  if (best.has_value()) {
    AUGUR_ASSIGN_OR_RETURN(*proto.mutable_best_trial(),
                           LoadTrialProto(transaction, *best, study.name));
  }
  return proto;
}

}  // namespace augur
