#include "core/stopping/trial_policy.h"

#include <cstdint>
#include <optional>
#include <vector>

#include "augur/v1/augur.pb.h"
#include "gtest/gtest.h"
#include "tests/core/stopping/histories.h"

namespace augur {
namespace {

using ::augur::testing::MakeMeasurement;
using ::augur::testing::MakePeers;
using ::augur::testing::MakePolicy;
using ::augur::testing::MakeTrial;

// Returns `peers` followed by `trial`, the way the server passes the whole
// study.
std::vector<TrialHistory> WithTrial(std::vector<TrialHistory> peers,
                                    const TrialHistory& trial) {
  peers.push_back(trial);
  return peers;
}

PolicyOutcome Outcome(const TrialPolicy& policy, const TrialHistory& trial,
                      const std::vector<TrialHistory>& peers) {
  return CheckPolicy(policy, trial, WithTrial(peers, trial)).outcome;
}

// --- Value at a step -------------------------------------------------------

TEST(ValueAtStep, ReturnsValueReportedAtThatStep) {
  const TrialHistory trial =
      MakeTrial(1, v1::ACTIVE, {{5, 0.5}, {10, 0.4}, {15, 0.3}});

  EXPECT_EQ(ValueAtStep(trial, "loss", 10), 0.4);
}

TEST(ValueAtStep, UsesLatestValueBeforeStep) {
  const TrialHistory trial =
      MakeTrial(1, v1::ACTIVE, {{3, 0.9}, {9, 0.7}, {12, 0.6}});

  EXPECT_EQ(ValueAtStep(trial, "loss", 10), 0.7);
}

TEST(ValueAtStep, IgnoresMeasurementOrder) {
  const TrialHistory trial =
      MakeTrial(1, v1::ACTIVE, {{12, 0.6}, {3, 0.9}, {9, 0.7}});

  EXPECT_EQ(ValueAtStep(trial, "loss", 10), 0.7);
}

TEST(ValueAtStep, NoneWhenTrialEndedBeforeStep) {
  const TrialHistory trial = MakeTrial(1, v1::STOPPED, {{3, 0.9}, {9, 0.7}});

  EXPECT_EQ(ValueAtStep(trial, "loss", 10), std::nullopt);
}

TEST(ValueAtStep, NoneWhenFirstReportIsAfterStep) {
  const TrialHistory trial = MakeTrial(1, v1::ACTIVE, {{12, 0.6}});

  EXPECT_EQ(ValueAtStep(trial, "loss", 10), std::nullopt);
}

TEST(ValueAtStep, SkipsMeasurementsWithoutTheMetric) {
  TrialHistory trial = MakeTrial(1, v1::ACTIVE, {{5, 0.5}});
  trial.measurements.push_back(MakeMeasurement(10, {{"accuracy", 0.9}}));
  trial.measurements.push_back(MakeMeasurement(20, {{"loss", 0.2}}));

  EXPECT_EQ(ValueAtStep(trial, "loss", 10), 0.5);
  EXPECT_EQ(ValueAtStep(trial, "accuracy", 10), 0.9);
  EXPECT_EQ(ValueAtStep(trial, "accuracy", 11), std::nullopt);
}

// --- Median ----------------------------------------------------------------

TEST(Median, OddCountTakesMiddleValue) {
  EXPECT_EQ(Median({5.0, 1.0, 3.0}), 3.0);
  EXPECT_EQ(Median({7.0}), 7.0);
}

TEST(Median, EvenCountAveragesMiddleValues) {
  EXPECT_EQ(Median({10.0, 1.0, 4.0, 2.0}), 3.0);
  EXPECT_EQ(Median({-1.0, 2.0}), 0.5);
}

TEST(Median, IsNotTheMean) { EXPECT_EQ(Median({1.0, 2.0, 100.0}), 2.0); }

// --- median policy ---------------------------------------------------------

TEST(MedianPolicy, StopsTrialWorseThanMedian) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, /*maximize=*/true,
                                        0, /*evaluation_interval=*/10, 0, 3);
  const auto peers = MakePeers(1, {0.5, 0.6, 0.7}, {10});
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{10, 0.4}});

  const PolicyResult result =
      CheckPolicy(policy, trial, WithTrial(peers, trial));

  EXPECT_EQ(result.outcome, PolicyOutcome::kStop);
  EXPECT_EQ(result.step, 10);
  EXPECT_NE(result.message.find("median 0.6"), std::string::npos)
      << result.message;
  EXPECT_NE(result.message.find("stopping_policy (median) on loss"),
            std::string::npos)
      << result.message;
}

