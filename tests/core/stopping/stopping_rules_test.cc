#include "core/stopping/stopping_rules.h"

#include <cmath>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "augur/v1/augur.pb.h"
#include "core/study_config.h"
#include "gtest/gtest.h"

namespace augur {
namespace {

const std::optional<Objective> kLoss = Objective{"loss", /*maximize=*/false};

v1::EarlyStoppingRule* AddRule(v1::StudySpec* spec, const std::string& metric,
                               double value, v1::Optimization optimization) {
  v1::EarlyStoppingRule* rule = spec->add_early_stopping();
  rule->set_metric(metric);
  rule->set_value(value);
  rule->set_optimization(optimization);
  return rule;
}

// Expects INVALID_ARGUMENT whose message contains `field`.
void ExpectInvalid(const v1::StudySpec& spec, const std::string& field,
                   const std::optional<Objective>& objective = kLoss) {
  const absl::StatusOr<StoppingRules> rules =
      StoppingRules::Create(spec, objective);
  ASSERT_FALSE(rules.ok()) << "expected an error naming " << field;
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(rules.status().message().find(field), std::string::npos)
      << rules.status().message();
}

TEST(StoppingRules, EmptySpecHasNoRules) {
  const auto rules = StoppingRules::Create(v1::StudySpec(), std::nullopt);

  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_TRUE(rules->thresholds().empty());
  EXPECT_TRUE(rules->policies().empty());
  EXPECT_EQ(rules->trial_timeout(), std::nullopt);
  EXPECT_EQ(rules->max_failed_trials(), std::nullopt);
}

TEST(StoppingRules, ReadsThresholdsInOrder) {
  v1::StudySpec spec;
  AddRule(&spec, "accuracy", 0.9, v1::MAXIMIZE);
  AddRule(&spec, "loss", 0.1, v1::MINIMIZE);

  const auto rules = StoppingRules::Create(spec, std::nullopt);

  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->thresholds().size(), 2u);
  EXPECT_EQ(rules->thresholds()[0].metric, "accuracy");
  EXPECT_TRUE(rules->thresholds()[0].maximize);
  EXPECT_EQ(rules->thresholds()[1].index, 1);
  EXPECT_EQ(rules->thresholds()[1].value, 0.1);
  EXPECT_FALSE(rules->thresholds()[1].maximize);
  EXPECT_TRUE(rules->policies().empty());
}

TEST(StoppingRules, UnsetOptimizationMaximizes) {
  v1::StudySpec spec;
  AddRule(&spec, "accuracy", 0.9, v1::OPTIMIZATION_UNSPECIFIED);

  const auto rules = StoppingRules::Create(spec, std::nullopt);

  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_TRUE(rules->thresholds()[0].maximize);
}

TEST(StoppingRules, RulePolicyWatchesRuleMetric) {
  v1::StudySpec spec;
  AddRule(&spec, "accuracy", 0.99, v1::MAXIMIZE);
  v1::EarlyStoppingRule* rule = AddRule(&spec, "val_loss", 0.01, v1::MINIMIZE);
  v1::TruncationPolicy* truncation =
      rule->mutable_policy()->mutable_truncation();
  truncation->set_percent(20);
  truncation->set_evaluation_interval(5);
  truncation->set_min_interval(10);
  truncation->set_min_samples(4);

  const auto rules = StoppingRules::Create(spec, kLoss);

  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->policies().size(), 1u);
  const TrialPolicy& policy = rules->policies()[0];
  EXPECT_EQ(policy.source, "early_stopping[1].policy");
  EXPECT_EQ(policy.kind, PolicyKind::kTruncation);
  EXPECT_EQ(policy.metric, "val_loss");
  EXPECT_FALSE(policy.maximize);
  EXPECT_EQ(policy.percent, 20);
  EXPECT_EQ(policy.evaluation_interval, 5);
  EXPECT_EQ(policy.min_interval, 10);
  EXPECT_EQ(policy.min_samples, 4);
}

TEST(StoppingRules, StudyPolicyWatchesObjective) {
  v1::StudySpec spec;
  spec.mutable_stopping_policy()->mutable_median();

  const auto rules = StoppingRules::Create(spec, Objective{"accuracy", true});

  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->policies().size(), 1u);
  const TrialPolicy& policy = rules->policies()[0];
  EXPECT_EQ(policy.source, "stopping_policy");
  EXPECT_EQ(policy.kind, PolicyKind::kMedian);
  EXPECT_EQ(policy.metric, "accuracy");
  EXPECT_TRUE(policy.maximize);
}

TEST(StoppingRules, UnsetIntervalsTakeDefaults) {
  v1::StudySpec spec;
  spec.mutable_stopping_policy()->mutable_median();

  const auto rules = StoppingRules::Create(spec, kLoss);

  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->policies()[0].evaluation_interval, 1);
  EXPECT_EQ(rules->policies()[0].min_interval, 0);
  EXPECT_EQ(rules->policies()[0].min_samples, 1);
}

