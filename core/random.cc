#include "core/random.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace augur {
namespace {

// 2^64 divided by the golden ratio, the SplitMix64 increment.
constexpr uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;

// The SplitMix64 output function (Stafford's "Mix13" variant of the
// MurmurHash3 finaliser): a bijection on 64-bit integers.
uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr double kTwoToMinus53 = 1.0 / 9007199254740992.0;
constexpr double kTwoPi = 6.283185307179586476925286766559;

}  // namespace

Random::Random(uint64_t seed, uint64_t stream_id) {
  // Hashing seed and stream id separately keeps nearby seeds and nearby
  // stream ids from starting on overlapping counter sequences.
  const uint64_t seed_hash = Mix64(seed + kGoldenGamma);
  state_ = Mix64(seed_hash ^ Mix64(stream_id + 2 * kGoldenGamma));
}

uint64_t Random::NextUint64() {
  state_ += kGoldenGamma;
  return Mix64(state_);
}

double Random::UniformDouble() {
  return static_cast<double>(NextUint64() >> 11) * kTwoToMinus53;
}

double Random::UniformDoubleOpenZero() {
  return static_cast<double>((NextUint64() >> 11) + 1) * kTwoToMinus53;
}

double Random::StandardNormal() {
  const double u1 = UniformDoubleOpenZero();
  const double u2 = UniformDouble();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

uint64_t Random::UniformInt(uint64_t n) {
  // 2^64 mod n, computed in 64 bits as (2^64 - n) mod n. Outputs below it
  // belong to the incomplete block and are drawn again.
  const uint64_t threshold = (0 - n) % n;
  while (true) {
    const uint64_t x = NextUint64();
    if (x >= threshold) return x % n;
  }
}

int64_t Random::WeightedIndex(const std::vector<double>& weights) {
  double total = 0.0;
  for (double w : weights) total += w;

  const double target = UniformDouble() * total;
  double cumulative = 0.0;
  int64_t last_positive = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0.0) continue;
    cumulative += weights[i];
    last_positive = static_cast<int64_t>(i);
    if (target < cumulative) return last_positive;
  }

  // Rounding can leave target just above the final cumulative sum.
  return last_positive;
}

}  // namespace augur
