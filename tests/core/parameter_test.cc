#include "core/space/parameter.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/test_util.h"

namespace augur {
namespace {

using ::testing::HasSubstr;

Parameter Make(const std::string& text) {
  absl::StatusOr<Parameter> parameter = Parameter::Create(ParseParameter(text));
  EXPECT_TRUE(parameter.ok()) << parameter.status();
  return *std::move(parameter);
}

// Returns the error message of creating `text`, or "" when it is valid.
std::string CreateError(const std::string& text) {
  absl::StatusOr<Parameter> parameter = Parameter::Create(ParseParameter(text));
  if (parameter.ok()) return "";
  EXPECT_EQ(parameter.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parameter.status().message());
}

std::vector<std::string> Formatted(const Parameter& parameter) {
  std::vector<std::string> out;
  for (int64_t i = 0; i < parameter.size(); ++i) out.push_back(FormatValue(parameter.ValueAt(i)));
  return out;
}

std::vector<double> Numbers(const Parameter& parameter) {
  std::vector<double> out;
  for (int64_t i = 0; i < parameter.size(); ++i) out.push_back(std::get<double>(parameter.ValueAt(i)));
  return out;
}

std::vector<double> Draws(const Parameter& parameter, int n, uint64_t stream = 7) {
  Random random(42, stream);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(std::get<double>(parameter.Sample(random)));
  return out;
}

double Mean(const std::vector<double>& xs) {
  double sum = 0.0;
  for (double x : xs) sum += x;
  return sum / static_cast<double>(xs.size());
}

double StdDev(const std::vector<double>& xs) {
  const double mean = Mean(xs);
  double sum = 0.0;
  for (double x : xs) sum += (x - mean) * (x - mean);
  return std::sqrt(sum / static_cast<double>(xs.size()));
}

bool IsMultiple(double x, double q) {
  return std::fabs(x / q - std::round(x / q)) < 1e-9;
}

// ---------------------------------------------------------------------------
// Enumerated options.

TEST(Values, KeepsEachElementsType) {
  const Parameter p = Make(
      "name: 'act' values { values { int_value: 1 } values { double_value: 0.5 } "
      "values { string_value: 'relu' } values { bool_value: true } }");
  EXPECT_TRUE(p.is_enumerated());
  ASSERT_EQ(p.size(), 4);
  EXPECT_TRUE(SameValue(p.ValueAt(0), int64_t{1}));
  EXPECT_TRUE(SameValue(p.ValueAt(1), 0.5));
  EXPECT_TRUE(SameValue(p.ValueAt(2), std::string("relu")));
  EXPECT_TRUE(SameValue(p.ValueAt(3), true));
  EXPECT_FALSE(p.is_numeric());
}

TEST(Values, DuplicatesCountOnceAsDistinct) {
  const Parameter p = Make(
      "name: 'x' values { values { int_value: 1 } values { int_value: 2 } "
      "values { int_value: 1 } values { double_value: 1 } }");
  EXPECT_EQ(p.size(), 4);
  ASSERT_EQ(p.distinct_count(), 3);
  EXPECT_TRUE(SameValue(p.DistinctValueAt(0), int64_t{1}));
  EXPECT_TRUE(SameValue(p.DistinctValueAt(1), int64_t{2}));
  EXPECT_TRUE(SameValue(p.DistinctValueAt(2), 1.0));
}

TEST(Range, WorkedExampleGivesTwelveIntegers) {
  const Parameter p = Make("name: 'n' range { start: 10 stop: 600 step: 50 integer: true }");
  ASSERT_EQ(p.size(), 12);
  for (int64_t i = 0; i < 12; ++i) {
    EXPECT_TRUE(SameValue(p.ValueAt(i), int64_t{10 + 50 * i})) << i;
  }
  EXPECT_EQ(FormatValue(p.ValueAt(11)), "560");
  EXPECT_EQ(*p.lower_bound(), 10.0);
  EXPECT_EQ(*p.upper_bound(), 560.0);
}

TEST(Range, FloatStepGivesFloats) {
  const Parameter p = Make("name: 'x' range { start: 0 stop: 1 step: 0.25 }");
  EXPECT_EQ(Formatted(p), (std::vector<std::string>{"0.0", "0.25", "0.5", "0.75"}));
}

TEST(Range, StopIsExcludedDespiteRounding) {
  // numpy.arange(1, 1.3, 0.1) also yields 1.3000000000000003.
  const Parameter p = Make("name: 'x' range { start: 1 stop: 1.3 step: 0.1 }");
  ASSERT_EQ(p.size(), 3);
  EXPECT_LT(std::get<double>(p.ValueAt(2)), 1.3);
  EXPECT_EQ(Formatted(p), (std::vector<std::string>{"1.0", "1.1", "1.2000000000000002"}));
}

TEST(Range, LargeStartKeepsValuesBelowStop) {
  // 1e16 + 1.5 rounds to 1e16 + 2, so consecutive values are 2 apart.
  const Parameter p = Make("name: 'x' range { start: 1e16 stop: 10000000000000006 step: 1.5 }");
  EXPECT_EQ(Formatted(p), (std::vector<std::string>{"1e+16", "1.0000000000000002e+16",
                                                     "1.0000000000000004e+16"}));
}

TEST(Range, IntegerStopNotReached) {
  const Parameter p = Make("name: 'n' range { start: 0 stop: 10 step: 3 integer: true }");
  EXPECT_EQ(Formatted(p), (std::vector<std::string>{"0", "3", "6", "9"}));
}

TEST(Linspace, WorkedExampleMatchesNumpy) {
  // numpy 1.24: repr of each element of np.linspace(0.01, 0.1, 5).
  const Parameter p = Make("name: 'lr' linspace { start: 0.01 stop: 0.1 num: 5 }");
  EXPECT_EQ(Formatted(p), (std::vector<std::string>{"0.01", "0.0325", "0.05500000000000001",
                                                     "0.0775", "0.1"}));
}

TEST(Linspace, SingleValueIsStart) {
  const Parameter p = Make("name: 'x' linspace { start: 2 stop: 5 num: 1 }");
  EXPECT_EQ(Formatted(p), (std::vector<std::string>{"2.0"}));
}

TEST(Linspace, EndsAreExact) {
  const Parameter p = Make("name: 'x' linspace { start: 0 stop: 1 num: 4 }");
  EXPECT_EQ(Formatted(p),
            (std::vector<std::string>{"0.0", "0.3333333333333333", "0.6666666666666666", "1.0"}));
}

TEST(Logspace, WorkedExampleIsPowersOfTen) {
  const Parameter p = Make("name: 'lr' logspace { start: -4 stop: -1 num: 4 }");
  const std::vector<double> values = Numbers(p);
  ASSERT_EQ(values.size(), 4u);
  EXPECT_DOUBLE_EQ(values[0], 1e-4);
  EXPECT_DOUBLE_EQ(values[1], 1e-3);
  EXPECT_DOUBLE_EQ(values[2], 1e-2);
  EXPECT_DOUBLE_EQ(values[3], 1e-1);
  EXPECT_TRUE(p.is_log_scaled());
}

TEST(Logspace, BlogPostBoundsAreExponents) {
  // logspace: 0.01:0.1:5 reads start and stop as exponents of 10.
  const Parameter p = Make("name: 'lr' logspace { start: 0.01 stop: 0.1 num: 5 }");
  const std::vector<double> values = Numbers(p);
  EXPECT_NEAR(values.front(), 1.0233, 1e-4);
  EXPECT_NEAR(values.back(), 1.2589, 1e-4);
}

TEST(Logspace, CustomBase) {
  const Parameter p = Make("name: 'x' logspace { start: 0 stop: 3 num: 4 base: 2 }");
  EXPECT_EQ(Formatted(p), (std::vector<std::string>{"1.0", "2.0", "4.0", "8.0"}));
}

TEST(Geomspace, WorkedExample) {
  const Parameter p = Make("name: 'x' geomspace { start: 1 stop: 1000 num: 4 }");
  const std::vector<double> values = Numbers(p);
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[0], 1.0);
  EXPECT_DOUBLE_EQ(values[1], 10.0);
  EXPECT_DOUBLE_EQ(values[2], 100.0);
  EXPECT_EQ(values[3], 1000.0);
}

TEST(Geomspace, NegativeEndpoints) {
  const Parameter p = Make("name: 'x' geomspace { start: -1000 stop: -1 num: 4 }");
  const std::vector<double> values = Numbers(p);
  EXPECT_EQ(values[0], -1000.0);
  EXPECT_DOUBLE_EQ(values[1], -100.0);
  EXPECT_DOUBLE_EQ(values[2], -10.0);
  EXPECT_EQ(values[3], -1.0);
}

TEST(Enumerated, SampleDrawsListedValues) {
  const Parameter p = Make("name: 'n' range { start: 0 stop: 5 step: 1 integer: true }");
  Random random(42, 0);
  std::vector<int> counts(5, 0);
  for (int i = 0; i < 5000; ++i) ++counts[std::get<int64_t>(p.Sample(random))];
  for (int count : counts) EXPECT_NEAR(count, 1000, 150);
}

// ---------------------------------------------------------------------------
// Distributions: golden values for seed 42, stream 7, then statistics.
// The goldens were checked against an independent Python implementation.

TEST(Uniform, GoldenValues) {
  const Parameter p = Make("name: 'x' uniform { low: -1 high: 3 }");
  EXPECT_EQ(Draws(p, 4), (std::vector<double>{0.8676825051162091, 2.2655723160609567,
                                              0.5971985315980612, 2.1220105540195116}));
}

TEST(Uniform, Statistics) {
  const Parameter p = Make("name: 'x' uniform { low: -1 high: 3 }");
  const std::vector<double> xs = Draws(p, 20000, 1);
  for (double x : xs) {
    ASSERT_GE(x, -1.0);
    ASSERT_LT(x, 3.0);
  }
  EXPECT_NEAR(Mean(xs), 1.0, 0.05);
  EXPECT_NEAR(StdDev(xs), 4.0 / std::sqrt(12.0), 0.05);
}

TEST(QUniform, GoldenValues) {
  const Parameter p = Make("name: 'x' quniform { low: 0 high: 10 q: 0.5 }");
  EXPECT_EQ(Draws(p, 4), (std::vector<double>{4.5, 8.0, 4.0, 8.0}));
}

TEST(QUniform, StatisticsAndQuantisation) {
  const Parameter p = Make("name: 'x' quniform { low: 0 high: 10 q: 0.5 }");
  const std::vector<double> xs = Draws(p, 20000, 1);
  for (double x : xs) {
    ASSERT_GE(x, 0.0);
    ASSERT_LE(x, 10.0);
    ASSERT_TRUE(IsMultiple(x, 0.5)) << x;
  }
  EXPECT_NEAR(Mean(xs), 5.0, 0.1);
}

TEST(QUniform, DecimalQGivesShortDecimals) {
  // 3 * 0.1 is 0.30000000000000004 in doubles; the quantised value is 0.3.
  const Parameter p = Make("name: 'x' quniform { low: 0 high: 1 q: 0.1 }");
  for (double x : Draws(p, 2000, 2)) {
    const std::string text = FormatValue(x);
    ASSERT_LE(text.size(), 3u) << text;
    ASSERT_TRUE(IsMultiple(x, 0.1)) << x;
  }
}

TEST(RoundToMultiple, RoundsHalfAwayFromZero) {
  EXPECT_EQ(RoundToMultiple(2.5, 1.0), 3.0);
  EXPECT_EQ(RoundToMultiple(-2.5, 1.0), -3.0);
  EXPECT_EQ(RoundToMultiple(0.25, 0.5), 0.5);
  EXPECT_EQ(RoundToMultiple(-0.25, 0.5), -0.5);
  EXPECT_EQ(RoundToMultiple(2.4, 1.0), 2.0);
}

TEST(RoundToMultiple, ShortDecimalAndPositiveZero) {
  EXPECT_EQ(RoundToMultiple(0.29, 0.1), 0.3);
  EXPECT_EQ(FormatValue(RoundToMultiple(0.7, 0.1)), "0.7");
  EXPECT_EQ(FormatValue(RoundToMultiple(-0.2, 1.0)), "0.0");
  EXPECT_EQ(RoundToMultiple(12.0, 5.0), 10.0);
}

TEST(LogUniform, GoldenValues) {
  const Parameter p = Make("name: 'x' loguniform { low: -9.21 high: -2.3 }");
  const std::vector<double> xs = Draws(p, 4);
  EXPECT_DOUBLE_EQ(xs[0], 0.002519793129210223);
  EXPECT_DOUBLE_EQ(xs[1], 0.028191808442316512);
  EXPECT_DOUBLE_EQ(xs[2], 0.001579195819264155);
  EXPECT_DOUBLE_EQ(xs[3], 0.02199969327137386);
}

TEST(LogUniform, Statistics) {
  const Parameter p = Make("name: 'x' loguniform { low: -9.21 high: -2.3 }");
  std::vector<double> logs;
  for (double x : Draws(p, 20000, 1)) {
    ASSERT_GE(x, std::exp(-9.21) * (1 - 1e-12));
    ASSERT_LT(x, std::exp(-2.3));
    logs.push_back(std::log(x));
  }
  EXPECT_NEAR(Mean(logs), (-9.21 - 2.3) / 2, 0.05);
  EXPECT_NEAR(StdDev(logs), 6.91 / std::sqrt(12.0), 0.05);
  EXPECT_TRUE(p.is_log_scaled());
  EXPECT_DOUBLE_EQ(*p.lower_bound(), std::exp(-9.21));
  EXPECT_DOUBLE_EQ(*p.upper_bound(), std::exp(-2.3));
}

TEST(QLogUniform, GoldenValues) {
  const Parameter p = Make("name: 'x' qloguniform { low: 0 high: 5 q: 2 }");
  EXPECT_EQ(Draws(p, 4), (std::vector<double>{10.0, 60.0, 8.0, 50.0}));
}

TEST(QLogUniform, StatisticsAndQuantisation) {
  const Parameter p = Make("name: 'x' qloguniform { low: 0 high: 5 q: 2 }");
  std::vector<double> logs;
  for (double x : Draws(p, 20000, 1)) {
    ASSERT_GE(x, 0.0);
    ASSERT_LE(x, 148.0);
    ASSERT_TRUE(IsMultiple(x, 2.0)) << x;
    if (x >= 20.0) logs.push_back(std::log(x));
  }
  // Above 20 the rounding matters little: log x stays near uniform on
  // [log 20, 5], whose mean is 4.0.
  EXPECT_NEAR(Mean(logs), (std::log(20.0) + 5.0) / 2, 0.05);
}

TEST(Normal, GoldenValues) {
  const Parameter p = Make("name: 'x' normal { loc: 1 scale: 2 }");
  const std::vector<double> xs = Draws(p, 4);
  EXPECT_DOUBLE_EQ(xs[0], 2.000091984777291);
  EXPECT_DOUBLE_EQ(xs[1], 1.5162164890523369);
  EXPECT_DOUBLE_EQ(xs[2], 2.161510217403921);
  EXPECT_DOUBLE_EQ(xs[3], 1.8417191838086522);
}

TEST(Normal, Statistics) {
  const Parameter p = Make("name: 'x' normal { loc: 1 scale: 2 }");
  const std::vector<double> xs = Draws(p, 20000, 1);
  EXPECT_NEAR(Mean(xs), 1.0, 0.06);
  EXPECT_NEAR(StdDev(xs), 2.0, 0.06);
  EXPECT_FALSE(p.lower_bound().has_value());
  EXPECT_FALSE(p.is_log_scaled());
}

TEST(QNormal, GoldenValues) {
  const Parameter p = Make("name: 'x' qnormal { loc: 0 scale: 1 q: 0.1 }");
  EXPECT_EQ(Draws(p, 4), (std::vector<double>{0.5, 0.3, 0.6, 0.4}));
}

TEST(QNormal, StatisticsAndQuantisation) {
  const Parameter p = Make("name: 'x' qnormal { loc: 0 scale: 1 q: 0.1 }");
  const std::vector<double> xs = Draws(p, 20000, 1);
  for (double x : xs) {
    ASSERT_TRUE(IsMultiple(x, 0.1)) << x;
    ASSERT_EQ(x, std::stod(absl::StrFormat("%.1f", x))) << x;
  }
  EXPECT_NEAR(Mean(xs), 0.0, 0.03);
  EXPECT_NEAR(StdDev(xs), 1.0, 0.03);
}

TEST(LogNormal, GoldenValues) {
  const Parameter p = Make("name: 'x' lognormal { loc: 0 scale: 0.5 }");
  const std::vector<double> xs = Draws(p, 4);
  EXPECT_DOUBLE_EQ(xs[0], 1.284054944725254);
  EXPECT_DOUBLE_EQ(xs[1], 1.137751700196242);
  EXPECT_DOUBLE_EQ(xs[2], 1.3369321573023913);
  EXPECT_DOUBLE_EQ(xs[3], 1.23420840375483);
}

TEST(LogNormal, Statistics) {
  const Parameter p = Make("name: 'x' lognormal { loc: 0 scale: 0.5 }");
  std::vector<double> logs;
  for (double x : Draws(p, 20000, 1)) {
    ASSERT_GT(x, 0.0);
    logs.push_back(std::log(x));
  }
  EXPECT_NEAR(Mean(logs), 0.0, 0.02);
  EXPECT_NEAR(StdDev(logs), 0.5, 0.02);
}

TEST(QLogNormal, GoldenValues) {
  const Parameter p = Make("name: 'x' qlognormal { loc: 3 scale: 0.5 q: 5 }");
  EXPECT_EQ(Draws(p, 4), (std::vector<double>{25.0, 25.0, 25.0, 25.0}));
  EXPECT_EQ(Draws(p, 12, 3), (std::vector<double>{30.0, 35.0, 15.0, 20.0, 30.0, 30.0, 55.0, 30.0, 55.0, 25.0, 10.0, 20.0}));
}

TEST(QLogNormal, StatisticsAndQuantisation) {
  const Parameter p = Make("name: 'x' qlognormal { loc: 3 scale: 0.5 q: 5 }");
  const std::vector<double> xs = Draws(p, 20000, 1);
  for (double x : xs) {
    ASSERT_GE(x, 0.0);
    ASSERT_TRUE(IsMultiple(x, 5.0)) << x;
  }
  // The mean of a lognormal is exp(loc + scale^2 / 2) = 22.76; rounding to
  // multiples of 5 moves it by far less than the tolerance.
  EXPECT_NEAR(Mean(xs), std::exp(3.0 + 0.125), 0.5);
}

TEST(PValues, GoldenValues) {
  const Parameter p = Make(
      "name: 'act' pvalues { entries { value { string_value: 'relu' } probability: 0.2 } "
      "entries { value { string_value: 'sigmoid' } probability: 0.8 } }");
  Random random(42, 11);
  std::vector<std::string> draws;
  for (int i = 0; i < 10; ++i) draws.push_back(FormatValue(p.Sample(random)));
  EXPECT_EQ(draws, (std::vector<std::string>{"relu", "sigmoid", "relu", "sigmoid", "sigmoid", "relu", "sigmoid", "sigmoid", "sigmoid", "relu"}));
}

TEST(PValues, FrequenciesFollowProbabilities) {
  const Parameter p = Make(
      "name: 'act' pvalues { entries { value { string_value: 'relu' } probability: 0.2 } "
      "entries { value { string_value: 'tanh' } probability: 0 } "
      "entries { value { string_value: 'sigmoid' } probability: 0.8 } }");
  Random random(42, 1);
  int relu = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const std::string value = std::get<std::string>(p.Sample(random));
    ASSERT_NE(value, "tanh");
    if (value == "relu") ++relu;
  }
  EXPECT_NEAR(static_cast<double>(relu) / n, 0.2, 0.015);
  EXPECT_EQ(p.distinct_count(), 2);
  EXPECT_TRUE(p.is_distribution());
  EXPECT_TRUE(p.has_finite_support());
}

