#include "core/bo/encoding.h"

#include <cmath>
#include <string>
#include <variant>

#include "Eigen/Core"
#include "core/random.h"
#include "core/space/search_space.h"
#include "gtest/gtest.h"
#include "tests/core/test_util.h"

namespace augur::bo {
namespace {

SearchSpace MakeSpace(const std::string& parameters) {
  const v1::StudySpec spec = ParseStudy(parameters);
  absl::StatusOr<SearchSpace> space = SearchSpace::Create(spec.parameters());
  EXPECT_TRUE(space.ok()) << space.status();
  return *space;
}

SpaceEncoding MakeEncoding(const SearchSpace& space) {
  absl::StatusOr<SpaceEncoding> encoding = SpaceEncoding::Create(space);
  EXPECT_TRUE(encoding.ok()) << encoding.status();
  return *encoding;
}

double AsDouble(const Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value))
    return static_cast<double>(*i);
  return std::get<double>(value);
}

constexpr char kEveryOption[] = R"pb(
  parameters {
    name: "u"
    uniform { low: -2 high: 3 }
  }
  parameters {
    name: "qu"
    quniform { low: 0 high: 10 q: 0.5 }
  }
  parameters {
    name: "lu"
    loguniform { low: -9 high: -2 }
  }
  parameters {
    name: "qlu"
    qloguniform { low: 0 high: 6 q: 4 }
  }
  parameters {
    name: "r"
    range { start: 10 stop: 600 step: 50 integer: true }
  }
  parameters {
    name: "lin"
    linspace { start: 0.01 stop: 0.1 num: 5 }
  }
  parameters {
    name: "log"
    logspace { start: -4 stop: -1 num: 4 }
  }
  parameters {
    name: "geo"
    geomspace { start: -1000 stop: -1 num: 4 }
  }
  parameters {
    name: "nums"
    values {
      values { int_value: 1 }
      values { double_value: 10 }
      values { int_value: 100 }
    }
  }
  parameters {
    name: "cat"
    values {
      values { string_value: "relu" }
      values { string_value: "tanh" }
      values { bool_value: true }
    }
  }
)pb";

TEST(SpaceEncoding, OneCoordinatePerNumberOneHotForCategories) {
  const SearchSpace space = MakeSpace(kEveryOption);
  const SpaceEncoding encoding = MakeEncoding(space);
  EXPECT_EQ(encoding.dimensions(), 9 + 3);
}

TEST(SpaceEncoding, RoundTripsSampledPoints) {
  const SearchSpace space = MakeSpace(kEveryOption);
  const SpaceEncoding encoding = MakeEncoding(space);

  for (int64_t draw = 0; draw < 500; ++draw) {
    const Point point = space.SamplePoint(11, draw);
    absl::StatusOr<Eigen::VectorXd> encoded = encoding.Encode(point);
    ASSERT_TRUE(encoded.ok()) << encoded.status();
    EXPECT_GE(encoded->minCoeff(), 0.0);
    EXPECT_LE(encoded->maxCoeff(), 1.0);

    const Point decoded = encoding.Decode(*encoded);
    ASSERT_EQ(decoded.size(), point.size());
    // Continuous uniform and loguniform come back up to rounding.
    EXPECT_NEAR(AsDouble(decoded[0]), AsDouble(point[0]), 1e-12);
    EXPECT_NEAR(AsDouble(decoded[2]), AsDouble(point[2]),
                1e-12 * AsDouble(point[2]));
    // Every snapped option comes back exactly, with its type.
    for (size_t p : {1, 3, 4, 5, 6, 7, 8, 9}) {
      EXPECT_TRUE(SameValue(decoded[p], point[p]))
          << "parameter " << p << " draw " << draw << ": "
          << FormatValue(decoded[p]) << " vs " << FormatValue(point[p]);
    }
  }
}

