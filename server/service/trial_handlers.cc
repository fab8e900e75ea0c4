#include "server/service/trial_handlers.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/status_macros.h"
#include "server/logging.h"
#include "server/service/convert.h"
#include "server/service/stop_decision.h"
#include "server/service/study_lifecycle.h"
#include "server/service/trial_sweep.h"
#include "server/service/validation.h"

namespace augur {
namespace {

// Final metrics are stored as the latest values with this step, so that no
// reported step can replace them.
constexpr int64_t kFinalStep = std::numeric_limits<int64_t>::max();

absl::Status ValidateReport(const v1::ReportMetricRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateTrialId(request.trial_id()));
  if (request.step() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "step ", request.step(), " is negative; steps start at 0"));
  }
  if (request.metrics().empty()) {
    return absl::InvalidArgumentError(
        "metrics is empty; report at least one metric");
  }
  return ValidateMetrics(request.metrics(), "metrics");
}

absl::Status CheckActive(const TrialRow& trial) {
  if (trial.state == v1::ACTIVE) return absl::OkStatus();
  if (trial.state == v1::PENDING) {
    return absl::FailedPreconditionError(absl::StrCat(
        "trial ", trial.id,
        " is PENDING and no client holds it; receive it from GetSuggestions "
        "first"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "trial ", trial.id, " already ended as ", StateName(trial.state),
      "; a finished trial takes no more reports"));
}

std::string FormatMetrics(
    const google::protobuf::RepeatedPtrField<v1::Metric>& metrics) {
  return absl::StrJoin(
      metrics, ", ", [](std::string* out, const v1::Metric& metric) {
        absl::StrAppend(out, metric.name(), "=", metric.value());
      });
}

// Stores one measurement and the latest values it carries. Returns true when
// the step was new. FAILED_PRECONDITION when the step contains other values.
absl::StatusOr<bool> RecordMeasurement(StoreTransaction& transaction,
                                       int64_t trial_id,
                                       const v1::Measurement& measurement) {
  AUGUR_ASSIGN_OR_RETURN(
      std::optional<v1::Measurement> stored,
      transaction.FindMeasurement(trial_id, measurement.step()));
  if (stored.has_value()) {
    if (SameMetrics(stored->metrics(), measurement.metrics())) return false;
    return absl::FailedPreconditionError(
        absl::StrCat("trial ", trial_id, " already has other values at step ",
                     measurement.step(), " (", FormatMetrics(stored->metrics()),
                     "); report each step once, or use a new step"));
  }

  AUGUR_RETURN_IF_ERROR(transaction.InsertMeasurement(trial_id, measurement));
  for (const v1::Metric& metric : measurement.metrics()) {
    AUGUR_RETURN_IF_ERROR(transaction.RecordLatestMetric(
        trial_id, metric.name(), metric.value(), measurement.step()));
  }
  return true;
}

// Sets the trial's objective value from its latest value of the study's
// metric, when the study has one and the trial reported it.
absl::Status SetObjective(StoreTransaction& transaction,
                          const StudyConfig& config, TrialRow& trial) {
  if (!config.objective().has_value()) return absl::OkStatus();

  AUGUR_ASSIGN_OR_RETURN(auto latest, transaction.ListLatestMetrics(trial.id));
  auto found = latest.find(config.objective()->name);
  if (found != latest.end()) trial.objective_value = found->second;
  return absl::OkStatus();
}

// Reopens a COMPLETED study for a trial added to it, so that GetSuggestions
// hands the trial out. Returns whether the row changed. The study stays
// exhausted and keeps its reason (such as "the budget of 6 trials is used
// up"), which is again the reason once the added trial ends and the study
// completes.
bool ReopenForNewTrial(StudyRow& study) {
  if (study.state != v1::STUDY_COMPLETED) return false;
  study.state = v1::STUDY_ACTIVE;
  return true;
}

absl::Status ValidateStates(
    const google::protobuf::RepeatedField<int>& states) {
  for (int state : states) {
    if (!v1::TrialState_IsValid(state) ||
        state == v1::TRIAL_STATE_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "states contains ", state,
          ", which is not a trial state; use PENDING, ACTIVE, SUCCEEDED, "
          "FAILED or STOPPED"));
    }
  }
  return absl::OkStatus();
}

