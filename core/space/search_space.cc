#include "core/space/search_space.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace augur {
namespace {

// Returns the product of `factors`, or nullopt when it exceeds INT64_MAX.
std::optional<int64_t> CheckedProduct(const std::vector<int64_t>& factors) {
  int64_t product = 1;
  for (const int64_t factor : factors) {
    if (factor != 0 && product > std::numeric_limits<int64_t>::max() / factor) {
      return std::nullopt;
    }
    product *= factor;
  }
  return product;
}

}  // namespace

absl::StatusOr<SearchSpace> SearchSpace::Create(
    const google::protobuf::RepeatedPtrField<v1::ParameterSpec>& specs) {
  if (specs.empty()) {
    return absl::InvalidArgumentError(
        "matrix is empty; declare at least one parameter, e.g. matrix: {lr: {values: [0.1]}}");
  }

  SearchSpace space;
  absl::flat_hash_set<std::string> names;
  for (const v1::ParameterSpec& spec : specs) {
    AUGUR_ASSIGN_OR_RETURN(Parameter parameter, Parameter::Create(spec));
    if (!names.insert(parameter.name()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "matrix.", parameter.name(), ": the parameter is declared twice; keep one entry"));
    }
    space.parameters_.push_back(std::move(parameter));
  }
  return space;
}

int SearchSpace::IndexOf(const std::string& name) const {
  for (size_t i = 0; i < parameters_.size(); ++i) {
    if (parameters_[i].name() == name) return static_cast<int>(i);
  }
  return -1;
}

bool SearchSpace::is_discrete() const {
  for (const Parameter& parameter : parameters_) {
    if (!parameter.is_enumerated()) return false;
  }
  return true;
}

std::optional<int64_t> SearchSpace::grid_size() const {
  if (!is_discrete()) return std::nullopt;

  std::vector<int64_t> sizes;
  for (const Parameter& parameter : parameters_) sizes.push_back(parameter.size());
  return CheckedProduct(sizes);
}

Point SearchSpace::GridPoint(int64_t index) const {
  // Mixed radix with the last parameter as the least significant digit.
  Point point(parameters_.size());
  for (size_t i = parameters_.size(); i-- > 0;) {
    const int64_t size = parameters_[i].size();
    point[i] = parameters_[i].ValueAt(index % size);
    index /= size;
  }
  return point;
}

std::optional<int64_t> SearchSpace::distinct_count() const {
  std::vector<int64_t> counts;
  for (const Parameter& parameter : parameters_) {
    if (!parameter.has_finite_support()) return std::nullopt;
    counts.push_back(parameter.distinct_count());
  }
  return CheckedProduct(counts);
}

Point SearchSpace::DistinctPoint(int64_t index) const {
  Point point(parameters_.size());
  for (size_t i = parameters_.size(); i-- > 0;) {
    const int64_t count = parameters_[i].distinct_count();
    point[i] = parameters_[i].DistinctValueAt(index % count);
    index /= count;
  }
  return point;
}

Point SearchSpace::Sample(Random& random) const {
  Point point;
  point.reserve(parameters_.size());
  for (const Parameter& parameter : parameters_) point.push_back(parameter.Sample(random));
  return point;
}

Point SearchSpace::SamplePoint(int64_t seed, int64_t draw) const {
  Random random(static_cast<uint64_t>(seed), static_cast<uint64_t>(draw));
  return Sample(random);
}

absl::StatusOr<Point> SearchSpace::MakePoint(
    const google::protobuf::RepeatedPtrField<v1::Parameter>& parameters) const {
  absl::flat_hash_map<std::string, const v1::Parameter*> by_name;
  for (const v1::Parameter& parameter : parameters) {
    if (IndexOf(parameter.name()) < 0) continue;
    if (!by_name.emplace(parameter.name(), &parameter).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "matrix.", parameter.name(), ": the parameter is given twice; give it once"));
    }
  }

  Point point;
  point.reserve(parameters_.size());
  for (const Parameter& parameter : parameters_) {
    const auto it = by_name.find(parameter.name());
    if (it == by_name.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "matrix.", parameter.name(), ": missing; give a value for every matrix parameter"));
    }
    AUGUR_ASSIGN_OR_RETURN(Value value, parameter.Normalize(ValueFromProto(it->second->value())));
    point.push_back(std::move(value));
  }
  return point;
}

}  // namespace augur
