#include "core/stopping/trial_timeout.h"

#include "absl/strings/str_cat.h"

namespace augur {

bool IsTrialTimedOut(absl::Time now, absl::Time last_seen,
                     const std::optional<absl::Duration>& timeout) {
  if (!timeout.has_value()) return false;
  return now - last_seen > *timeout;
}

std::string TrialTimeoutMessage(absl::Duration timeout) {
  return absl::StrCat("timed out: no call about the trial for more than ",
                      absl::FormatDuration(timeout), " (trial_timeout)");
}

bool HasTooManyFailedTrials(int64_t failed_trials,
                            const std::optional<int64_t>& max_failed_trials) {
  if (!max_failed_trials.has_value()) return false;
  return failed_trials >= *max_failed_trials;
}

std::string TooManyFailedTrialsMessage(int64_t failed_trials,
                                       int64_t max_failed_trials) {
  return absl::StrCat(failed_trials,
                      " trials failed, which reaches "
                      "max_failed_trials (",
                      max_failed_trials, ")");
}

}  // namespace augur