// ---------------------------------------------------------------------------
// Validation: every message names the parameter.

TEST(ParameterValidation, EmptyName) {
  EXPECT_THAT(CreateError("values { values { int_value: 1 } }"), HasSubstr("empty name"));
}

TEST(ParameterValidation, NoOption) {
  const std::string error = CreateError("name: 'lr'");
  EXPECT_THAT(error, HasSubstr("matrix.lr"));
  EXPECT_THAT(error, HasSubstr("no option"));
}

TEST(ParameterValidation, EmptyValues) {
  const std::string error = CreateError("name: 'lr' values {}");
  EXPECT_THAT(error, HasSubstr("matrix.lr"));
  EXPECT_THAT(error, HasSubstr("values is empty"));
}

TEST(ParameterValidation, NestedValueInValues) {
  const std::string error =
      CreateError("name: 'lr' values { values { int_value: 1 } values { } }");
  EXPECT_THAT(error, HasSubstr("matrix.lr: values[1]"));
  EXPECT_THAT(error, HasSubstr("not a nested list or map"));
}

TEST(ParameterValidation, NonFiniteValue) {
  EXPECT_THAT(CreateError("name: 'lr' values { values { double_value: nan } }"),
              HasSubstr("matrix.lr: values[0] is nan"));
}

TEST(ParameterValidation, PValuesNegativeProbability) {
  const std::string error = CreateError(
      "name: 'act' pvalues { entries { value { string_value: 'a' } probability: -0.2 } "
      "entries { value { string_value: 'b' } probability: 1.2 } }");
  EXPECT_THAT(error, HasSubstr("matrix.act: pvalues[0] probability is -0.2"));
}