void SortByObjective(std::vector<TrialRow>& trials,
                     const std::optional<Objective>& objective) {
  if (!objective.has_value()) return;
  std::stable_sort(
      trials.begin(), trials.end(), [&](const TrialRow& a, const TrialRow& b) {
        if (a.objective_value.has_value() != b.objective_value.has_value()) {
          return a.objective_value.has_value();
        }
        if (!a.objective_value.has_value()) return false;
        return IsBetter(*a.objective_value, *b.objective_value, *objective);
      });
}

// Checks names outside the matrix: a fixed param may be repeated with its own
// value, anything else is INVALID_ARGUMENT.
absl::Status CheckExtraNames(
    const google::protobuf::RepeatedPtrField<v1::Parameter>& parameters,
    const StudyConfig& config, const std::string& study_name) {
  for (const v1::Parameter& parameter : parameters) {
    if (config.space().IndexOf(parameter.name()) >= 0) continue;

    const v1::Parameter* fixed = nullptr;
    for (const v1::Parameter& candidate : config.spec().params()) {
      if (candidate.name() == parameter.name()) fixed = &candidate;
    }
    if (fixed == nullptr) {
      std::vector<std::string> names;
      for (const Parameter& known : config.space().parameters()) {
        names.push_back(known.name());
      }
      return absl::InvalidArgumentError(
          absl::StrCat("parameter \"", parameter.name(),
                       "\" is not in the matrix of study \"", study_name,
                       "\" (", absl::StrJoin(names, ", "), "); remove it"));
    }
    if (!SameValue(ValueFromProto(fixed->value()),
                   ValueFromProto(parameter.value()))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "parameter \"", parameter.name(), "\" is a fixed param of study \"",
          study_name, "\" with value ",
          FormatValue(ValueFromProto(fixed->value())),
          "; remove it or pass that value"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateImport(const v1::AddTrialRequest& request) {
  std::vector<int64_t> steps;
  for (const v1::Measurement& measurement : request.measurements()) {
    if (measurement.step() < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("measurement step ", measurement.step(),
                       " is negative; steps start at 0"));
    }
    if (std::find(steps.begin(), steps.end(), measurement.step()) !=
        steps.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("measurement step ", measurement.step(),
                       " appears twice; give each step once"));
    }
    steps.push_back(measurement.step());
    AUGUR_RETURN_IF_ERROR(ValidateMetrics(
        measurement.metrics(),
        absl::StrCat("measurements (step ", measurement.step(), ")")));
  }
  return absl::OkStatus();
}

absl::Status ValidateAddTrial(const v1::AddTrialRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateStudyName(request.study()));
  switch (request.state()) {
    case v1::TRIAL_STATE_UNSPECIFIED:
    case v1::PENDING:
      if (!request.measurements().empty()) {
        return absl::InvalidArgumentError(
            "measurements are accepted only with state SUCCEEDED (an "
            "imported result); leave them out to queue a PENDING trial");
      }
      return absl::OkStatus();
    case v1::SUCCEEDED:
      return ValidateImport(request);
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "state ", v1::TrialState_Name(request.state()),
          " cannot be added; use PENDING to queue a trial or SUCCEEDED to "
          "import a result"));
  }
}

// Checks the final metrics of a CompleteTrial request against the study's
// thresholds, as one measurement at the trial's last reported step (0 when
// it reported none). The final metrics of a FAILED trial are not checked,
// because they may come from a run that crashed or diverged.
absl::StatusOr<std::optional<ThresholdHit>> ApplyFinalThresholds(
    StoreTransaction& transaction, StudyRow& study,
    const StudyRuntime& runtime, const v1::CompleteTrialRequest& request) {
  if (request.state() == v1::FAILED || request.final_metrics().empty() ||
      runtime.stopping.thresholds().empty()) {
    return std::nullopt;
  }

  AUGUR_ASSIGN_OR_RETURN(std::vector<v1::Measurement> reported,
                         transaction.ListMeasurements(request.trial_id()));
  v1::Measurement final_measurement;
  final_measurement.set_step(reported.empty() ? 0 : reported.back().step());
  *final_measurement.mutable_metrics() = request.final_metrics();
  return ApplyThresholds(transaction, study, runtime.stopping,
                         request.trial_id(), final_measurement);
}

