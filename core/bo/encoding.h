#ifndef AUGUR_CORE_BO_ENCODING_H_
#define AUGUR_CORE_BO_ENCODING_H_

#include <string>
#include <vector>

#include "Eigen/Core"
#include "absl/status/statusor.h"
#include "core/random.h"
#include "core/space/search_space.h"
#include "core/space/value.h"

namespace augur::bo {

// Maps points of a search space into the unit box [0, 1]^D where the GP
// works, and back.
//
// Per parameter, in matrix order:
// - uniform, quniform: one coordinate, linear on [low, high].
// - loguniform, qloguniform: one coordinate, linear in log(value) on
//   [low, high] (the natural-log exponents of the option).
// - range, linspace: one coordinate, linear from the first to the last value.
// - logspace, geomspace: one coordinate, linear in log(value) from the first
//   to the last value, so that listed values sit evenly spaced.
// - values whose elements are all numbers: one coordinate, linear from the
//   smallest to the largest value.
// - any other values list (strings, bools, mixed): one coordinate per
//   distinct value (one-hot).
// pvalues and the normal-type options are rejected.
//
// Decoding snaps to an allowed value: q-options round to a multiple of q
// (half away from zero), enumerated options and numeric lists take the
// nearest listed value, and a one-hot block takes its largest coordinate
// (the first on ties).
//
// Thread safety: immutable after Create.
class SpaceEncoding {
 public:
  // Returns INVALID_ARGUMENT naming the parameter when it uses pvalues or a
  // normal-type option, which Bayesian optimisation does not support.
  static absl::StatusOr<SpaceEncoding> Create(const SearchSpace& space);

  // D, the number of coordinates.
  int dimensions() const { return dimensions_; }

  // Encodes a point of the space. Returns INVALID_ARGUMENT naming the
  // parameter when a value has the wrong type, is not listed, or the point
  // has the wrong number of values.
  absl::StatusOr<Eigen::VectorXd> Encode(const Point& point) const;

  // Decodes any vector of D coordinates (clamped to [0, 1]) to the nearest
  // allowed point.
  Point Decode(const Eigen::VectorXd& encoded) const;

  // Draws a point of the box for the acquisition search: uniform
  // coordinates, and a random vertex for each one-hot block so that
  // categorical candidates are proper categories.
  Eigen::VectorXd SampleUnitPoint(Random& random) const;

 private:
  enum class Mapping {
    // A distribution on an interval, possibly on the log scale, possibly
    // rounded to multiples of q.
    kContinuous,
    // range, linspace, logspace, geomspace: evenly spaced indices.
    kEnumerated,
    // values of numbers: the nearest listed value.
    kNumericList,
    // values with a non-number: one-hot.
    kCategorical,
  };

  struct Block {
    std::string name;
    Mapping mapping = Mapping::kContinuous;
    int offset = 0;
    int width = 1;
    bool log_scale = false;
    // kContinuous: the interval in the encoded domain (log values when
    // log_scale) and the rounding step (0 for none).
    double low = 0.0;
    double high = 1.0;
    double q = 0.0;
    // kEnumerated: the first and last value and the number of values.
    double first = 0.0;
    double last = 0.0;
    int64_t size = 1;
    // kNumericList and kCategorical: the distinct values; kNumericList also
    // their coordinates.
    std::vector<Value> values;
    std::vector<double> positions;
  };

  SpaceEncoding() = default;

  absl::StatusOr<double> EncodeNumber(const Block& block,
                                      const Value& value) const;
  Value DecodeNumber(const Block& block, double x) const;

  SearchSpace space_;
  std::vector<Block> blocks_;
  int dimensions_ = 0;
};

}  // namespace augur::bo

#endif  // AUGUR_CORE_BO_ENCODING_H_