TEST(ParameterValidation, PValuesNotSummingToOne) {
  const std::string error = CreateError(
      "name: 'act' pvalues { entries { value { string_value: 'a' } probability: 0.2 } "
      "entries { value { string_value: 'b' } probability: 0.7 } }");
  EXPECT_THAT(error, HasSubstr("matrix.act"));
  EXPECT_THAT(error, HasSubstr("sum to 0.8999999999999999, not 1"));
}

TEST(ParameterValidation, PValuesWithinToleranceAccepted) {
  EXPECT_EQ(CreateError("name: 'act' pvalues { entries { value { string_value: 'a' } "
                        "probability: 0.3333333 } entries { value { string_value: 'b' } "
                        "probability: 0.6666667 } }"),
            "");
}

TEST(ParameterValidation, PValuesEmpty) {
  EXPECT_THAT(CreateError("name: 'act' pvalues {}"), HasSubstr("matrix.act: pvalues is empty"));
}

TEST(ParameterValidation, RangeStartNotBelowStop) {
  EXPECT_THAT(CreateError("name: 'n' range { start: 5 stop: 5 step: 1 }"),
              HasSubstr("matrix.n: range start 5.0 must be less than stop 5.0"));
}

TEST(ParameterValidation, RangeZeroStep) {
  EXPECT_THAT(CreateError("name: 'n' range { start: 0 stop: 5 step: 0 }"),
              HasSubstr("matrix.n: range step is 0"));
}