// Runs `body` on the trial and its study inside one transaction, after
// failing the study's timed-out trials (this one included) in a transaction
// of its own.
template <typename Body>
absl::Status WithTrial(ServiceContext& context, int64_t trial_id, Body body) {
  AUGUR_RETURN_IF_ERROR(SweepStudyOfTrial(context, trial_id));
  return context.store->Transact(
      [&](StoreTransaction& transaction) -> absl::Status {
        AUGUR_ASSIGN_OR_RETURN(TrialRow trial, transaction.GetTrial(trial_id));
        AUGUR_ASSIGN_OR_RETURN(StudyRow study,
                               transaction.GetStudyById(trial.study_id));
        AUGUR_ASSIGN_OR_RETURN(auto runtime, context.configs->Get(study));
        return body(transaction, study, *runtime, trial);
      });
}

}  // namespace

absl::StatusOr<v1::ReportMetricResponse> ReportMetric(
    ServiceContext& context, const v1::ReportMetricRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateReport(request));

  v1::Measurement measurement;
  measurement.set_step(request.step());
  *measurement.mutable_metrics() = request.metrics();

  v1::ReportMetricResponse reply;
  std::optional<ThresholdHit> hit;
  std::string study_name;
  AUGUR_RETURN_IF_ERROR(WithTrial(
      context, request.trial_id(),
      [&](StoreTransaction& transaction, StudyRow& study,
          const StudyRuntime& runtime, TrialRow& trial) -> absl::Status {
        study_name = study.name;
        // A late report of a trial that trial_timeout failed is dropped, and
        // the reply carries a TIMED_OUT stop decision.
        if (!IsTimedOut(trial, runtime.stopping)) {
          AUGUR_RETURN_IF_ERROR(CheckActive(trial));
          AUGUR_RETURN_IF_ERROR(
              RecordMeasurement(transaction, trial.id, measurement).status());
          trial.last_seen_ms = NowMs();
          AUGUR_RETURN_IF_ERROR(transaction.UpdateTrial(trial));
          AUGUR_ASSIGN_OR_RETURN(
              hit, ApplyThresholds(transaction, study, runtime.stopping,
                                   trial.id, measurement));
        }
        AUGUR_ASSIGN_OR_RETURN(
            *reply.mutable_decision(),
            DecideTrialStop(transaction, study, runtime, trial));
        return absl::OkStatus();
      }));

  if (hit.has_value()) {
    AUGUR_LOG_INFO("study \"{}\" is STOPPED: {}", study_name, hit->message);
  }
  return reply;
}

absl::StatusOr<v1::Trial> CompleteTrial(
    ServiceContext& context, const v1::CompleteTrialRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateTrialId(request.trial_id()));
  if (!IsFinished(request.state())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "state ", v1::TrialState_Name(request.state()),
        " does not end a trial; use SUCCEEDED, FAILED or STOPPED"));
  }
  AUGUR_RETURN_IF_ERROR(
      ValidateMetrics(request.final_metrics(), "final_metrics"));

  v1::Trial reply;
  bool study_completed = false;
  bool study_failed = false;
  std::optional<ThresholdHit> hit;
  std::string study_name;
  AUGUR_RETURN_IF_ERROR(WithTrial(
      context, request.trial_id(),
      [&](StoreTransaction& transaction, StudyRow& study,
          const StudyRuntime& runtime, TrialRow& trial) -> absl::Status {
        study_name = study.name;
        if (IsFinished(trial.state) && trial.state == request.state()) {
          AUGUR_ASSIGN_OR_RETURN(
              reply, LoadTrialProto(transaction, trial, study.name));
          return absl::OkStatus();
        }
        if (IsFinished(trial.state)) {
          return absl::FailedPreconditionError(absl::StrCat(
              "trial ", trial.id, " already ended as ", StateName(trial.state),
              IsTimedOut(trial, runtime.stopping) ? " (" + trial.message + ")"
                                                  : "",
              " and cannot end again as ", StateName(request.state())));
        }
        AUGUR_RETURN_IF_ERROR(CheckActive(trial));

        for (const v1::Metric& metric : request.final_metrics()) {
          AUGUR_RETURN_IF_ERROR(transaction.RecordLatestMetric(
              trial.id, metric.name(), metric.value(), kFinalStep));
        }
        AUGUR_RETURN_IF_ERROR(SetObjective(transaction, runtime.config, trial));
        const int64_t now_ms = NowMs();
        trial.state = request.state();
        trial.message = request.message();
        trial.end_time_ms = now_ms;
        trial.last_seen_ms = now_ms;
        AUGUR_RETURN_IF_ERROR(transaction.UpdateTrial(trial));

        AUGUR_ASSIGN_OR_RETURN(
            hit, ApplyFinalThresholds(transaction, study, runtime, request));
        if (trial.state == v1::FAILED) {
          AUGUR_ASSIGN_OR_RETURN(
              study_failed,
              FailStudyIfTooManyFailed(transaction, study, runtime.stopping));
        }
        AUGUR_ASSIGN_OR_RETURN(study_completed,
                               CompleteStudyIfDone(transaction, study));
        AUGUR_ASSIGN_OR_RETURN(reply,
                               LoadTrialProto(transaction, trial, study.name));
        return absl::OkStatus();
      }));

  AUGUR_LOG_DEBUG("trial {} of study \"{}\" ended as {}", reply.id(),
                  study_name, StateName(reply.state()));
  if (study_completed) {
    AUGUR_LOG_INFO("study \"{}\" is COMPLETED after trial {} ended", study_name,
                   reply.id());
  }
  if (hit.has_value()) {
    AUGUR_LOG_INFO("study \"{}\" is STOPPED: {}", study_name, hit->message);
  }
  if (study_failed) {
    AUGUR_LOG_WARN("study \"{}\" is FAILED after trial {} failed",
                   study_name, reply.id());
  }
  return reply;
}

