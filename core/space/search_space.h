#ifndef AUGUR_CORE_SPACE_SEARCH_SPACE_H_
#define AUGUR_CORE_SPACE_SEARCH_SPACE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
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

  // True when every parameter enumerates a finite list.
  bool is_discrete() const;

  // The number of grid points, or nullopt when a parameter is a
  // distribution or the product exceeds INT64_MAX.
  std::optional<int64_t> grid_size() const;

  // Returns grid point `index` (0-based) without materialising the grid:
  // the first parameter varies slowest, the last fastest.
  // REQUIRES: is_discrete() and index < grid_size().
  Point GridPoint(int64_t index) const;

 private:
  std::vector<Parameter> parameters_;
};

}  // namespace augur

#endif  // AUGUR_CORE_SPACE_SEARCH_SPACE_H_