TEST(MedianPolicy, ContinuesTrialEqualToMedian) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 10, 0, 3);
  const auto peers = MakePeers(1, {0.5, 0.6, 0.7}, {10});
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{10, 0.6}});

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kContinue);
}

TEST(MedianPolicy, ComparesBestValueSoFar) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 10, 0, 3);
  const auto peers = MakePeers(1, {0.5, 0.6, 0.7}, {10, 20});
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{10, 0.8}, {20, 0.3}});

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kContinue);
}

TEST(MedianPolicy, StopsWhereMeanWouldContinue) {
  // Mean 0.6, median 0.8: a mean-based rule would let 0.7 run on.
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 1, 0, 3);
  const auto peers = MakePeers(1, {0.1, 0.8, 0.9}, {5});
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{5, 0.7}});

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kStop);
}

TEST(MedianPolicy, ContinuesWhereMeanWouldStop) {
  // Mean 0.4, median 0.2: a mean-based rule would stop 0.3.
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 1, 0, 3);
  const auto peers = MakePeers(1, {0.1, 0.2, 0.9}, {5});
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{5, 0.3}});

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kContinue);
}

TEST(MedianPolicy, EvenCountWhenMinimizing) {
  // Median of {1, 2, 4, 10} is 3; the mean is 4.25.
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kMedian, /*maximize=*/false, 0, 1, 0, 4);
  const auto peers = MakePeers(1, {1.0, 2.0, 4.0, 10.0}, {5});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{5, 3.0}}), peers),
            PolicyOutcome::kContinue);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{5, 3.5}}), peers),
            PolicyOutcome::kStop);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{5, 2.5}}), peers),
            PolicyOutcome::kContinue);
}

TEST(MedianPolicy, CheckedOnlyAtMultiplesOfEvaluationInterval) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 10, 0, 3);
  const auto peers = MakePeers(1, {0.5, 0.6, 0.7}, {5, 10, 15, 20});

  const TrialHistory before = MakeTrial(9, v1::ACTIVE, {{5, 0.1}});
  const TrialHistory at = MakeTrial(9, v1::ACTIVE, {{5, 0.1}, {10, 0.1}});
  const TrialHistory between =
      MakeTrial(9, v1::ACTIVE, {{5, 0.1}, {10, 0.1}, {15, 0.1}});
  const TrialHistory next =
      MakeTrial(9, v1::ACTIVE, {{5, 0.1}, {10, 0.1}, {15, 0.1}, {20, 0.1}});

  EXPECT_EQ(Outcome(policy, before, peers), PolicyOutcome::kNotDue);
  EXPECT_EQ(Outcome(policy, at, peers), PolicyOutcome::kStop);
  EXPECT_EQ(Outcome(policy, between, peers), PolicyOutcome::kNotDue);
  EXPECT_EQ(Outcome(policy, next, peers), PolicyOutcome::kStop);
}

TEST(MedianPolicy, NotCheckedBeforeMinInterval) {
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kMedian, true, 0, 10, /*min_interval=*/20, 3);
  const auto peers = MakePeers(1, {0.5, 0.6, 0.7}, {10, 20});

  const TrialHistory at_10 = MakeTrial(9, v1::ACTIVE, {{10, 0.1}});
  const TrialHistory at_20 = MakeTrial(9, v1::ACTIVE, {{10, 0.1}, {20, 0.1}});

  EXPECT_EQ(Outcome(policy, at_10, peers), PolicyOutcome::kNotDue);
  EXPECT_EQ(Outcome(policy, at_20, peers), PolicyOutcome::kStop);
}

TEST(MedianPolicy, NotDueBeforeFirstReport) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 1, 0, 1);
  const auto peers = MakePeers(1, {0.5}, {1});
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {});

  const PolicyResult result =
      CheckPolicy(policy, trial, WithTrial(peers, trial));

  EXPECT_EQ(result.outcome, PolicyOutcome::kNotDue);
  EXPECT_EQ(result.step, std::nullopt);
}

