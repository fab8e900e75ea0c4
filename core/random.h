#ifndef AUGUR_CORE_RANDOM_H_
#define AUGUR_CORE_RANDOM_H_

#include <cstdint>
#include <vector>

namespace augur {

// A deterministic random stream with augur's own distribution code.
//
// The generator is SplitMix64 (Steele, Lea and Flood, "Fast Splittable
// Pseudorandom Number Generators", OOPSLA 2014): a 64-bit counter advanced by
// the golden-ratio increment and passed through a bijective mixing function.
// A stream is fixed by (seed, stream_id), so draw i of a study can come from
// stream i alone and does not depend on earlier draws. The distributions are
// written here rather than taken from std:: or absl::, whose algorithms
// differ between library versions, so a seed gives the same numbers on every
// platform.
//
// Thread safety: a Random is a mutable object; use one per thread.
class Random {
 public:
  // Creates stream `stream_id` of `seed`. Distinct (seed, stream_id) pairs
  // give independent-looking streams.
  Random(uint64_t seed, uint64_t stream_id);

  // Returns the next 64 uniformly distributed bits.
  uint64_t NextUint64();

  // Returns a double uniform on [0, 1), built from 53 random bits.
  double UniformDouble();

  // Returns a double uniform on (0, 1], safe to pass to log().
  double UniformDoubleOpenZero();

  // Returns a standard normal deviate by the Box-Muller transform
  // (z = sqrt(-2 ln u1) cos(2 pi u2)); consumes two 64-bit outputs.
  double StandardNormal();

  // Returns an integer uniform on [0, n) without modulo bias, by rejecting
  // outputs from the incomplete last block of 2^64 mod n values.
  // REQUIRES: n > 0.
  uint64_t UniformInt(uint64_t n);

  // Returns index i with probability weights[i] / sum(weights). Zero weights
  // are never chosen. REQUIRES: weights non-negative with a positive sum.
  int64_t WeightedIndex(const std::vector<double>& weights);

 private:
  uint64_t state_;
};

}  // namespace augur

#endif  // AUGUR_CORE_RANDOM_H_