TEST(ParameterValidation, RangeNegativeStep) {
  EXPECT_THAT(CreateError("name: 'n' range { start: 0 stop: 5 step: -1 }"),
              HasSubstr("matrix.n: range step is -1.0"));
}

TEST(ParameterValidation, RangeTooManyValues) {
  EXPECT_THAT(CreateError("name: 'n' range { start: 0 stop: 1e300 step: 1 }"),
              HasSubstr("more than 2^53"));
}

TEST(ParameterValidation, NonFiniteBound) {
  EXPECT_THAT(CreateError("name: 'n' linspace { start: 0 stop: inf num: 3 }"),
              HasSubstr("matrix.n: linspace stop is inf"));
}

TEST(ParameterValidation, SpacedStartNotBelowStop) {
  for (const char* option : {"linspace", "logspace", "geomspace"}) {
    EXPECT_THAT(CreateError(absl::StrFormat("name: 'x' %s { start: 3 stop: 1 num: 3 }", option)),
                HasSubstr(absl::StrFormat("matrix.x: %s start 3.0 must be less than stop 1.0",
                                          option)));
  }
}

TEST(ParameterValidation, ZeroNum) {
  EXPECT_THAT(CreateError("name: 'x' linspace { start: 0 stop: 1 num: 0 }"),
              HasSubstr("matrix.x: linspace num is 0"));
}