TEST(MedianPolicy, WaitsForMinSamples) {
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kMedian, true, 0, 10, 0, /*min_samples=*/3);
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{10, 0.1}});

  const PolicyResult two = CheckPolicy(
      policy, trial, WithTrial(MakePeers(1, {0.5, 0.6}, {10}), trial));
  const PolicyResult three = CheckPolicy(
      policy, trial, WithTrial(MakePeers(1, {0.5, 0.6, 0.7}, {10}), trial));

  EXPECT_EQ(two.outcome, PolicyOutcome::kTooFewSamples);
  EXPECT_NE(two.message.find("2 other trials"), std::string::npos)
      << two.message;
  EXPECT_EQ(three.outcome, PolicyOutcome::kStop);
}

TEST(MedianPolicy, CountsActiveSucceededAndStoppedButNotFailed) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 10, 0, 3);
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{10, 0.4}});
  std::vector<TrialHistory> peers = {
      MakeTrial(1, v1::ACTIVE, {{10, 0.5}}),
      MakeTrial(2, v1::SUCCEEDED, {{10, 0.6}}),
      MakeTrial(3, v1::FAILED, {{10, 0.7}}),
      MakeTrial(4, v1::PENDING, {}),
  };

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kTooFewSamples);

  peers.push_back(MakeTrial(5, v1::STOPPED, {{10, 0.7}}));
  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kStop);
}

TEST(MedianPolicy, FailedTrialValuesDoNotMoveTheMedian) {
  // The median of 0.6 and 0.8 is 0.7. With the FAILED trial's 0.0 counted,
  // it would be 0.6 and 0.65 would continue.
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 10, 0, 2);
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{10, 0.65}});
  const std::vector<TrialHistory> peers = {
      MakeTrial(1, v1::SUCCEEDED, {{10, 0.6}}),
      MakeTrial(2, v1::SUCCEEDED, {{10, 0.8}}),
      MakeTrial(3, v1::FAILED, {{10, 0.0}}),
  };

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kStop);
}

TEST(MedianPolicy, TrialsThatEndedEarlierAreNotSamples) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 10, 0, 2);
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{20, 0.4}});
  const std::vector<TrialHistory> peers = {
      MakeTrial(1, v1::SUCCEEDED, {{10, 0.6}, {20, 0.6}}),
      MakeTrial(2, v1::STOPPED, {{10, 0.1}}),
  };

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kTooFewSamples);
}

TEST(MedianPolicy, PeersReportingOffStepUseLatestEarlierValue) {
  // At step 10 the peers' values are those of step 9: 0.2, 0.3, 0.4.
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 10, 0, 3);
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{10, 0.35}});
  const std::vector<TrialHistory> peers = {
      MakeTrial(1, v1::ACTIVE, {{9, 0.2}, {12, 0.9}}),
      MakeTrial(2, v1::ACTIVE, {{9, 0.3}, {12, 0.9}}),
      MakeTrial(3, v1::ACTIVE, {{9, 0.4}, {12, 0.9}}),
  };

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kContinue);
}

TEST(MedianPolicy, IgnoresOtherMetrics) {
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kMedian, true, 0, 1, 0, 1, "accuracy");
  const auto peers = MakePeers(1, {0.9}, {5}, "loss");
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{5, 0.1}}, "accuracy");

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kTooFewSamples);
}

TEST(MedianPolicy, SkipsTrialItself) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kMedian, true, 0, 1, 0, 1);
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{5, 0.1}});

  EXPECT_EQ(CheckPolicy(policy, trial, {trial}).outcome,
            PolicyOutcome::kTooFewSamples);
}

// --- truncation policy -----------------------------------------------------