TEST(SpaceEncoding, LogScaleOptionsAreEvenlySpaced) {
  const SpaceEncoding encoding = MakeEncoding(MakeSpace(R"pb(
    parameters {
      name: "log"
      logspace { start: -4 stop: -1 num: 4 }
    }
    parameters {
      name: "geo"
      geomspace { start: 1 stop: 1000 num: 4 }
    }
    parameters {
      name: "lu"
      loguniform { low: 0 high: 4 }
    }
  )pb"));
  absl::StatusOr<Eigen::VectorXd> encoded =
      encoding.Encode({Value(1e-3), Value(100.0), Value(std::exp(1.0))});
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_NEAR((*encoded)(0), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR((*encoded)(1), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR((*encoded)(2), 0.25, 1e-12);
}

TEST(SpaceEncoding, DecodeSnapsToAllowedValues) {
  const SpaceEncoding encoding = MakeEncoding(MakeSpace(R"pb(
    parameters {
      name: "lin"
      linspace { start: 0 stop: 1 num: 5 }
    }
    parameters {
      name: "nums"
      values {
        values { int_value: 1 }
        values { int_value: 10 }
        values { int_value: 100 }
      }
    }
    parameters {
      name: "qu"
      quniform { low: 0 high: 10 q: 3 }
    }
    parameters {
      name: "cat"
      values {
        values { string_value: "a" }
        values { string_value: "b" }
      }
    }
  )pb"));

  Eigen::VectorXd x(5);
  x << 0.4, 0.5, 0.52, 0.3, 0.7;
  const Point point = encoding.Decode(x);
  EXPECT_TRUE(SameValue(point[0], Value(0.5))) << FormatValue(point[0]);
  // 10 sits at (10 - 1) / 99 = 0.09 and 100 at 1, so 0.5 snaps to 10.
  EXPECT_TRUE(SameValue(point[1], Value(int64_t{10}))) << FormatValue(point[1]);
  // 0.52 * 10 = 5.2 rounds to 2 * 3 = 6.
  EXPECT_TRUE(SameValue(point[2], Value(6.0))) << FormatValue(point[2]);
  EXPECT_TRUE(SameValue(point[3], Value(std::string("b"))));

  // Coordinates outside the box are clamped.
  x << -3.0, 7.0, 2.0, 0.5, 0.5;
  const Point clamped = encoding.Decode(x);
  EXPECT_TRUE(SameValue(clamped[0], Value(0.0)));
  EXPECT_TRUE(SameValue(clamped[1], Value(int64_t{100})));
  EXPECT_TRUE(SameValue(clamped[2], Value(9.0))) << FormatValue(clamped[2]);
  EXPECT_TRUE(SameValue(clamped[3], Value(std::string("a"))));
}

TEST(SpaceEncoding, OneHotEncodesCategories) {
  const SpaceEncoding encoding = MakeEncoding(MakeSpace(R"pb(
    parameters {
      name: "cat"
      values {
        values { string_value: "relu" }
        values { string_value: "tanh" }
        values { bool_value: true }
        values { string_value: "tanh" }
      }
    }
  )pb"));
  EXPECT_EQ(encoding.dimensions(), 3);

  absl::StatusOr<Eigen::VectorXd> encoded = encoding.Encode({Value(true)});
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(*encoded, Eigen::Vector3d(0.0, 0.0, 1.0));

  EXPECT_FALSE(encoding.Encode({Value(std::string("sigmoid"))}).ok());
  EXPECT_FALSE(encoding.Encode({Value(1.0)}).ok());
  EXPECT_FALSE(encoding.Encode({}).ok());
}

TEST(SpaceEncoding, SampledUnitPointsPickOneCategory) {
  const SpaceEncoding encoding = MakeEncoding(MakeSpace(R"pb(
    parameters {
      name: "u"
      uniform { low: 0 high: 1 }
    }
    parameters {
      name: "cat"
      values {
        values { string_value: "a" }
        values { string_value: "b" }
        values { string_value: "c" }
      }
    }
  )pb"));
  Random random(5, 0);
  for (int i = 0; i < 100; ++i) {
    const Eigen::VectorXd x = encoding.SampleUnitPoint(random);
    EXPECT_DOUBLE_EQ(x.tail(3).sum(), 1.0);
    EXPECT_GE(x(0), 0.0);
    EXPECT_LT(x(0), 1.0);
  }
}

TEST(SpaceEncoding, RejectsPValuesAndNormalOptions) {
  absl::StatusOr<SpaceEncoding> pvalues = SpaceEncoding::Create(MakeSpace(R"pb(
    parameters {
      name: "act"
      pvalues {
        entries {
          value { string_value: "relu" }
          probability: 1
        }
      }
    }
  )pb"));
  ASSERT_FALSE(pvalues.ok());
  EXPECT_NE(pvalues.status().message().find("'act'"), std::string::npos);
  EXPECT_NE(pvalues.status().message().find("pvalues"), std::string::npos);

  absl::StatusOr<SpaceEncoding> normal = SpaceEncoding::Create(MakeSpace(R"pb(
    parameters {
      name: "w"
      qlognormal { loc: 0 scale: 1 q: 1 }
    }
  )pb"));
  ASSERT_FALSE(normal.ok());
  EXPECT_NE(normal.status().message().find("qlognormal"), std::string::npos);
}

}  // namespace
}  // namespace augur::bo