TEST(ParameterValidation, NegativeNum) {
  EXPECT_THAT(CreateError("name: 'x' geomspace { start: 1 stop: 10 num: -2 }"),
              HasSubstr("matrix.x: geomspace num is -2; num must be at least 1"));
}

TEST(ParameterValidation, NumTooLargeForDistinctValues) {
  EXPECT_THAT(CreateError("name: 'x' linspace { start: 1 stop: 1.000000000001 num: 1000000 }"),
              HasSubstr("too large"));
}

TEST(ParameterValidation, GeomspaceThroughZero) {
  EXPECT_THAT(CreateError("name: 'x' geomspace { start: -1 stop: 10 num: 3 }"),
              HasSubstr("matrix.x: geomspace from -1.0 to 10.0 passes through zero"));
  EXPECT_THAT(CreateError("name: 'x' geomspace { start: 0 stop: 10 num: 3 }"),
              HasSubstr("passes through zero"));
}

TEST(ParameterValidation, LogspaceBadBase) {
  EXPECT_THAT(CreateError("name: 'x' logspace { start: 0 stop: 1 num: 3 base: 1 }"),
              HasSubstr("matrix.x: logspace base is 1.0"));
  EXPECT_THAT(CreateError("name: 'x' logspace { start: 0 stop: 1 num: 3 base: -2 }"),
              HasSubstr("matrix.x: logspace base is -2.0"));
}