TEST(TruncationPolicy, StopsWorstPercentWhenMaximizing) {
  const auto peers = MakePeers(1, {2.0, 3.0, 4.0}, {10});
  const TrialHistory worst = MakeTrial(9, v1::ACTIVE, {{10, 1.0}});
  const TrialHistory second = MakeTrial(9, v1::ACTIVE, {{10, 2.5}});

  // n = 4: 25% is the worst 1 trial, 50% the worst 2.
  const TrialPolicy quarter =
      MakePolicy(PolicyKind::kTruncation, true, 25, 10, 0, 3);
  const TrialPolicy half =
      MakePolicy(PolicyKind::kTruncation, true, 50, 10, 0, 3);

  EXPECT_EQ(Outcome(quarter, worst, peers), PolicyOutcome::kStop);
  EXPECT_EQ(Outcome(quarter, second, peers), PolicyOutcome::kContinue);
  EXPECT_EQ(Outcome(half, second, peers), PolicyOutcome::kStop);
}

TEST(TruncationPolicy, StopsWorstPercentWhenMinimizing) {
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kTruncation, false, 25, 10, 0, 3);
  const auto peers = MakePeers(1, {2.0, 3.0, 4.0}, {10});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{10, 5.0}}), peers),
            PolicyOutcome::kStop);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{10, 1.0}}), peers),
            PolicyOutcome::kContinue);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{10, 3.5}}), peers),
            PolicyOutcome::kContinue);
}

TEST(TruncationPolicy, RoundsCountUp) {
  // n = 5 and 30%: ceil(1.5) = 2, so the second worst stops.
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kTruncation, true, 30, 1, 0, 1);
  const auto peers = MakePeers(1, {1.0, 3.0, 4.0, 5.0}, {1});

  const PolicyResult result =
      CheckPolicy(policy, MakeTrial(9, v1::ACTIVE, {{1, 2.0}}),
                  WithTrial(peers, MakeTrial(9, v1::ACTIVE, {{1, 2.0}})));

  EXPECT_EQ(result.outcome, PolicyOutcome::kStop);
  EXPECT_NE(result.message.find("worst 2 of 5"), std::string::npos)
      << result.message;
}

TEST(TruncationPolicy, RepresentationErrorDoesNotRoundUp) {
  // n = 10 and 30% computed as 0.1 * 3 * 100 = 30.000000000000004: k is 3,
  // so the fourth worst continues.
  const double percent = 0.1 * 3 * 100;
  ASSERT_GT(percent, 30.0);
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kTruncation, true, percent, 1, 0, 1);
  const auto peers =
      MakePeers(1, {1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0}, {1});

  EXPECT_EQ(Outcome(policy, MakeTrial(20, v1::ACTIVE, {{1, 4.0}}), peers),
            PolicyOutcome::kContinue);
  EXPECT_EQ(Outcome(policy, MakeTrial(20, v1::ACTIVE, {{1, 2.5}}), peers),
            PolicyOutcome::kStop);
}

TEST(TruncationPolicy, TiedTrialsStopOnlyTogether) {
  // Values {1, 1, 3, 4}: the two tied worst trials stop only when both fit
  // into the worst k.
  const auto peers = MakePeers(1, {1.0, 3.0, 4.0}, {10});
  const TrialHistory tied = MakeTrial(9, v1::ACTIVE, {{10, 1.0}});
  const TrialPolicy quarter =
      MakePolicy(PolicyKind::kTruncation, true, 25, 10, 0, 3);
  const TrialPolicy half =
      MakePolicy(PolicyKind::kTruncation, true, 50, 10, 0, 3);

  EXPECT_EQ(Outcome(quarter, tied, peers), PolicyOutcome::kContinue);
  EXPECT_EQ(Outcome(half, tied, peers), PolicyOutcome::kStop);
}

TEST(TruncationPolicy, AllEqualValuesNeverStop) {
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kTruncation, true, 75, 1, 0, 3);
  const auto peers = MakePeers(1, {0.5, 0.5, 0.5}, {1});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{1, 0.5}}), peers),
            PolicyOutcome::kContinue);
}

TEST(TruncationPolicy, HundredPercentStopsEveryTrial) {
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kTruncation, true, 100, 1, 0, 2);
  const auto peers = MakePeers(1, {0.5, 0.6}, {1});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{1, 0.9}}), peers),
            PolicyOutcome::kStop);
}

