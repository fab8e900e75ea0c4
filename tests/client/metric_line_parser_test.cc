#include "client/runner/metric_line_parser.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace augur {
namespace {

using Metrics = std::vector<std::pair<std::string, double>>;

TEST(MetricLineParser, ReadsAllTokensWhenNoneDeclared) {
  MetricLineParser parser({});

  const ParsedStdoutLine line = parser.Parse("loss=0.5 accuracy=0.91");

  ASSERT_TRUE(line.has_measurement);
  EXPECT_EQ(line.measurement.step, 0);
  EXPECT_EQ(line.measurement.metrics, (Metrics{{"loss", 0.5}, {"accuracy", 0.91}}));
}

TEST(MetricLineParser, CountsImplicitStepsFromZero) {
  MetricLineParser parser({});

  EXPECT_EQ(parser.Parse("loss=3").measurement.step, 0);
  EXPECT_FALSE(parser.Parse("epoch done").has_measurement);
  EXPECT_EQ(parser.Parse("loss=2").measurement.step, 1);
  EXPECT_EQ(parser.Parse("loss=1").measurement.step, 2);
}

TEST(MetricLineParser, ExplicitStepSetsStepAndCounter) {
  MetricLineParser parser({});

  const ParsedStdoutLine first = parser.Parse("step=5 loss=1");
  const ParsedStdoutLine second = parser.Parse("loss=0.9");

  EXPECT_EQ(first.measurement.step, 5);
  EXPECT_EQ(first.measurement.metrics, (Metrics{{"loss", 1.0}}));
  EXPECT_EQ(second.measurement.step, 6);
}

TEST(MetricLineParser, StepAfterMetricsStillApplies) {
  MetricLineParser parser({});

  EXPECT_EQ(parser.Parse("loss=1 step=40").measurement.step, 40);
}

TEST(MetricLineParser, StepAloneIsNoMeasurement) {
  MetricLineParser parser({});

  EXPECT_FALSE(parser.Parse("step=3").has_measurement);
  EXPECT_EQ(parser.Parse("loss=1").measurement.step, 0);
}

TEST(MetricLineParser, InvalidStepIsIgnored) {
  MetricLineParser parser({});

  const ParsedStdoutLine line = parser.Parse("step=1.5 loss=2 step=-1");

  ASSERT_TRUE(line.has_measurement);
  EXPECT_EQ(line.measurement.step, 0);
  EXPECT_EQ(line.measurement.metrics, (Metrics{{"loss", 2.0}}));
}

TEST(MetricLineParser, RecordsOnlyDeclaredMetrics) {
  MetricLineParser parser({"accuracy"});

  const ParsedStdoutLine noise = parser.Parse("loss=0.3 lr=0.01");
  const ParsedStdoutLine line = parser.Parse("loss=0.2 accuracy=0.8");

  EXPECT_FALSE(noise.has_measurement);
  ASSERT_TRUE(line.has_measurement);
  EXPECT_EQ(line.measurement.step, 0);
  EXPECT_EQ(line.measurement.metrics, (Metrics{{"accuracy", 0.8}}));
}

TEST(MetricLineParser, IgnoresNonNumericAndMalformedTokens) {
  MetricLineParser parser({});

  const ParsedStdoutLine line = parser.Parse(
      "Epoch 3/10 - optimizer=adam loss=0.5, =4 9lives=1 --lr=0.1 acc=0.7");

  ASSERT_TRUE(line.has_measurement);
  EXPECT_EQ(line.measurement.metrics, (Metrics{{"acc", 0.7}}));
}

TEST(MetricLineParser, AcceptsScientificAndSignedValues) {
  MetricLineParser parser({});

  const ParsedStdoutLine line =
      parser.Parse("lr=1e-4 delta=-2.5 gain=+3 val/loss=.25");

  EXPECT_EQ(line.measurement.metrics,
            (Metrics{{"lr", 1e-4}, {"delta", -2.5}, {"gain", 3.0},
                     {"val/loss", 0.25}}));
}

TEST(MetricLineParser, SplitsOnTabsAndCarriageReturns) {
  MetricLineParser parser({});

  const ParsedStdoutLine line = parser.Parse("\tloss=1\taccuracy=0.5\r");

  EXPECT_EQ(line.measurement.metrics, (Metrics{{"loss", 1.0}, {"accuracy", 0.5}}));
}

TEST(MetricLineParser, RepeatedNameKeepsLastValue) {
  MetricLineParser parser({});

  const ParsedStdoutLine line = parser.Parse("loss=1 acc=0.1 loss=2");

  EXPECT_EQ(line.measurement.metrics, (Metrics{{"loss", 2.0}, {"acc", 0.1}}));
}

TEST(MetricLineParser, ReportsNonFiniteValuesSeparately) {
  MetricLineParser parser({});

  const ParsedStdoutLine line = parser.Parse("loss=nan grad=inf acc=0.5");

  EXPECT_EQ(line.measurement.metrics, (Metrics{{"acc", 0.5}}));
  EXPECT_EQ(line.non_finite, (std::vector<std::string>{"loss", "grad"}));
}

TEST(MetricLineParser, OnlyNonFiniteValuesGiveNoMeasurement) {
  MetricLineParser parser({});

  const ParsedStdoutLine line = parser.Parse("loss=nan");

  EXPECT_FALSE(line.has_measurement);
  EXPECT_EQ(line.non_finite, (std::vector<std::string>{"loss"}));
  EXPECT_EQ(parser.Parse("loss=1").measurement.step, 0);
}

TEST(MetricLineParser, EmptyLineIsNoMeasurement) {
  MetricLineParser parser({});

  EXPECT_FALSE(parser.Parse("").has_measurement);
  EXPECT_FALSE(parser.Parse("   ").has_measurement);
}

}  // namespace
}  // namespace augur