TEST(ParameterValidation, LogspaceOverflow) {
  EXPECT_THAT(CreateError("name: 'x' logspace { start: 1 stop: 400 num: 3 }"),
              HasSubstr("start and stop are exponents"));
}

TEST(ParameterValidation, UniformLowNotBelowHigh) {
  for (const char* option : {"uniform", "loguniform"}) {
    EXPECT_THAT(CreateError(absl::StrFormat("name: 'x' %s { low: 2 high: 1 }", option)),
                HasSubstr(absl::StrFormat("matrix.x: %s low 2.0 must be less than high 1.0",
                                          option)));
  }
}

TEST(ParameterValidation, ZeroQ) {
  for (const char* option : {"quniform", "qloguniform"}) {
    EXPECT_THAT(CreateError(absl::StrFormat("name: 'x' %s { low: 0 high: 1 q: 0 }", option)),
                HasSubstr(absl::StrFormat("matrix.x: %s q is 0", option)));
  }
  for (const char* option : {"qnormal", "qlognormal"}) {
    EXPECT_THAT(CreateError(absl::StrFormat("name: 'x' %s { loc: 0 scale: 1 }", option)),
                HasSubstr(absl::StrFormat("matrix.x: %s q is 0", option)));
  }
}

TEST(ParameterValidation, NegativeQ) {
  EXPECT_THAT(CreateError("name: 'x' quniform { low: 0 high: 1 q: -0.5 }"),
              HasSubstr("matrix.x: quniform q is -0.5; q must be positive"));
}