TEST(TruncationPolicy, UsesValueAtStepNotBestSoFar) {
  const TrialPolicy policy =
      MakePolicy(PolicyKind::kTruncation, true, 25, 10, 0, 3);
  const auto peers = MakePeers(1, {2.0, 3.0, 4.0}, {10, 20});
  const TrialHistory trial = MakeTrial(9, v1::ACTIVE, {{10, 5.0}, {20, 1.0}});

  EXPECT_EQ(Outcome(policy, trial, peers), PolicyOutcome::kStop);
}

TEST(TruncationPolicy, RespectsIntervalsAndMinSamples) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kTruncation, true, 50, 5,
                                        /*min_interval=*/10, /*min_samples=*/3);
  const auto peers = MakePeers(1, {2.0, 3.0, 4.0}, {5, 10, 12});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{5, 1.0}}), peers),
            PolicyOutcome::kNotDue);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{12, 1.0}}), peers),
            PolicyOutcome::kNotDue);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{10, 1.0}}), peers),
            PolicyOutcome::kStop);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{15, 1.0}}), peers),
            PolicyOutcome::kTooFewSamples);
}

// --- diff policy -----------------------------------------------------------

TEST(DiffPolicy, StopsBeyondPercentOfBestWhenMaximizing) {
  // Best 4 and 25%: values more than 1 below 4 stop.
  const TrialPolicy policy = MakePolicy(PolicyKind::kDiff, true, 25, 10, 0, 2);
  const auto peers = MakePeers(1, {4.0, 3.5}, {10});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{10, 3.0}}), peers),
            PolicyOutcome::kContinue);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{10, 2.75}}), peers),
            PolicyOutcome::kStop);
}

TEST(DiffPolicy, StopsBeyondPercentOfBestWhenMinimizing) {
  // Best 2 and 25%: values more than 0.5 above 2 stop.
  const TrialPolicy policy = MakePolicy(PolicyKind::kDiff, false, 25, 10, 0, 2);
  const auto peers = MakePeers(1, {2.0, 3.0}, {10});

  const TrialHistory inside = MakeTrial(9, v1::ACTIVE, {{10, 2.5}});
  const TrialHistory outside = MakeTrial(9, v1::ACTIVE, {{10, 2.75}});
  const PolicyResult result =
      CheckPolicy(policy, outside, WithTrial(peers, outside));

  EXPECT_EQ(Outcome(policy, inside, peers), PolicyOutcome::kContinue);
  EXPECT_EQ(result.outcome, PolicyOutcome::kStop);
  EXPECT_NE(result.message.find("best value 2"), std::string::npos)
      << result.message;
}

TEST(DiffPolicy, UsesAbsoluteValueOfNegativeBest) {
  // Best -4 (minimize) and 25%: the allowed distance is 1.
  const TrialPolicy policy = MakePolicy(PolicyKind::kDiff, false, 25, 1, 0, 1);
  const auto peers = MakePeers(1, {-4.0}, {1});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{1, -3.0}}), peers),
            PolicyOutcome::kContinue);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{1, -2.5}}), peers),
            PolicyOutcome::kStop);
}

TEST(DiffPolicy, BestTrialNeverStops) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kDiff, true, 1, 1, 0, 2);
  const auto peers = MakePeers(1, {1.0, 2.0}, {1});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{1, 10.0}}), peers),
            PolicyOutcome::kContinue);
}

TEST(DiffPolicy, ZeroBestStopsAnyOtherValue) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kDiff, false, 50, 1, 0, 1);
  const auto peers = MakePeers(1, {0.0}, {1});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{1, 0.001}}), peers),
            PolicyOutcome::kStop);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{1, 0.0}}), peers),
            PolicyOutcome::kContinue);
}

TEST(DiffPolicy, CheckedOnlyAtEvaluationSteps) {
  const TrialPolicy policy = MakePolicy(PolicyKind::kDiff, true, 10, 4, 8, 1);
  const auto peers = MakePeers(1, {10.0}, {4, 8, 10});

  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{4, 1.0}}), peers),
            PolicyOutcome::kNotDue);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{10, 1.0}}), peers),
            PolicyOutcome::kNotDue);
  EXPECT_EQ(Outcome(policy, MakeTrial(9, v1::ACTIVE, {{8, 1.0}}), peers),
            PolicyOutcome::kStop);
}

}  // namespace
}  // namespace augur
