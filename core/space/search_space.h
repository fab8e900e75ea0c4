#ifndef AUGUR_CORE_SPACE_SEARCH_SPACE_H_
#define AUGUR_CORE_SPACE_SEARCH_SPACE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "core/random.h"
#include "core/space/parameter.h"
#include "core/space/value.h"

namespace augur {

// A validated search space: the study's matrix in file order.
//
// Thread safety: immutable after Create.
class SearchSpace {
 public:
  SearchSpace() = default;

  // Validates every matrix option. Returns INVALID_ARGUMENT naming the
  // parameter and the fix for the first invalid one.
  static absl::StatusOr<SearchSpace> Create(
      const google::protobuf::RepeatedPtrField<v1::ParameterSpec>& specs);

  const std::vector<Parameter>& parameters() const { return parameters_; }

  // Returns the index of the parameter called `name`, or -1.
  int IndexOf(const std::string& name) const;

  // True when every parameter enumerates a finite list (values, range,
  // linspace, logspace, geomspace), so grid search can walk the space.
  bool is_discrete() const;

  // The number of grid points, or nullopt when a parameter is a
  // distribution or the product exceeds INT64_MAX.
  std::optional<int64_t> grid_size() const;

  // Returns grid point `index` (0-based) without materialising the grid:
  // the first parameter varies slowest, the last fastest.
  // REQUIRES: is_discrete() and index < grid_size().
  Point GridPoint(int64_t index) const;

  // The number of distinct points when every parameter has finite support
  // (duplicates inside `values` count once, pvalues entries with probability
  // 0 not at all), or nullopt when a parameter is continuous or the product
  // exceeds INT64_MAX.
  std::optional<int64_t> distinct_count() const;

  // Returns distinct point `index` (0-based) in mixed radix over each
  // parameter's distinct values, the first parameter varying slowest.
  // REQUIRES: distinct_count() has a value and index < *distinct_count().
  Point DistinctPoint(int64_t index) const;

  // Draws one point, sampling the parameters in matrix order from `random`.
  Point Sample(Random& random) const;

  // Returns random draw `draw` of a study seeded with `seed`: the point
  // sampled from stream (seed, draw) alone, so it depends on nothing else.
  Point SamplePoint(int64_t seed, int64_t draw) const;

  // Builds the point that `parameters` names, in matrix order, with each
  // value normalised by Parameter::Normalize. Names that are not matrix
  // parameters are skipped, so the caller decides about fixed params and
  // injected resources. Returns INVALID_ARGUMENT naming the parameter for a
  // missing or repeated matrix name or a value the option does not allow.
  absl::StatusOr<Point> MakePoint(
      const google::protobuf::RepeatedPtrField<v1::Parameter>& parameters) const;

 private:
  std::vector<Parameter> parameters_;
};

}  // namespace augur

#endif  // AUGUR_CORE_SPACE_SEARCH_SPACE_H_