absl::StatusOr<v1::ShouldStopResponse> ShouldStop(
    ServiceContext& context, const v1::ShouldStopRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateTrialId(request.trial_id()));

  v1::ShouldStopResponse reply;
  AUGUR_RETURN_IF_ERROR(WithTrial(
      context, request.trial_id(),
      [&](StoreTransaction& transaction, StudyRow& study,
          const StudyRuntime& runtime, TrialRow& trial) -> absl::Status {
        if (trial.state == v1::ACTIVE) {
          trial.last_seen_ms = NowMs();
          AUGUR_RETURN_IF_ERROR(transaction.UpdateTrial(trial));
        }
        AUGUR_ASSIGN_OR_RETURN(
            *reply.mutable_decision(),
            DecideTrialStop(transaction, study, runtime, trial));
        return absl::OkStatus();
      }));
  return reply;
}

absl::StatusOr<v1::Trial> GetTrial(ServiceContext& context,
                                   const v1::GetTrialRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateTrialId(request.trial_id()));

  v1::Trial reply;
  AUGUR_RETURN_IF_ERROR(
      WithTrial(context, request.trial_id(),
                [&](StoreTransaction& transaction, StudyRow& study,
                    const StudyRuntime&, TrialRow& trial) -> absl::Status {
                  AUGUR_ASSIGN_OR_RETURN(
                      reply, LoadTrialProto(transaction, trial, study.name));
                  return absl::OkStatus();
                }));
  return reply;
}

absl::StatusOr<v1::ListTrialsResponse> ListTrials(
    ServiceContext& context, const v1::ListTrialsRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateStudyName(request.study()));
  AUGUR_RETURN_IF_ERROR(ValidateStates(request.states()));
  std::vector<v1::TrialState> states;
  for (int state : request.states()) {
    states.push_back(static_cast<v1::TrialState>(state));
  }

  v1::ListTrialsResponse reply;
  AUGUR_RETURN_IF_ERROR(context.store->Transact(
      [&](StoreTransaction& transaction) -> absl::Status {
        AUGUR_ASSIGN_OR_RETURN(StudyRow study,
                               transaction.GetStudy(request.study()));
        AUGUR_ASSIGN_OR_RETURN(auto runtime, context.configs->Get(study));
        AUGUR_ASSIGN_OR_RETURN(std::vector<TrialRow> trials,
                               transaction.ListTrials(study.id, states));
        AUGUR_ASSIGN_OR_RETURN(auto measurements,
                               transaction.ListMeasurementsOfStudy(study.id));
        AUGUR_ASSIGN_OR_RETURN(auto latest,
                               transaction.ListLatestMetricsOfStudy(study.id));

        if (request.order_by_objective()) {
          SortByObjective(trials, runtime->config.objective());
        }
        for (const TrialRow& trial : trials) {
          *reply.add_trials() = TrialToProto(
              trial, study.name, measurements[trial.id], latest[trial.id]);
        }
        return absl::OkStatus();
      }));
  return reply;
}

