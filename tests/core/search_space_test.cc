#include "core/space/search_space.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/test_util.h"

namespace augur {
namespace {

using ::testing::HasSubstr;

SearchSpace MakeSpace(const std::string& text) {
  const v1::StudySpec spec = ParseStudy(text);
  absl::StatusOr<SearchSpace> space = SearchSpace::Create(spec.parameters());
  EXPECT_TRUE(space.ok()) << space.status();
  return *std::move(space);
}

std::string Join(const Point& point) {
  std::string out;
  for (const Value& value : point) out += FormatValue(value) + " ";
  return out;
}

constexpr char kSmallGrid[] = R"pb(
  parameters { name: "a" values { values { int_value: 1 } values { int_value: 2 } } }
  parameters {
    name: "b"
    values {
      values { string_value: "x" }
      values { string_value: "y" }
      values { string_value: "z" }
    }
  }
)pb";

TEST(SearchSpace, GridSizeIsProduct) {
  const SearchSpace space = MakeSpace(kSmallGrid);
  EXPECT_TRUE(space.is_discrete());
  EXPECT_EQ(space.grid_size(), 6);
  EXPECT_EQ(space.IndexOf("b"), 1);
  EXPECT_EQ(space.IndexOf("c"), -1);
}

TEST(SearchSpace, GridPointFirstParameterSlowest) {
  const SearchSpace space = MakeSpace(kSmallGrid);
  std::vector<std::string> points;
  for (int64_t i = 0; i < 6; ++i) points.push_back(Join(space.GridPoint(i)));
  EXPECT_EQ(points, (std::vector<std::string>{"1 x ", "1 y ", "1 z ", "2 x ", "2 y ", "2 z "}));
}

TEST(SearchSpace, GridSizeOverflowIsNullopt) {
  // Seven parameters of 1000 values each: 10^21 points.
  std::string text;
  for (int i = 0; i < 7; ++i) {
    text += "parameters { name: 'p" + std::to_string(i) +
            "' range { start: 0 stop: 1000 step: 1 integer: true } } ";
  }
  const SearchSpace space = MakeSpace(text);
  EXPECT_TRUE(space.is_discrete());
  EXPECT_FALSE(space.grid_size().has_value());
  EXPECT_FALSE(space.distinct_count().has_value());
  EXPECT_EQ(Join(space.GridPoint(1001)), "0 0 0 0 0 1 1 ");
}

TEST(SearchSpace, GridSizeAtInt64Limit) {
  // Two parameters of 2^31 values give 2^62 points, which fits; a third
  // parameter of 2 values makes 2^63, one more than INT64_MAX.
  const std::string big =
      "parameters { name: 'a' range { start: 0 stop: 2147483648 step: 1 integer: true } } "
      "parameters { name: 'b' range { start: 0 stop: 2147483648 step: 1 integer: true } } ";
  const SearchSpace fits = MakeSpace(big);
  EXPECT_EQ(fits.grid_size(), int64_t{4611686018427387904});
  const SearchSpace overflows = MakeSpace(
      big + "parameters { name: 'c' values { values { int_value: 0 } values { int_value: 1 } } }");
  EXPECT_FALSE(overflows.grid_size().has_value());
}

TEST(SearchSpace, DistributionHasNoGrid) {
  const SearchSpace space =
      MakeSpace("parameters { name: 'd' uniform { low: 0 high: 1 } } " +
                std::string(kSmallGrid));
  EXPECT_FALSE(space.is_discrete());
  EXPECT_FALSE(space.grid_size().has_value());
  EXPECT_FALSE(space.distinct_count().has_value());
}

TEST(SearchSpace, DistinctCountSkipsDuplicatesAndZeroProbability) {
  const SearchSpace space = MakeSpace(R"pb(
    parameters {
      name: "a"
      values { values { int_value: 1 } values { int_value: 1 } values { int_value: 2 } }
    }
    parameters {
      name: "act"
      pvalues {
        entries { value { string_value: "relu" } probability: 0.5 }
        entries { value { string_value: "tanh" } probability: 0 }
        entries { value { string_value: "relu" } probability: 0.5 }
      }
    }
  )pb");
  EXPECT_FALSE(space.is_discrete());
  EXPECT_EQ(space.distinct_count(), 2);
  EXPECT_EQ(Join(space.DistinctPoint(0)), "1 relu ");
  EXPECT_EQ(Join(space.DistinctPoint(1)), "2 relu ");
}

TEST(SearchSpace, SamplePointDependsOnSeedAndDraw) {
  const SearchSpace space = MakeSpace(
      "parameters { name: 'a' uniform { low: 0 high: 1 } } "
      "parameters { name: 'b' normal { loc: 0 scale: 1 } }");
  EXPECT_EQ(PointKey(space.SamplePoint(42, 5)), PointKey(space.SamplePoint(42, 5)));
  EXPECT_NE(PointKey(space.SamplePoint(42, 5)), PointKey(space.SamplePoint(42, 6)));
  EXPECT_NE(PointKey(space.SamplePoint(42, 5)), PointKey(space.SamplePoint(43, 5)));

  Random random(42, 5);
  EXPECT_EQ(PointKey(space.Sample(random)), PointKey(space.SamplePoint(42, 5)));
}

TEST(SearchSpace, GoldenSamplePointsForSeed42) {
  const SearchSpace space = MakeSpace(R"pb(
    parameters { name: "lr" loguniform { low: -9.21 high: -2.3 } }
    parameters {
      name: "batch"
      values { values { int_value: 16 } values { int_value: 32 } values { int_value: 64 } }
    }
  )pb");
  std::vector<std::string> points;
  for (int64_t draw = 0; draw < 3; ++draw) points.push_back(Join(space.SamplePoint(42, draw)));
  EXPECT_EQ(points, (std::vector<std::string>{"0.0005617015881847857 32 ", "0.0033316598291345772 16 ",
                                              "0.00046239635460211813 64 "}));
}

TEST(SearchSpace, EmptyMatrixRejected) {
  const v1::StudySpec spec;
  const absl::StatusOr<SearchSpace> space = SearchSpace::Create(spec.parameters());
  ASSERT_FALSE(space.ok());
  EXPECT_THAT(space.status().message(), HasSubstr("matrix is empty"));
}

TEST(SearchSpace, DuplicateNameRejected) {
  const v1::StudySpec spec = ParseStudy(
      "parameters { name: 'lr' values { values { int_value: 1 } } } "
      "parameters { name: 'lr' uniform { low: 0 high: 1 } }");
  const absl::StatusOr<SearchSpace> space = SearchSpace::Create(spec.parameters());
  ASSERT_FALSE(space.ok());
  EXPECT_THAT(space.status().message(), HasSubstr("matrix.lr: the parameter is declared twice"));
}

TEST(SearchSpace, MakePointOrdersAndNormalises) {
  const SearchSpace space = MakeSpace(kSmallGrid);
  const v1::Trial trial = ParseText<v1::Trial>(R"pb(
    parameters { name: "b" value { string_value: "z" } }
    parameters { name: "epochs" value { int_value: 5 } }
    parameters { name: "a" value { int_value: 2 } }
  )pb");
  const absl::StatusOr<Point> point = space.MakePoint(trial.parameters());
  ASSERT_TRUE(point.ok()) << point.status();
  EXPECT_EQ(Join(*point), "2 z ");
}

TEST(SearchSpace, MakePointErrors) {
  const SearchSpace space = MakeSpace(kSmallGrid);
  const v1::Trial missing =
      ParseText<v1::Trial>(R"pb(parameters { name: "a" value { int_value: 2 } })pb");
  EXPECT_THAT(space.MakePoint(missing.parameters()).status().message(),
              HasSubstr("matrix.b: missing"));

  const v1::Trial repeated = ParseText<v1::Trial>(R"pb(
    parameters { name: "a" value { int_value: 2 } }
    parameters { name: "a" value { int_value: 1 } }
    parameters { name: "b" value { string_value: "x" } }
  )pb");
  EXPECT_THAT(space.MakePoint(repeated.parameters()).status().message(),
              HasSubstr("matrix.a: the parameter is given twice"));

  const v1::Trial unlisted = ParseText<v1::Trial>(R"pb(
    parameters { name: "a" value { int_value: 3 } }
    parameters { name: "b" value { string_value: "x" } }
  )pb");
  EXPECT_THAT(space.MakePoint(unlisted.parameters()).status().message(),
              HasSubstr("matrix.a: value 3 is not one of its values"));
}

}  // namespace
}  // namespace augur
