#ifndef AUGUR_CORE_STOPPING_TRIAL_TIMEOUT_H_
#define AUGUR_CORE_STOPPING_TRIAL_TIMEOUT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"

namespace augur {

// Returns true when a trial that was last the subject of a call at
// `last_seen` has been silent for longer than `timeout` at `now`. Silence of
// exactly `timeout` is not yet a timeout, and a `now` before `last_seen`
// (a clock that stepped back) never is. A nullopt timeout never expires.
// The caller applies it to ACTIVE trials only.
bool IsTrialTimedOut(absl::Time now, absl::Time last_seen,
                     const std::optional<absl::Duration>& timeout);

// Returns the message a timed-out trial ends with, naming the timeout.
std::string TrialTimeoutMessage(absl::Duration timeout);

// Returns true when the count of FAILED trials has reached
// `max_failed_trials`, so the caller fails the study. Always false for a
// nullopt maximum.
bool HasTooManyFailedTrials(int64_t failed_trials,
                            const std::optional<int64_t>& max_failed_trials);

// Returns the study's state reason when it fails for too many failed trials.
std::string TooManyFailedTrialsMessage(int64_t failed_trials,
                                       int64_t max_failed_trials);

}  // namespace augur

#endif  // AUGUR_CORE_STOPPING_TRIAL_TIMEOUT_H_
