#include "server/service/trial_sweep.h"

#include "absl/time/time.h"
#include "core/status_macros.h"
#include "core/stopping/trial_timeout.h"
#include "server/logging.h"
#include "server/service/convert.h"
#include "server/service/study_lifecycle.h"

namespace augur {

absl::StatusOr<SweepResult> SweepTimedOutTrials(StoreTransaction& transaction,
                                                StudyRow& study,
                                                const StudyRuntime& runtime,
                                                int64_t now_ms) {
  SweepResult result;
  const std::optional<absl::Duration>& timeout =
      runtime.stopping.trial_timeout();
  if (!timeout.has_value()) return result;

  AUGUR_ASSIGN_OR_RETURN(std::vector<TrialRow> active,
                         transaction.ListTrials(study.id, {v1::ACTIVE}));
  const absl::Time now = absl::FromUnixMillis(now_ms);
  for (TrialRow& trial : active) {
    if (!IsTrialTimedOut(now, absl::FromUnixMillis(trial.last_seen_ms),
                         timeout)) {
      continue;
    }
    trial.state = v1::FAILED;
    trial.message = TrialTimeoutMessage(*timeout);
    trial.end_time_ms = now_ms;
    AUGUR_RETURN_IF_ERROR(transaction.UpdateTrial(trial));
    result.timed_out_trials.push_back(trial.id);
  }
  if (result.timed_out_trials.empty()) return result;

  AUGUR_ASSIGN_OR_RETURN(
      result.study_failed,
      FailStudyIfTooManyFailed(transaction, study, runtime.stopping));
  AUGUR_ASSIGN_OR_RETURN(result.study_completed,
                         CompleteStudyIfDone(transaction, study));
  return result;
}

void LogSweep(const StudyRow& study, const SweepResult& result) {
  for (int64_t trial_id : result.timed_out_trials) {
    AUGUR_LOG_WARN("trial {} of study \"{}\" is FAILED: timed out", trial_id,
                   study.name);
  }
  if (result.study_failed || result.study_completed) {
    AUGUR_LOG_INFO("study \"{}\" is {}: {}", study.name, StateName(study.state),
                   study.state_reason);
  }
}

absl::Status SweepStudyOfTrial(ServiceContext& context, int64_t trial_id) {
  StudyRow study;
  SweepResult result;
  AUGUR_RETURN_IF_ERROR(context.store->Transact(
      [&](StoreTransaction& transaction) -> absl::Status {
        AUGUR_ASSIGN_OR_RETURN(TrialRow trial, transaction.GetTrial(trial_id));
        AUGUR_ASSIGN_OR_RETURN(study, transaction.GetStudyById(trial.study_id));
        AUGUR_ASSIGN_OR_RETURN(auto runtime, context.configs->Get(study));
        AUGUR_ASSIGN_OR_RETURN(
            result, SweepTimedOutTrials(transaction, study, *runtime, NowMs()));
        return absl::OkStatus();
      }));

  LogSweep(study, result);
  return absl::OkStatus();
}

}  // namespace augur
