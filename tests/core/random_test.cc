#include "core/random.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace augur {
namespace {

// The golden values below were checked against an independent Python
// implementation of SplitMix64 and of the same seeding and transforms.

TEST(Random, GoldenUint64ForSeed42) {
  Random random(42, 0);
  EXPECT_EQ(random.NextUint64(), 4606240542329192548ULL);
  EXPECT_EQ(random.NextUint64(), 11272727552735628529ULL);
  EXPECT_EQ(random.NextUint64(), 5577036342374015131ULL);
}

TEST(Random, GoldenUniformDoubleForSeed42) {
  Random random(42, 0);
  EXPECT_EQ(random.UniformDouble(), 0.24970480014920593);
  EXPECT_EQ(random.UniformDouble(), 0.6110957851256585);
  EXPECT_EQ(random.UniformDouble(), 0.3023317459216259);
}

TEST(Random, GoldenStandardNormalForSeed42) {
  Random random(42, 1);
  EXPECT_DOUBLE_EQ(random.StandardNormal(), 0.548363596116468);
  EXPECT_DOUBLE_EQ(random.StandardNormal(), 1.675306028123938);
  EXPECT_DOUBLE_EQ(random.StandardNormal(), -0.9258525158699904);
}

TEST(Random, GoldenUniformIntForSeed42) {
  Random random(42, 2);
  std::vector<uint64_t> draws;
  for (int i = 0; i < 5; ++i) draws.push_back(random.UniformInt(10));
  EXPECT_EQ(draws, (std::vector<uint64_t>{2, 4, 0, 1, 4}));
}

TEST(Random, SameSeedAndStreamRepeat) {
  Random a(7, 3);
  Random b(7, 3);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.NextUint64(), b.NextUint64());
}

TEST(Random, StreamsDiffer) {
  Random a(7, 3);
  Random b(7, 4);
  Random c(8, 3);
  const uint64_t first = a.NextUint64();
  EXPECT_NE(first, b.NextUint64());
  EXPECT_NE(first, c.NextUint64());
}

TEST(Random, UniformDoubleInUnitInterval) {
  Random random(1, 0);
  double sum = 0.0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = random.UniformDouble();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // The standard error of the mean is 1 / sqrt(12 n) = 0.00065.
  EXPECT_NEAR(sum / n, 0.5, 0.005);
}

TEST(Random, OpenZeroNeverZero) {
  Random random(2, 0);
  for (int i = 0; i < 100000; ++i) {
    const double u = random.UniformDoubleOpenZero();
    ASSERT_GT(u, 0.0);
    ASSERT_LE(u, 1.0);
  }
}

TEST(Random, StandardNormalMoments) {
  Random random(3, 0);
  const int n = 200000;
  double sum = 0.0;
  double sum_squares = 0.0;
  int beyond_two = 0;
  for (int i = 0; i < n; ++i) {
    const double z = random.StandardNormal();
    sum += z;
    sum_squares += z * z;
    if (std::fabs(z) > 2.0) ++beyond_two;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(sum_squares / n - mean * mean, 1.0, 0.03);
  // P(|Z| > 2) = 0.0455.
  EXPECT_NEAR(static_cast<double>(beyond_two) / n, 0.0455, 0.005);
}

TEST(Random, UniformIntCoversRangeEvenly) {
  Random random(4, 0);
  const int n = 70000;
  std::vector<int> counts(7, 0);
  for (int i = 0; i < n; ++i) {
    const uint64_t k = random.UniformInt(7);
    ASSERT_LT(k, 7u);
    ++counts[k];
  }
  for (int count : counts) EXPECT_NEAR(count, n / 7, 600);
}

TEST(Random, UniformIntLargeBound) {
  // A bound just above 2^63 makes almost half the outputs fall in the
  // rejected block, which is where a modulo would be most biased.
  Random random(5, 0);
  const uint64_t bound = (1ULL << 63) + 12345;
  int upper_half = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const uint64_t k = random.UniformInt(bound);
    ASSERT_LT(k, bound);
    if (k >= bound / 2) ++upper_half;
  }
  EXPECT_NEAR(static_cast<double>(upper_half) / n, 0.5, 0.02);
}

TEST(Random, UniformIntOfOneIsZero) {
  Random random(6, 0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(random.UniformInt(1), 0u);
}

TEST(Random, WeightedIndexFollowsWeights) {
  Random random(7, 0);
  const std::vector<double> weights = {0.2, 0.0, 0.5, 0.3};
  std::vector<int> counts(4, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[random.WeightedIndex(weights)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0] / static_cast<double>(n), 0.2, 0.01);
  EXPECT_NEAR(counts[2] / static_cast<double>(n), 0.5, 0.01);
  EXPECT_NEAR(counts[3] / static_cast<double>(n), 0.3, 0.01);
}

TEST(Random, WeightedIndexSkipsTrailingZero) {
  Random random(8, 0);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(random.WeightedIndex({0.0, 1.0, 0.0}), 1);
  }
}

}  // namespace
}  // namespace augur
