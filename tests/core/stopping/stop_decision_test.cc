#include "core/stopping/stop_decision.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "augur/v1/augur.pb.h"
#include "core/stopping/stopping_rules.h"
#include "core/stopping/threshold.h"
#include "core/study_config.h"
#include "gtest/gtest.h"
#include "tests/core/stopping/histories.h"

namespace augur {
namespace {

using ::augur::testing::MakeMeasurement;
using ::augur::testing::MakePeers;
using ::augur::testing::MakeTrial;

// A study that maximizes accuracy, stops at accuracy >= 0.95, and runs a
// median policy on accuracy from step 10 with 3 samples.
StoppingRules MedianStudyRules() {
  v1::StudySpec spec;
  v1::EarlyStoppingRule* rule = spec.add_early_stopping();
  rule->set_metric("accuracy");
  rule->set_value(0.95);
  rule->set_optimization(v1::MAXIMIZE);
  v1::MedianPolicy* median = spec.mutable_stopping_policy()->mutable_median();
  median->set_evaluation_interval(10);
  median->set_min_samples(3);
  spec.set_trial_timeout_seconds(600);

  absl::StatusOr<StoppingRules> rules =
      StoppingRules::Create(spec, Objective{"accuracy", true});
  EXPECT_TRUE(rules.ok()) << rules.status();
  return *rules;
}

class DecideStopTest : public ::testing::Test {
 protected:
  DecideStopTest() {
    study_.state = v1::STUDY_ACTIVE;
    study_.rules = &rules_;
    trials_ = MakePeers(1, {0.5, 0.6, 0.7}, {10}, "accuracy");
  }

  StopDecision Decide(int64_t trial_id) {
    absl::StatusOr<StopDecision> decision =
        DecideStop(study_, trials_, trial_id);
    EXPECT_TRUE(decision.ok()) << decision.status();
    return decision.value_or(StopDecision{});
  }