TEST(StoppingRules, PoliciesInRuleOrderThenStudyPolicy) {
  v1::StudySpec spec;
  spec.mutable_stopping_policy()->mutable_diff()->set_percent(5);
  AddRule(&spec, "a", 1, v1::MAXIMIZE)->mutable_policy()->mutable_median();
  AddRule(&spec, "b", 1, v1::MAXIMIZE);
  AddRule(&spec, "c", 1, v1::MAXIMIZE)->mutable_policy()->mutable_median();

  const auto rules = StoppingRules::Create(spec, kLoss);

  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->policies().size(), 3u);
  EXPECT_EQ(rules->policies()[0].metric, "a");
  EXPECT_EQ(rules->policies()[1].metric, "c");
  EXPECT_EQ(rules->policies()[2].metric, "loss");
  EXPECT_EQ(rules->policies()[2].kind, PolicyKind::kDiff);
}

TEST(StoppingRules, StudyPolicyNeedsObjective) {
  v1::StudySpec spec;
  spec.mutable_stopping_policy()->mutable_median();

  ExpectInvalid(spec, "stopping_policy needs a study metric", std::nullopt);
  ExpectInvalid(spec, "stopping_policy needs a study metric",
                Objective{"", true});
}

TEST(StoppingRules, RejectsEmptyMetric) {
  v1::StudySpec spec;
  AddRule(&spec, "", 1, v1::MAXIMIZE);

  ExpectInvalid(spec, "early_stopping[0].metric is empty");
}

TEST(StoppingRules, RejectsNonFiniteThreshold) {
  v1::StudySpec spec;
  AddRule(&spec, "loss", 0.1, v1::MINIMIZE);
  AddRule(&spec, "accuracy", std::nan(""), v1::MAXIMIZE);

  ExpectInvalid(spec, "early_stopping[1].value is nan");
}

TEST(StoppingRules, RejectsUnknownOptimization) {
  v1::StudySpec spec;
  AddRule(&spec, "loss", 0.1, static_cast<v1::Optimization>(7));

  ExpectInvalid(spec, "early_stopping[0].optimization has the unknown value 7");
}

TEST(StoppingRules, RejectsNegativeIntervals) {
  v1::StudySpec interval;
  interval.mutable_stopping_policy()->mutable_median()->set_evaluation_interval(
      -1);
  v1::StudySpec min_interval;
  min_interval.mutable_stopping_policy()->mutable_median()->set_min_interval(
      -5);
  v1::StudySpec min_samples;
  AddRule(&min_samples, "loss", 0.1, v1::MINIMIZE)
      ->mutable_policy()
      ->mutable_diff()
      ->set_percent(10);
  min_samples.mutable_early_stopping(0)
      ->mutable_policy()
      ->mutable_diff()
      ->set_min_samples(-2);

  ExpectInvalid(interval, "stopping_policy.median.evaluation_interval is -1");
  ExpectInvalid(min_interval, "stopping_policy.median.min_interval is -5");
  ExpectInvalid(min_samples, "early_stopping[0].policy.diff.min_samples is -2");
}

TEST(StoppingRules, TruncationPercentMustBeInRange) {
  for (const double percent : {0.0, -10.0, 100.5, HUGE_VAL}) {
    v1::StudySpec spec;
    spec.mutable_stopping_policy()->mutable_truncation()->set_percent(percent);
    ExpectInvalid(spec, "stopping_policy.truncation.percent is");
  }

  v1::StudySpec spec;
  spec.mutable_stopping_policy()->mutable_truncation()->set_percent(100);
  EXPECT_TRUE(StoppingRules::Create(spec, kLoss).ok());
}

TEST(StoppingRules, DiffPercentMustBePositive) {
  v1::StudySpec zero;
  zero.mutable_stopping_policy()->mutable_diff();
  ExpectInvalid(zero,
                "stopping_policy.diff.percent is 0: use a percent above 0");

  v1::StudySpec large;
  large.mutable_stopping_policy()->mutable_diff()->set_percent(150);
  const auto rules = StoppingRules::Create(large, kLoss);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->policies()[0].percent, 150);
}

TEST(StoppingRules, ReadsTrialTimeoutAndMaxFailedTrials) {
  v1::StudySpec spec;
  spec.set_trial_timeout_seconds(90.5);
  spec.set_max_failed_trials(3);

  const auto rules = StoppingRules::Create(spec, std::nullopt);

  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->trial_timeout(), absl::Milliseconds(90'500));
  EXPECT_EQ(rules->max_failed_trials(), 3);
}

TEST(StoppingRules, RejectsNonPositiveTrialTimeout) {
  for (const double seconds : {0.0, -1.0, std::nan("")}) {
    v1::StudySpec spec;
    spec.set_trial_timeout_seconds(seconds);
    ExpectInvalid(spec, "trial_timeout is");
  }
}

TEST(StoppingRules, RejectsMaxFailedTrialsBelowOne) {
  v1::StudySpec spec;
  spec.set_max_failed_trials(0);

  ExpectInvalid(spec, "max_failed_trials is 0: use 1 or more");
}

}  // namespace
}  // namespace augur
