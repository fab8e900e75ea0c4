#ifndef AUGUR_SERVER_SERVICE_TRIAL_SWEEP_H_
#define AUGUR_SERVER_SERVICE_TRIAL_SWEEP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/service/service_context.h"
#include "server/service/study_config_cache.h"
#include "server/store/trial_store.h"

namespace augur {

// The changes of one sweep, for the log lines written after the commit.
struct SweepResult {
  // Trials that trial_timeout failed, in id order.
  std::vector<int64_t> timed_out_trials;
  // Set when the failures reached max_failed_trials and failed the study.
  bool study_failed = false;
  // Set when the last open trial of an exhausted study timed out.
  bool study_completed = false;
};

// Fails every ACTIVE trial of `study` that has had no call about it for
// longer than the study's trial_timeout at `now_ms` (milliseconds since the
// Unix epoch, read from the wall clock at the server edge). Each such trial
// becomes FAILED with the message of TrialTimeoutMessage, which frees its
// concurrency slot. Then, when a trial timed out, applies max_failed_trials and
// completes an exhausted study that has no open trial left. Writes the changed
// rows and updates `study` in place.
//
// Does nothing for a study without trial_timeout. Handlers that load a study
// call this first in their transaction, so that a timeout takes effect at the
// first call after it expires, whichever call that is.
absl::StatusOr<SweepResult> SweepTimedOutTrials(StoreTransaction& transaction,
                                                StudyRow& study,
                                                const StudyRuntime& runtime,
                                                int64_t now_ms);

// Runs SweepTimedOutTrials on the study of trial `trial_id` in a transaction
// of its own and logs what it changed. The sweep commits even when the
// caller's request then fails, so a rejected call about a timed-out trial
// still records the timeout. NOT_FOUND for an unknown trial.
absl::Status SweepStudyOfTrial(ServiceContext& context, int64_t trial_id);

// Logs what `result` changed in `study`. Call after the transaction of the
// sweep committed.
void LogSweep(const StudyRow& study, const SweepResult& result);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_TRIAL_SWEEP_H_