TEST(ParameterValidation, NegativeScale) {
  for (const char* option : {"normal", "lognormal"}) {
    EXPECT_THAT(CreateError(absl::StrFormat("name: 'x' %s { loc: 0 scale: -1 }", option)),
                HasSubstr(absl::StrFormat("matrix.x: %s scale is -1.0", option)));
  }
}

TEST(ParameterValidation, ZeroScale) {
  EXPECT_THAT(CreateError("name: 'x' normal { loc: 2 scale: 0 }"),
              HasSubstr("use a positive scale, or values: [2.0]"));
}

TEST(ParameterValidation, LogUniformOverflow) {
  EXPECT_THAT(CreateError("name: 'x' loguniform { low: 1 high: 1000 }"),
              HasSubstr("natural-log exponents"));
}

// ---------------------------------------------------------------------------
// Normalize and the model hooks.

TEST(Normalize, ListedValueMatches) {
  const Parameter p = Make("name: 'x' values { values { double_value: 0.5 } "
                           "values { string_value: 'a' } }");
  EXPECT_TRUE(SameValue(*p.Normalize(0.5), 0.5));
  EXPECT_TRUE(SameValue(*p.Normalize(std::string("a")), std::string("a")));
  const absl::StatusOr<Value> missing = p.Normalize(std::string("b"));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("matrix.x: value \"b\" is not one of"));
}

