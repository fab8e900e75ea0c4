#include "server/service/study_lifecycle.h"

#include "core/status_macros.h"
#include "core/stopping/trial_timeout.h"

namespace augur {

void MarkExhausted(StudyRow& study, const std::string& reason) {
  study.exhausted = true;
  study.state_reason =
      reason.empty() ? "the algorithm has no more trials to suggest" : reason;
}

absl::StatusOr<bool> CompleteStudyIfDone(StoreTransaction& transaction,
                                         StudyRow& study) {
  if (study.state != v1::STUDY_ACTIVE || !study.exhausted) return false;

  AUGUR_ASSIGN_OR_RETURN(auto counts, transaction.CountTrialsByState(study.id));
  if (counts[v1::ACTIVE] > 0 || counts[v1::PENDING] > 0) return false;

  study.state = v1::STUDY_COMPLETED;
  AUGUR_RETURN_IF_ERROR(transaction.UpdateStudy(study));
  return true;
}

absl::StatusOr<bool> FailStudyIfTooManyFailed(StoreTransaction& transaction,
                                              StudyRow& study,
                                              const StoppingRules& rules) {
  if (study.state != v1::STUDY_ACTIVE ||
      !rules.max_failed_trials().has_value()) {
    return false;
  }

  AUGUR_ASSIGN_OR_RETURN(auto counts, transaction.CountTrialsByState(study.id));
  const int64_t failed = counts[v1::FAILED];
  if (!HasTooManyFailedTrials(failed, rules.max_failed_trials())) return false;

  study.state = v1::STUDY_FAILED;
  study.state_reason =
      TooManyFailedTrialsMessage(failed, *rules.max_failed_trials());
  AUGUR_RETURN_IF_ERROR(transaction.UpdateStudy(study));
  return true;
}

}  // namespace augur
