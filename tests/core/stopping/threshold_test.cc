#include "core/stopping/threshold.h"

#include <optional>
#include <string>
#include <vector>

#include "augur/v1/augur.pb.h"
#include "gtest/gtest.h"
#include "tests/core/stopping/histories.h"

namespace augur {
namespace {

using ::augur::testing::MakeMeasurement;

const std::vector<ThresholdRule> kRules = {
    {0, "accuracy", 0.9, /*maximize=*/true},
    {1, "loss", 0.1, /*maximize=*/false},
};

TEST(FindThresholdHit, MaximizeFiresAtOrAboveValue) {
  const auto below =
      FindThresholdHit(kRules, 7, MakeMeasurement(3, {{"accuracy", 0.89}}));
  const auto equal =
      FindThresholdHit(kRules, 7, MakeMeasurement(3, {{"accuracy", 0.9}}));
  const auto above =
      FindThresholdHit(kRules, 7, MakeMeasurement(3, {{"accuracy", 0.95}}));

  EXPECT_FALSE(below.has_value());
  ASSERT_TRUE(equal.has_value());
  EXPECT_EQ(equal->trigger.value(), 0.9);
  ASSERT_TRUE(above.has_value());
  EXPECT_EQ(above->trigger.value(), 0.95);
}

TEST(FindThresholdHit, MinimizeFiresAtOrBelowValue) {
  const auto above =
      FindThresholdHit(kRules, 7, MakeMeasurement(3, {{"loss", 0.11}}));
  const auto equal =
      FindThresholdHit(kRules, 7, MakeMeasurement(3, {{"loss", 0.1}}));
  const auto below =
      FindThresholdHit(kRules, 7, MakeMeasurement(3, {{"loss", -1.0}}));

  EXPECT_FALSE(above.has_value());
  EXPECT_TRUE(equal.has_value());
  EXPECT_TRUE(below.has_value());
}

TEST(FindThresholdHit, AnyListedMetricFires) {
  const v1::Measurement measurement =
      MakeMeasurement(12, {{"accuracy", 0.5}, {"loss", 0.05}});

  const std::optional<ThresholdHit> hit =
      FindThresholdHit(kRules, 7, measurement);

  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->rule_index, 1);
  EXPECT_EQ(hit->trigger.trial_id(), 7);
  EXPECT_EQ(hit->trigger.metric(), "loss");
  EXPECT_EQ(hit->trigger.value(), 0.05);
}

TEST(FindThresholdHit, FirstRuleWinsWhenSeveralFire) {
  const v1::Measurement measurement =
      MakeMeasurement(12, {{"loss", 0.05}, {"accuracy", 0.99}});

  const std::optional<ThresholdHit> hit =
      FindThresholdHit(kRules, 7, measurement);

  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->rule_index, 0);
  EXPECT_EQ(hit->trigger.metric(), "accuracy");
}

TEST(FindThresholdHit, IgnoresUnlistedMetrics) {
  const v1::Measurement measurement =
      MakeMeasurement(12, {{"val_accuracy", 1.0}, {"val_loss", 0.0}});

  EXPECT_FALSE(FindThresholdHit(kRules, 7, measurement).has_value());
  EXPECT_FALSE(FindThresholdHit({}, 7, measurement).has_value());
}

TEST(FindThresholdHit, SameMetricInTwoDirections) {
  // One rule stops on a high loss (divergence), another on a low one.
  const std::vector<ThresholdRule> rules = {{0, "loss", 100.0, true},
                                            {1, "loss", 0.01, false}};

  EXPECT_FALSE(FindThresholdHit(rules, 1, MakeMeasurement(1, {{"loss", 5.0}})));
  EXPECT_EQ(FindThresholdHit(rules, 1, MakeMeasurement(1, {{"loss", 500.0}}))
                ->rule_index,
            0);
  EXPECT_EQ(FindThresholdHit(rules, 1, MakeMeasurement(1, {{"loss", 0.001}}))
                ->rule_index,
            1);
}

TEST(FindThresholdHit, MessageNamesRuleTrialStepAndValues) {
  const std::optional<ThresholdHit> hit =
      FindThresholdHit(kRules, 42, MakeMeasurement(17, {{"loss", 0.05}}));

  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(
      hit->message,
      "early_stopping[1] threshold reached: trial 42 reported loss = 0.05 "
      "at step 17, <= 0.1 (minimize)");
}

}  // namespace
}  // namespace augur
