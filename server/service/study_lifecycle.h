#ifndef AUGUR_SERVER_SERVICE_STUDY_LIFECYCLE_H_
#define AUGUR_SERVER_SERVICE_STUDY_LIFECYCLE_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/stopping/stopping_rules.h"
#include "server/store/trial_store.h"

namespace augur {

// Moves an ACTIVE study whose algorithm is exhausted and that has no ACTIVE
// or PENDING trial to COMPLETED, and writes the row. Returns whether the
// state changed, so that the caller can log it once the transaction
// commits. Called after every change that can end the last trial.
absl::StatusOr<bool> CompleteStudyIfDone(StoreTransaction& transaction,
                                         StudyRow& study);

// Moves an ACTIVE study that has at least max_failed_trials FAILED trials to
// FAILED ("N trials failed, which reaches max_failed_trials (M)"), and
// writes the row. ShouldStop then returns a stop decision for its ACTIVE
// trials. Returns whether the state changed. Called after every change that
// fails a trial, before CompleteStudyIfDone, so that a study whose last
// trial reaches the limit ends FAILED rather than COMPLETED.
absl::StatusOr<bool> FailStudyIfTooManyFailed(StoreTransaction& transaction,
                                              StudyRow& study,
                                              const StoppingRules& rules);

// Marks the study's algorithm as exhausted for `reason` (without writing the
// row); the study completes once its last trial ends.
void MarkExhausted(StudyRow& study, const std::string& reason);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_STUDY_LIFECYCLE_H_
