#ifndef AUGUR_CORE_SPACE_PARAMETER_H_
#define AUGUR_CORE_SPACE_PARAMETER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "core/random.h"
#include "core/space/value.h"

namespace augur {

// The fourteen matrix options, in the order of the ParameterSpec oneof.
enum class OptionKind {
  kValues,
  kPValues,
  kRange,
  kLinspace,
  kLogspace,
  kGeomspace,
  kUniform,
  kQUniform,
  kLogUniform,
  kQLogUniform,
  kNormal,
  kQNormal,
  kLogNormal,
  kQLogNormal,
};

// Returns the option's name as the study file spells it ("qloguniform").
const char* OptionName(OptionKind kind);

// Rounds x / q half away from zero and multiplies back by q, as the
// q-options do. The product is then rounded to q's own decimal places (when
// q has at most 15), so 3 * 0.1 gives 0.3 rather than 0.30000000000000004:
// still a multiple of q, and the decimal a reader expects. -0.0 becomes 0.0.
// REQUIRES: q > 0 and finite.
double RoundToMultiple(double x, double q);

// One validated matrix parameter: a name and exactly one option.
//
// Enumerated options (values, range, linspace, logspace, geomspace) list a
// finite sequence by index. Distributions (pvalues and the eight continuous
// ones) draw a value from an injected generator. pvalues is both: a
// distribution over a finite list, so grid search rejects it while random
// search can still count its distinct values.
//
// Thread safety: immutable after Create.
class Parameter {
 public:
  // Validates `spec` and returns INVALID_ARGUMENT naming the parameter and
  // the fix when it has no option, an empty name, or invalid option fields
  // (start >= stop, a zero or negative step, num or q, a negative scale,
  // pvalues probabilities that are negative or do not sum to 1, ...).
  static absl::StatusOr<Parameter> Create(const v1::ParameterSpec& spec);

  const std::string& name() const { return spec_.name(); }
  OptionKind kind() const { return kind_; }
  const v1::ParameterSpec& spec() const { return spec_; }

  // True for values, range, linspace, logspace and geomspace: the options
  // that a grid can enumerate.
  bool is_enumerated() const;

  // True for pvalues and the eight continuous distributions.
  bool is_distribution() const { return !is_enumerated(); }

  // True when the option can produce only finitely many values: the
  // enumerated options and pvalues.
  bool has_finite_support() const {
    return kind_ == OptionKind::kPValues || is_enumerated();
  }

  // The number of listed values, duplicates included. For pvalues, the
  // number of entries. REQUIRES: has_finite_support().
  int64_t size() const { return size_; }

  // Returns listed value `index` (0-based), computed without materialising
  // the list. For pvalues, the value of entry `index`.
  // REQUIRES: has_finite_support() and 0 <= index < size().
  Value ValueAt(int64_t index) const;

  // The number of distinct values this parameter can produce: duplicates
  // inside `values` or `pvalues` count once, and pvalues entries with
  // probability 0 do not count. REQUIRES: has_finite_support().
  int64_t distinct_count() const;

  // Returns distinct value `index` (0-based, in first-listed order).
  // REQUIRES: has_finite_support() and 0 <= index < distinct_count().
  Value DistinctValueAt(int64_t index) const;

  // Draws one value: a uniform index for an enumerated option, a weighted
  // entry for pvalues, and the option's formula for a distribution (q-options
  // are rounded half away from zero to a multiple of q).
  Value Sample(Random& random) const;

  // Returns the value of this parameter that equals `value`, so that values
  // given by a user (AddTrial) are stored exactly as a suggestion would hold
  // them. An enumerated option or pvalues accepts a listed value, where a
  // number matches within a relative 1e-9 and an integer may stand for a
  // float. A distribution accepts any finite number inside its support and
  // returns it as a double. Returns INVALID_ARGUMENT naming the parameter
  // otherwise.
  absl::StatusOr<Value> Normalize(const Value& value) const;

  // Hooks for model-based search.

  // True for logspace, geomspace, loguniform, qloguniform, lognormal and
  // qlognormal, whose values are best compared on a log scale.
  bool is_log_scaled() const;

  // True when every value this parameter produces is a number.
  bool is_numeric() const;

  // The smallest and largest value the option can produce, when bounded
  // and numeric (nullopt for normal-type options and non-numeric lists).
  std::optional<double> lower_bound() const;
  std::optional<double> upper_bound() const;

 private:
  Parameter() = default;

  absl::Status Validate();
  double NumericAt(int64_t index) const;
  std::optional<int64_t> FindIndex(double x) const;

  v1::ParameterSpec spec_;
  OptionKind kind_ = OptionKind::kValues;
  int64_t size_ = 0;
  // For range: the distance between consecutive values, computed as numpy's
  // arange does ((start + step) - start).
  double range_delta_ = 0.0;
  // For values and pvalues: the index of the first occurrence of each
  // distinct value (positive probability only, for pvalues).
  std::vector<int64_t> distinct_indices_;
};

}  // namespace augur

#endif  // AUGUR_CORE_SPACE_PARAMETER_H_