absl::StatusOr<v1::Trial> AddTrial(ServiceContext& context,
                                   const v1::AddTrialRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateAddTrial(request));
  const bool import = request.state() == v1::SUCCEEDED;

  v1::Trial reply;
  AUGUR_RETURN_IF_ERROR(context.store->Transact(
      [&](StoreTransaction& transaction) -> absl::Status {
        AUGUR_ASSIGN_OR_RETURN(StudyRow study,
                               transaction.GetStudy(request.study()));
        AUGUR_ASSIGN_OR_RETURN(auto runtime, context.configs->Get(study));
        const StudyConfig& config = runtime->config;
        AUGUR_RETURN_IF_ERROR(
            CheckExtraNames(request.parameters(), config, study.name));
        AUGUR_ASSIGN_OR_RETURN(Point point,
                               config.space().MakePoint(request.parameters()));

        const int64_t now_ms = NowMs();
        TrialRow trial;
        trial.study_id = study.id;
        trial.state = import ? v1::SUCCEEDED : v1::PENDING;
        trial.origin = import ? TrialOrigin::kImported : TrialOrigin::kAdded;
        for (size_t i = 0; i < point.size(); ++i) {
          v1::Parameter& parameter = trial.parameters.emplace_back();
          parameter.set_name(config.space().parameters()[i].name());
          *parameter.mutable_value() = ValueToProto(point[i]);
        }
        for (const v1::Parameter& fixed : config.spec().params()) {
          trial.parameters.push_back(fixed);
        }
        trial.point_key = PointKey(point);
        trial.create_time_ms = now_ms;
        if (import) {
          trial.start_time_ms = now_ms;
          trial.end_time_ms = now_ms;
          trial.message = "imported by AddTrial";
        }
        AUGUR_RETURN_IF_ERROR(transaction.InsertTrial(trial));

        for (const v1::Measurement& measurement : request.measurements()) {
          AUGUR_RETURN_IF_ERROR(
              RecordMeasurement(transaction, trial.id, measurement).status());
        }
        if (import) {
          AUGUR_RETURN_IF_ERROR(SetObjective(transaction, config, trial));
          AUGUR_RETURN_IF_ERROR(transaction.UpdateTrial(trial));
        }
        if (!import && ReopenForNewTrial(study)) {
          AUGUR_RETURN_IF_ERROR(transaction.UpdateStudy(study));
        }

        AUGUR_ASSIGN_OR_RETURN(reply,
                               LoadTrialProto(transaction, trial, study.name));
        return absl::OkStatus();
      }));

  AUGUR_LOG_INFO("added trial {} to study \"{}\" as {}", reply.id(),
                 reply.study(), StateName(reply.state()));
  return reply;
}

absl::StatusOr<v1::Trial> RestartTrial(ServiceContext& context,
                                       const v1::RestartTrialRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateTrialId(request.trial_id()));

  v1::Trial reply;
  AUGUR_RETURN_IF_ERROR(
      WithTrial(context, request.trial_id(),
                [&](StoreTransaction& transaction, StudyRow& study,
                    const StudyRuntime&, TrialRow& old) -> absl::Status {
                  if (!IsFinished(old.state)) {
                    return absl::FailedPreconditionError(absl::StrCat(
                        "trial ", old.id, " is ", StateName(old.state),
                        "; restart a trial after it has ended"));
                  }

                  TrialRow trial;
                  trial.study_id = study.id;
                  trial.state = v1::PENDING;
                  trial.origin = TrialOrigin::kRestarted;
                  trial.parameters = old.parameters;
                  trial.point_key = old.point_key;
                  trial.parent_id = old.id;
                  trial.resume_from_parent = request.resume();
                  trial.create_time_ms = NowMs();
                  AUGUR_RETURN_IF_ERROR(transaction.InsertTrial(trial));
                  if (ReopenForNewTrial(study)) {
                    AUGUR_RETURN_IF_ERROR(transaction.UpdateStudy(study));
                  }

                  AUGUR_ASSIGN_OR_RETURN(
                      reply, LoadTrialProto(transaction, trial, study.name));
                  return absl::OkStatus();
                }));

  AUGUR_LOG_INFO("restarted trial {} of study \"{}\" as trial {}{}",
                 request.trial_id(), reply.study(), reply.id(),
                 request.resume() ? " (resuming)" : "");
  return reply;
}

}  // namespace augur