TEST(Normalize, IntegerStandsForFloat) {
  const Parameter p = Make("name: 'x' linspace { start: 0 stop: 1 num: 3 }");
  EXPECT_TRUE(SameValue(*p.Normalize(int64_t{1}), 1.0));
  EXPECT_TRUE(SameValue(*p.Normalize(0.5000000000001), 0.5));
  EXPECT_FALSE(p.Normalize(0.6).ok());
}

TEST(Normalize, SpacedOptions) {
  const Parameter range = Make("name: 'n' range { start: 10 stop: 600 step: 50 integer: true }");
  EXPECT_TRUE(SameValue(*range.Normalize(int64_t{560}), int64_t{560}));
  EXPECT_FALSE(range.Normalize(int64_t{600}).ok());
  EXPECT_FALSE(range.Normalize(int64_t{20}).ok());

  const Parameter logspace = Make("name: 'lr' logspace { start: -4 stop: -1 num: 4 }");
  EXPECT_TRUE(SameValue(*logspace.Normalize(0.001), logspace.ValueAt(1)));
  EXPECT_FALSE(logspace.Normalize(0.002).ok());
  EXPECT_FALSE(logspace.Normalize(-0.001).ok());

  const Parameter geomspace = Make("name: 'g' geomspace { start: 1 stop: 1000 num: 4 }");
  EXPECT_TRUE(SameValue(*geomspace.Normalize(int64_t{100}), geomspace.ValueAt(2)));
  EXPECT_FALSE(geomspace.Normalize(-100.0).ok());
}

TEST(Normalize, Distributions) {
  const Parameter uniform = Make("name: 'x' uniform { low: 0 high: 1 }");
  EXPECT_TRUE(SameValue(*uniform.Normalize(int64_t{1}), 1.0));
  EXPECT_FALSE(uniform.Normalize(1.5).ok());
  EXPECT_FALSE(uniform.Normalize(std::string("a")).ok());

  const Parameter quniform = Make("name: 'x' quniform { low: 0 high: 1 q: 0.1 }");
  EXPECT_TRUE(SameValue(*quniform.Normalize(0.30000000000000004), 0.3));
  EXPECT_THAT(quniform.Normalize(0.35).status().message(), HasSubstr("not a multiple of q"));

  const Parameter lognormal = Make("name: 'x' lognormal { loc: 0 scale: 1 }");
  EXPECT_FALSE(lognormal.Normalize(0.0).ok());
  EXPECT_TRUE(lognormal.Normalize(3.0).ok());
}

TEST(ParameterHooks, BoundsAndScale) {
  const Parameter values = Make("name: 'x' values { values { int_value: 3 } "
                                "values { double_value: -1.5 } }");
  EXPECT_EQ(*values.lower_bound(), -1.5);
  EXPECT_EQ(*values.upper_bound(), 3.0);
  EXPECT_TRUE(values.is_numeric());

  const Parameter geomspace = Make("name: 'g' geomspace { start: 1 stop: 1000 num: 4 }");
  EXPECT_TRUE(geomspace.is_log_scaled());
  EXPECT_EQ(*geomspace.upper_bound(), 1000.0);

  const Parameter quniform = Make("name: 'x' quniform { low: 0.2 high: 0.9 q: 0.5 }");
  EXPECT_EQ(*quniform.lower_bound(), 0.0);
  EXPECT_EQ(*quniform.upper_bound(), 1.0);
}

}  // namespace
}  // namespace augur