  StoppingRules rules_ = MedianStudyRules();
  StudyStopView study_;
  std::vector<TrialHistory> trials_;
};

TEST_F(DecideStopTest, ContinuesWhenNoRuleFires) {
  trials_.push_back(MakeTrial(9, v1::ACTIVE, {{10, 0.8}}, "accuracy"));

  const StopDecision decision = Decide(9);

  EXPECT_FALSE(decision.stop);
  EXPECT_EQ(decision.reason, v1::STOP_REASON_UNSPECIFIED);
  EXPECT_EQ(decision.message, "");
}

TEST_F(DecideStopTest, StopsOnPolicy) {
  trials_.push_back(MakeTrial(9, v1::ACTIVE, {{10, 0.4}}, "accuracy"));

  const StopDecision decision = Decide(9);

  EXPECT_TRUE(decision.stop);
  EXPECT_EQ(decision.reason, v1::POLICY);
  EXPECT_EQ(decision.message,
            "stopping_policy (median) on accuracy (maximize) at step 10: best "
            "value so far 0.4 is worse than the median 0.6 of 3 other trials");
}

TEST_F(DecideStopTest, ContinuesBetweenEvaluationSteps) {
  trials_.push_back(
      MakeTrial(9, v1::ACTIVE, {{10, 0.8}, {11, 0.1}}, "accuracy"));

  EXPECT_FALSE(Decide(9).stop);
}

TEST_F(DecideStopTest, FirstFiringPolicyIsReported) {
  v1::StudySpec spec;
  v1::EarlyStoppingRule* rule = spec.add_early_stopping();
  rule->set_metric("accuracy");
  rule->set_value(0.95);
  rule->mutable_policy()->mutable_truncation()->set_percent(50);
  spec.mutable_stopping_policy()->mutable_median();
  rules_ = *StoppingRules::Create(spec, Objective{"accuracy", true});
  trials_.push_back(MakeTrial(9, v1::ACTIVE, {{10, 0.1}}, "accuracy"));

  const StopDecision decision = Decide(9);

  EXPECT_EQ(decision.reason, v1::POLICY);
  EXPECT_EQ(
      decision.message.rfind("early_stopping[0].policy (truncation 50%)", 0),
      0u)
      << decision.message;
}

TEST_F(DecideStopTest, EndedTrialIsFinished) {
  trials_.push_back(MakeTrial(9, v1::SUCCEEDED, {{10, 0.8}}, "accuracy"));
  trials_.push_back(MakeTrial(10, v1::STOPPED, {}, "accuracy"));
  trials_.push_back(MakeTrial(11, v1::FAILED, {}, "accuracy"));

  for (const int64_t id : {9, 10, 11}) {
    const StopDecision decision = Decide(id);
    EXPECT_TRUE(decision.stop) << "trial " << id;
    EXPECT_EQ(decision.reason, v1::TRIAL_FINISHED) << "trial " << id;
  }
  EXPECT_EQ(Decide(9).message, "trial 9 already ended as SUCCEEDED");
}

TEST_F(DecideStopTest, TimedOutTrialSaysSo) {
  TrialHistory trial = MakeTrial(9, v1::FAILED, {{10, 0.8}}, "accuracy");
  trial.timed_out = true;
  trials_.push_back(trial);

  const StopDecision decision = Decide(9);

  EXPECT_TRUE(decision.stop);
  EXPECT_EQ(decision.reason, v1::TIMED_OUT);
  EXPECT_EQ(decision.message,
            "trial 9 timed out: no call about the trial for more than 10m "
            "(trial_timeout)");
}

TEST_F(DecideStopTest, StoppedStudyStopsActiveTrials) {
  study_.state = v1::STUDY_STOPPED;
  study_.state_reason = "stopped by the user";
  trials_.push_back(MakeTrial(9, v1::ACTIVE, {{10, 0.8}}, "accuracy"));

  const StopDecision decision = Decide(9);

  EXPECT_TRUE(decision.stop);
  EXPECT_EQ(decision.reason, v1::STUDY_NOT_ACTIVE);
  EXPECT_EQ(decision.message, "study is STOPPED: stopped by the user");
}

TEST_F(DecideStopTest, FailedStudyStopsActiveTrials) {
  study_.state = v1::STUDY_FAILED;
  trials_.push_back(MakeTrial(9, v1::ACTIVE, {}, "accuracy"));

  const StopDecision decision = Decide(9);

  EXPECT_EQ(decision.reason, v1::STUDY_NOT_ACTIVE);
  EXPECT_EQ(decision.message, "study is FAILED");
}

TEST_F(DecideStopTest, ThresholdStopsEveryActiveTrial) {
  // The server's ReportMetric path: check the new measurement, stop the
  // study with the trigger, then decide for the reporter and its peers.
  trials_.push_back(MakeTrial(8, v1::ACTIVE, {{10, 0.8}}, "accuracy"));
  trials_.push_back(MakeTrial(9, v1::ACTIVE, {{10, 0.8}}, "accuracy"));
  const v1::Measurement report = MakeMeasurement(20, {{"accuracy", 0.97}});
  trials_.back().measurements.push_back(report);

  const std::optional<ThresholdHit> hit =
      FindThresholdHit(rules_.thresholds(), 9, report);
  ASSERT_TRUE(hit.has_value());
  study_.state = v1::STUDY_STOPPED;
  study_.state_reason = hit->message;
  study_.stop_trigger = hit->trigger;

  for (const int64_t id : {8, 9}) {
    const StopDecision decision = Decide(id);
    EXPECT_TRUE(decision.stop) << "trial " << id;
    EXPECT_EQ(decision.reason, v1::THRESHOLD_REACHED) << "trial " << id;
    EXPECT_EQ(decision.message,
              "study stopped: early_stopping[0] threshold reached: trial 9 "
              "reported accuracy = 0.97 at step 20, >= 0.95 (maximize)");
  }
}

TEST_F(DecideStopTest, ThresholdMessageWithoutStateReason) {
  study_.state = v1::STUDY_STOPPED;
  v1::StopTrigger trigger;
  trigger.set_trial_id(3);
  trigger.set_metric("accuracy");
  trigger.set_value(0.96);
  study_.stop_trigger = trigger;
  trials_.push_back(MakeTrial(9, v1::ACTIVE, {}, "accuracy"));

  const StopDecision decision = Decide(9);

  EXPECT_EQ(decision.reason, v1::THRESHOLD_REACHED);
  EXPECT_EQ(decision.message,
            "study stopped: early_stopping threshold reached: trial 3 reported "
            "accuracy = 0.96");
}

TEST_F(DecideStopTest, UnknownTrialIsNotFound) {
  const absl::StatusOr<StopDecision> decision =
      DecideStop(study_, trials_, 404);

  EXPECT_EQ(decision.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(decision.status().message().find("trial 404"), std::string::npos);
}

TEST_F(DecideStopTest, NullRulesAreInvalid) {
  study_.rules = nullptr;

  const absl::StatusOr<StopDecision> decision = DecideStop(study_, trials_, 1);

  EXPECT_EQ(decision.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StopDecisionToProto, CopiesEveryField) {
  const v1::StopDecision proto =
      StopDecisionToProto(StopDecision{true, v1::POLICY, "median"});

  EXPECT_TRUE(proto.should_stop());
  EXPECT_EQ(proto.reason(), v1::POLICY);
  EXPECT_EQ(proto.message(), "median");
}

}  // namespace
}  // namespace augur
