#include "core/stopping/trial_timeout.h"

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace augur {
namespace {

const absl::Time kLastSeen = absl::FromUnixSeconds(1'700'000'000);

TEST(IsTrialTimedOut, OnlyAfterMoreThanTimeout) {
  const std::optional<absl::Duration> timeout = absl::Seconds(60);

  EXPECT_FALSE(
      IsTrialTimedOut(kLastSeen + absl::Seconds(59), kLastSeen, timeout));
  EXPECT_FALSE(
      IsTrialTimedOut(kLastSeen + absl::Seconds(60), kLastSeen, timeout));
  EXPECT_TRUE(IsTrialTimedOut(kLastSeen + absl::Milliseconds(60'001), kLastSeen,
                              timeout));
}

TEST(IsTrialTimedOut, NeverWithoutTimeout) {
  EXPECT_FALSE(IsTrialTimedOut(kLastSeen + absl::Hours(1'000'000), kLastSeen,
                               std::nullopt));
}

TEST(IsTrialTimedOut, NeverWhenClockStepsBack) {
  EXPECT_FALSE(
      IsTrialTimedOut(kLastSeen - absl::Hours(1), kLastSeen, absl::Seconds(1)));
}

TEST(TrialTimeoutMessage, NamesTimeout) {
  EXPECT_EQ(TrialTimeoutMessage(absl::Seconds(90)),
            "timed out: no call about the trial for more than 1m30s "
            "(trial_timeout)");
}

TEST(HasTooManyFailedTrials, FailsAtMaximum) {
  EXPECT_FALSE(HasTooManyFailedTrials(2, 3));
  EXPECT_TRUE(HasTooManyFailedTrials(3, 3));
  EXPECT_TRUE(HasTooManyFailedTrials(4, 3));
  EXPECT_TRUE(HasTooManyFailedTrials(1, 1));
}

TEST(HasTooManyFailedTrials, NeverWithoutMaximum) {
  EXPECT_FALSE(HasTooManyFailedTrials(1'000'000, std::nullopt));
}

TEST(TooManyFailedTrialsMessage, NamesCounts) {
  EXPECT_EQ(TooManyFailedTrialsMessage(3, 3),
            "3 trials failed, which reaches max_failed_trials (3)");
}

}  // namespace
}  // namespace augur
