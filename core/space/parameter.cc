#include "core/space/parameter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status_macros.h"

namespace augur {
namespace {

// Above 2^53 consecutive integers are no longer all doubles, so an index
// computed in floating point would skip values.
constexpr double kMaxExactInteger = 9007199254740992.0;

// Relative tolerance for matching a user-given number to a listed value.
constexpr double kMatchTolerance = 1e-9;

// Largest argument of exp() whose result is finite.
constexpr double kMaxExpArgument = 709.0;

std::string Num(double x) { return FormatValue(x); }

absl::Status Invalid(const v1::ParameterSpec& spec, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat("matrix.", spec.name(), ": ", message));
}

std::optional<double> AsNumber(const Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  return std::nullopt;
}

bool NearlyEqual(double a, double b) {
  if (a == b) return true;
  const double scale = std::max(std::fabs(a), std::fabs(b));
  return std::fabs(a - b) <= kMatchTolerance * scale;
}

// The gap between `x` and the next double away from zero.
double Ulp(double x) {
  const double magnitude = std::fabs(x);
  return std::nextafter(magnitude, std::numeric_limits<double>::infinity()) - magnitude;
}

// Number of decimal places in the shortest decimal form of `q` (0.25 has 2,
// 5 has 0), or nullopt when it has more than 15.
std::optional<int> DecimalPlaces(double q) {
  char buffer[64];
  const std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), q, std::chars_format::scientific);
  const std::string text(buffer, result.ptr);

  const size_t e = text.find('e');
  int mantissa_digits = 0;
  for (size_t i = 0; i < e; ++i) {
    if (text[i] >= '0' && text[i] <= '9') ++mantissa_digits;
  }
  const int exponent = std::stoi(text.substr(e + 1));

  const int places = std::max(0, mantissa_digits - 1 - exponent);
  if (places > 15) return std::nullopt;
  return places;
}

bool IsMultipleOf(double x, double q) {
  return NearlyEqual(x, std::round(x / q) * q) || std::fabs(x - std::round(x / q) * q) < 1e-12;
}

const v1::SpaceOption& SpaceOf(const v1::ParameterSpec& spec) {
  switch (spec.option_case()) {
    case v1::ParameterSpec::kLogspace:
      return spec.logspace();
    case v1::ParameterSpec::kGeomspace:
      return spec.geomspace();
    default:
      return spec.linspace();
  }
}

const v1::UniformOption& UniformOf(const v1::ParameterSpec& spec) {
  switch (spec.option_case()) {
    case v1::ParameterSpec::kQuniform:
      return spec.quniform();
    case v1::ParameterSpec::kLoguniform:
      return spec.loguniform();
    case v1::ParameterSpec::kQloguniform:
      return spec.qloguniform();
    default:
      return spec.uniform();
  }
}

const v1::NormalOption& NormalOf(const v1::ParameterSpec& spec) {
  switch (spec.option_case()) {
    case v1::ParameterSpec::kQnormal:
      return spec.qnormal();
    case v1::ParameterSpec::kLognormal:
      return spec.lognormal();
    case v1::ParameterSpec::kQlognormal:
      return spec.qlognormal();
    default:
      return spec.normal();
  }
}

bool IsQOption(OptionKind kind) {
  return kind == OptionKind::kQUniform || kind == OptionKind::kQLogUniform ||
         kind == OptionKind::kQNormal || kind == OptionKind::kQLogNormal;
}

absl::Status CheckFinite(const v1::ParameterSpec& spec, const char* field, double x) {
  if (std::isfinite(x)) return absl::OkStatus();
  return Invalid(spec, absl::StrCat(OptionName(static_cast<OptionKind>(spec.option_case() - 2)),
                                    " ", field, " is ", Num(x), "; use a finite number"));
}

absl::Status CheckQ(const v1::ParameterSpec& spec, const char* option, double q) {
  if (!std::isfinite(q)) {
    return Invalid(spec, absl::StrCat(option, " q is ", Num(q), "; use a finite positive q"));
  }
  if (q == 0.0) {
    return Invalid(spec, absl::StrCat(option, " q is 0; set a positive q, the step that values "
                                              "are rounded to"));
  }
  if (q < 0.0) {
    return Invalid(spec, absl::StrCat(option, " q is ", Num(q), "; q must be positive"));
  }
  return absl::OkStatus();
}

absl::Status CheckScalar(const v1::ParameterSpec& spec, const std::string& where,
                         const v1::Value& value) {
  if (value.kind_case() == v1::Value::KIND_NOT_SET) {
    return Invalid(spec, absl::StrCat(where, " is empty; a value must be a number, a string or "
                                             "a boolean, not a nested list or map"));
  }
  if (value.kind_case() == v1::Value::kDoubleValue && !std::isfinite(value.double_value())) {
    return Invalid(spec, absl::StrCat(where, " is ", Num(value.double_value()),
                                      "; use a finite number"));
  }
  return absl::OkStatus();
}

// Indexes of the first occurrence of each distinct value among `values`,
// skipping the indexes for which `keep` is false.
template <typename ValueAtFn, typename KeepFn>
std::vector<int64_t> FirstOccurrences(int64_t size, ValueAtFn value_at, KeepFn keep) {
  std::vector<int64_t> indices;
  absl::flat_hash_set<std::string> seen;
  for (int64_t i = 0; i < size; ++i) {
    if (!keep(i)) continue;
    if (seen.insert(PointKey({value_at(i)})).second) indices.push_back(i);
  }
  return indices;
}

}  // namespace

const char* OptionName(OptionKind kind) {
  switch (kind) {
    case OptionKind::kValues:
      return "values";
    case OptionKind::kPValues:
      return "pvalues";
    case OptionKind::kRange:
      return "range";
    case OptionKind::kLinspace:
      return "linspace";
    case OptionKind::kLogspace:
      return "logspace";
    case OptionKind::kGeomspace:
      return "geomspace";
    case OptionKind::kUniform:
      return "uniform";
    case OptionKind::kQUniform:
      return "quniform";
    case OptionKind::kLogUniform:
      return "loguniform";
    case OptionKind::kQLogUniform:
      return "qloguniform";
    case OptionKind::kNormal:
      return "normal";
    case OptionKind::kQNormal:
      return "qnormal";
    case OptionKind::kLogNormal:
      return "lognormal";
    case OptionKind::kQLogNormal:
      return "qlognormal";
  }
  return "unknown";
}

double RoundToMultiple(double x, double q) {
  const double multiple = std::round(x / q) * q;
  if (multiple == 0.0) return 0.0;  // Folds -0.0 into 0.0.

  const std::optional<int> places = DecimalPlaces(q);
  if (!places.has_value() || std::fabs(multiple) >= 1e15) return multiple;

  const std::string text = absl::StrFormat("%.*f", *places, multiple);
  double cleaned = multiple;
  std::from_chars(text.data(), text.data() + text.size(), cleaned);
  return cleaned == 0.0 ? 0.0 : cleaned;
}

absl::StatusOr<Parameter> Parameter::Create(const v1::ParameterSpec& spec) {
  if (spec.name().empty()) {
    return absl::InvalidArgumentError(
        "matrix: a parameter has an empty name; give every matrix entry a name");
  }
  if (spec.option_case() == v1::ParameterSpec::OPTION_NOT_SET) {
    return Invalid(spec,
                   "no option set; give exactly one of values, pvalues, range, linspace, "
                   "logspace, geomspace, uniform, quniform, loguniform, qloguniform, normal, "
                   "qnormal, lognormal, qlognormal");
  }

  Parameter parameter;
  parameter.spec_ = spec;
  // The oneof field numbers run from 2 (values) to 15 (qlognormal) in the
  // order of OptionKind.
  parameter.kind_ = static_cast<OptionKind>(spec.option_case() - 2);
  AUGUR_RETURN_IF_ERROR(parameter.Validate());
  return parameter;
}

bool Parameter::is_enumerated() const {
  switch (kind_) {
    case OptionKind::kValues:
    case OptionKind::kRange:
    case OptionKind::kLinspace:
    case OptionKind::kLogspace:
    case OptionKind::kGeomspace:
      return true;
    default:
      return false;
  }
}

bool Parameter::is_log_scaled() const {
  switch (kind_) {
    case OptionKind::kLogspace:
    case OptionKind::kGeomspace:
    case OptionKind::kLogUniform:
    case OptionKind::kQLogUniform:
    case OptionKind::kLogNormal:
    case OptionKind::kQLogNormal:
      return true;
    default:
      return false;
  }
}

bool Parameter::is_numeric() const {
  if (kind_ == OptionKind::kValues) {
    for (const v1::Value& v : spec_.values().values()) {
      if (!AsNumber(ValueFromProto(v)).has_value()) return false;
    }
    return true;
  }
  if (kind_ == OptionKind::kPValues) {
    for (const auto& entry : spec_.pvalues().entries()) {
      if (!AsNumber(ValueFromProto(entry.value())).has_value()) return false;
    }
    return true;
  }
  return true;
}

absl::Status Parameter::Validate() {
  const std::string option = OptionName(kind_);
  switch (kind_) {
    case OptionKind::kValues: {
      const auto& values = spec_.values().values();
      if (values.empty()) {
        return Invalid(spec_, "values is empty; list at least one value, e.g. values: [1, 2, 3]");
      }
      for (int i = 0; i < values.size(); ++i) {
        AUGUR_RETURN_IF_ERROR(CheckScalar(spec_, absl::StrCat("values[", i, "]"), values[i]));
      }
      size_ = values.size();
      distinct_indices_ = FirstOccurrences(
          size_, [&](int64_t i) { return ValueAt(i); }, [](int64_t) { return true; });
      return absl::OkStatus();
    }

    case OptionKind::kPValues: {
      const auto& entries = spec_.pvalues().entries();
      if (entries.empty()) {
        return Invalid(spec_,
                       "pvalues is empty; list [value, probability] pairs, e.g. "
                       "pvalues: [[relu, 0.2], [sigmoid, 0.8]]");
      }
      double total = 0.0;
      for (int i = 0; i < entries.size(); ++i) {
        AUGUR_RETURN_IF_ERROR(
            CheckScalar(spec_, absl::StrCat("pvalues[", i, "] value"), entries[i].value()));
        const double p = entries[i].probability();
        if (!std::isfinite(p) || p < 0.0) {
          return Invalid(spec_, absl::StrCat("pvalues[", i, "] probability is ", Num(p),
                                             "; probabilities must be between 0 and 1"));
        }
        total += p;
      }
      if (std::fabs(total - 1.0) > 1e-6) {
        return Invalid(spec_, absl::StrCat("pvalues probabilities sum to ", Num(total),
                                           ", not 1; adjust them so that they sum to 1 "
                                           "(within 1e-6)"));
      }
      size_ = entries.size();
      distinct_indices_ = FirstOccurrences(
          size_, [&](int64_t i) { return ValueAt(i); },
          [&](int64_t i) { return entries[static_cast<int>(i)].probability() > 0.0; });
      return absl::OkStatus();
    }

    case OptionKind::kRange: {
      const v1::RangeOption& range = spec_.range();
      AUGUR_RETURN_IF_ERROR(CheckFinite(spec_, "start", range.start()));
      AUGUR_RETURN_IF_ERROR(CheckFinite(spec_, "stop", range.stop()));
      AUGUR_RETURN_IF_ERROR(CheckFinite(spec_, "step", range.step()));
      if (range.step() == 0.0) {
        return Invalid(spec_, "range step is 0; use a positive step, e.g. range: 0:10:2");
      }
      if (range.step() < 0.0) {
        return Invalid(spec_, absl::StrCat("range step is ", Num(range.step()),
                                           "; use a positive step with start < stop"));
      }
      if (range.start() >= range.stop()) {
        return Invalid(spec_, absl::StrCat("range start ", Num(range.start()),
                                           " must be less than stop ", Num(range.stop()),
                                           " (stop is excluded)"));
      }
      if (range.integer() &&
          (std::floor(range.start()) != range.start() ||
           std::floor(range.step()) != range.step() ||
           std::fabs(range.start()) >= kMaxExactInteger ||
           std::fabs(range.stop()) >= kMaxExactInteger)) {
        return Invalid(spec_, "an integer range needs whole-number start and step below 2^53");
      }

      const double count = std::ceil((range.stop() - range.start()) / range.step());
      if (!(count <= kMaxExactInteger)) {
        return Invalid(spec_, absl::StrCat("range has ", Num(count),
                                           " values, more than 2^53; use a larger step"));
      }
      range_delta_ = range.integer() ? range.step()
                                     : (range.start() + range.step()) - range.start();
      if (range_delta_ <= 0.0) {
        return Invalid(spec_, absl::StrCat("range step ", Num(range.step()),
                                           " is too small to change start ", Num(range.start())));
      }

      // Rounding can make numpy's arange yield a last value at or above stop:
      // arange(1, 1.3, 0.1) ends with 1.3000000000000003. Stop is excluded
      // here, so such a value is dropped.
      size_ = static_cast<int64_t>(count);
      if (range_delta_ > range.step()) {
        // At large magnitudes the delta can exceed the step, which ends the
        // values early.
        const double reach = std::ceil((range.stop() - range.start()) / range_delta_);
        size_ = std::min(size_, static_cast<int64_t>(reach));
      }
      while (size_ > 0 && NumericAt(size_ - 1) >= range.stop()) --size_;
      return absl::OkStatus();
    }

    case OptionKind::kLinspace:
    case OptionKind::kLogspace:
    case OptionKind::kGeomspace: {
      const v1::SpaceOption& space = SpaceOf(spec_);
      AUGUR_RETURN_IF_ERROR(CheckFinite(spec_, "start", space.start()));
      AUGUR_RETURN_IF_ERROR(CheckFinite(spec_, "stop", space.stop()));
      if (space.num() == 0) {
        return Invalid(spec_, absl::StrCat(option, " num is 0; set num, the number of values, "
                                                   "to at least 1"));
      }
      if (space.num() < 1) {
        return Invalid(spec_, absl::StrCat(option, " num is ", space.num(),
                                           "; num must be at least 1"));
      }
      if (space.start() >= space.stop()) {
        return Invalid(spec_, absl::StrCat(option, " start ", Num(space.start()),
                                           " must be less than stop ", Num(space.stop())));
      }

      // Spacing below a few ulps would make neighbouring values equal, and
      // an enumerated option must list distinct values.
      double exponent_start = space.start();
      double exponent_stop = space.stop();
      double scale = 1.0;
      if (kind_ == OptionKind::kLogspace) {
        const double base = space.has_base() ? space.base() : 10.0;
        if (!std::isfinite(base) || base <= 0.0 || base == 1.0) {
          return Invalid(spec_, absl::StrCat("logspace base is ", Num(base),
                                             "; use a positive base other than 1 (default 10)"));
        }
        if (!std::isfinite(std::pow(base, space.start())) ||
            !std::isfinite(std::pow(base, space.stop())) ||
            std::pow(base, space.start()) == 0.0 || std::pow(base, space.stop()) == 0.0) {
          return Invalid(spec_, absl::StrCat("logspace ", Num(base), "^", Num(space.start()),
                                             " .. ", Num(base), "^", Num(space.stop()),
                                             " is outside the range of a double; start and "
                                             "stop are exponents, e.g. logspace: -4:-1:4"));
        }
        scale = std::fabs(std::log(base));
      }
      if (kind_ == OptionKind::kGeomspace) {
        if (space.start() == 0.0 || space.stop() == 0.0 ||
            (space.start() < 0.0) != (space.stop() < 0.0)) {
          return Invalid(spec_, absl::StrCat("geomspace from ", Num(space.start()), " to ",
                                             Num(space.stop()),
                                             " passes through zero; start and stop must be "
                                             "non-zero and have the same sign"));
        }
        exponent_start = std::log10(std::fabs(space.start()));
        exponent_stop = std::log10(std::fabs(space.stop()));
        scale = std::log(10.0);
      }
      if (space.num() > 1) {
        const double step = std::fabs(exponent_stop - exponent_start) /
                            static_cast<double>(space.num() - 1);
        const double magnitude = std::max(std::fabs(exponent_start), std::fabs(exponent_stop));
        const bool too_dense = kind_ == OptionKind::kLinspace
                                   ? step <= 4.0 * Ulp(magnitude)
                                   : step * scale <= 1e-14 || step <= 4.0 * Ulp(magnitude);
        if (too_dense) {
          return Invalid(spec_, absl::StrCat(option, " num ", space.num(),
                                             " is too large: neighbouring values would be "
                                             "equal doubles; use a smaller num"));
        }
      }
      size_ = space.num();
      return absl::OkStatus();
    }

    case OptionKind::kUniform:
    case OptionKind::kQUniform:
    case OptionKind::kLogUniform:
    case OptionKind::kQLogUniform: {
      const v1::UniformOption& uniform = UniformOf(spec_);
      AUGUR_RETURN_IF_ERROR(CheckFinite(spec_, "low", uniform.low()));
      AUGUR_RETURN_IF_ERROR(CheckFinite(spec_, "high", uniform.high()));
      if (uniform.low() >= uniform.high()) {
        return Invalid(spec_, absl::StrCat(option, " low ", Num(uniform.low()),
                                           " must be less than high ", Num(uniform.high())));
      }
      if (IsQOption(kind_)) AUGUR_RETURN_IF_ERROR(CheckQ(spec_, option.c_str(), uniform.q()));
      if (is_log_scaled() && std::max(std::fabs(uniform.low()), std::fabs(uniform.high())) >
                                 kMaxExpArgument) {
        return Invalid(spec_, absl::StrCat(option, " bounds ", Num(uniform.low()), " .. ",
                                           Num(uniform.high()),
                                           " overflow exp(); low and high are natural-log "
                                           "exponents, e.g. [-9.21, -2.3] for 1e-4 .. 0.1"));
      }
      return absl::OkStatus();
    }

    case OptionKind::kNormal:
    case OptionKind::kQNormal:
    case OptionKind::kLogNormal:
    case OptionKind::kQLogNormal: {
      const v1::NormalOption& normal = NormalOf(spec_);
      AUGUR_RETURN_IF_ERROR(CheckFinite(spec_, "loc", normal.loc()));
      AUGUR_RETURN_IF_ERROR(CheckFinite(spec_, "scale", normal.scale()));
      if (normal.scale() < 0.0) {
        return Invalid(spec_, absl::StrCat(option, " scale is ", Num(normal.scale()),
                                           "; scale is a standard deviation and must be "
                                           "positive"));
      }
      if (normal.scale() == 0.0) {
        return Invalid(spec_, absl::StrCat(option, " scale is 0, which makes every draw equal; "
                                                   "use a positive scale, or values: [",
                                           Num(normal.loc()), "] for a constant"));
      }
      if (IsQOption(kind_)) AUGUR_RETURN_IF_ERROR(CheckQ(spec_, option.c_str(), normal.q()));
      if (is_log_scaled() && std::fabs(normal.loc()) + 8.0 * normal.scale() > kMaxExpArgument) {
        return Invalid(spec_, absl::StrCat(option, " loc ", Num(normal.loc()), " and scale ",
                                           Num(normal.scale()),
                                           " overflow exp(); loc and scale are natural-log "
                                           "quantities, e.g. [-4.6, 1] around 0.01"));
      }
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unhandled matrix option");
}

double Parameter::NumericAt(int64_t index) const {
  const double i = static_cast<double>(index);
  switch (kind_) {
    case OptionKind::kRange:
      return spec_.range().start() + i * range_delta_;

    case OptionKind::kLinspace:
    case OptionKind::kLogspace:
    case OptionKind::kGeomspace: {
      // numpy's linspace: y_i = i * step + start, with the last value set
      // to stop exactly and a single value equal to start.
      const v1::SpaceOption& space = SpaceOf(spec_);
      const int64_t num = space.num();
      double start = space.start();
      double stop = space.stop();
      if (kind_ == OptionKind::kGeomspace) {
        // numpy's geomspace: logspace over log10 of |start| and |stop|, with
        // both ends set exactly and the common sign put back.
        if (index == 0) return start;
        if (index == num - 1) return stop;
        start = std::log10(std::fabs(start));
        stop = std::log10(std::fabs(stop));
      }

      double exponent = start;
      if (index == num - 1 && num > 1) {
        exponent = stop;
      } else if (num > 1) {
        const double step = (stop - start) / static_cast<double>(num - 1);
        exponent = i * step + start;
      }

      if (kind_ == OptionKind::kLinspace) return exponent;
      if (kind_ == OptionKind::kLogspace) {
        return std::pow(space.has_base() ? space.base() : 10.0, exponent);
      }
      const double sign = space.start() < 0.0 ? -1.0 : 1.0;
      return sign * std::pow(10.0, exponent);
    }

    default:
      return 0.0;
  }
}

Value Parameter::ValueAt(int64_t index) const {
  switch (kind_) {
    case OptionKind::kValues:
      return ValueFromProto(spec_.values().values(static_cast<int>(index)));
    case OptionKind::kPValues:
      return ValueFromProto(spec_.pvalues().entries(static_cast<int>(index)).value());
    case OptionKind::kRange:
      if (spec_.range().integer()) {
        return static_cast<int64_t>(spec_.range().start()) +
               index * static_cast<int64_t>(spec_.range().step());
      }
      return NumericAt(index);
    default:
      return NumericAt(index);
  }
}

int64_t Parameter::distinct_count() const {
  if (kind_ == OptionKind::kValues || kind_ == OptionKind::kPValues) {
    return static_cast<int64_t>(distinct_indices_.size());
  }
  // Validation keeps the spaced options strictly increasing.
  return size_;
}

Value Parameter::DistinctValueAt(int64_t index) const {
  if (kind_ == OptionKind::kValues || kind_ == OptionKind::kPValues) {
    return ValueAt(distinct_indices_[static_cast<size_t>(index)]);
  }
  return ValueAt(index);
}

Value Parameter::Sample(Random& random) const {
  switch (kind_) {
    case OptionKind::kValues:
    case OptionKind::kRange:
    case OptionKind::kLinspace:
    case OptionKind::kLogspace:
    case OptionKind::kGeomspace:
      return ValueAt(static_cast<int64_t>(random.UniformInt(static_cast<uint64_t>(size_))));

    case OptionKind::kPValues: {
      std::vector<double> weights;
      weights.reserve(static_cast<size_t>(size_));
      for (const auto& entry : spec_.pvalues().entries()) weights.push_back(entry.probability());
      return ValueAt(random.WeightedIndex(weights));
    }

    case OptionKind::kUniform:
    case OptionKind::kQUniform:
    case OptionKind::kLogUniform:
    case OptionKind::kQLogUniform: {
      const v1::UniformOption& uniform = UniformOf(spec_);
      double x = uniform.low() + (uniform.high() - uniform.low()) * random.UniformDouble();
      // Rounding in the line above can reach high, which U[low, high) excludes.
      if (x >= uniform.high()) x = std::nextafter(uniform.high(), uniform.low());
      if (is_log_scaled()) x = std::exp(x);
      return IsQOption(kind_) ? RoundToMultiple(x, uniform.q()) : x;
    }

    case OptionKind::kNormal:
    case OptionKind::kQNormal:
    case OptionKind::kLogNormal:
    case OptionKind::kQLogNormal: {
      const v1::NormalOption& normal = NormalOf(spec_);
      double x = normal.loc() + normal.scale() * random.StandardNormal();
      if (is_log_scaled()) x = std::exp(x);
      return IsQOption(kind_) ? RoundToMultiple(x, normal.q()) : x;
    }
  }
  return int64_t{0};
}

std::optional<int64_t> Parameter::FindIndex(double x) const {
  // Inverts the option's formula to a nearby index, then checks the
  // neighbours, because rounding can put x a step away from the estimate.
  double estimate = 0.0;
  switch (kind_) {
    case OptionKind::kRange:
      estimate = (x - spec_.range().start()) / range_delta_;
      break;
    case OptionKind::kLinspace:
    case OptionKind::kLogspace:
    case OptionKind::kGeomspace: {
      const v1::SpaceOption& space = SpaceOf(spec_);
      if (space.num() == 1) break;
      double position = x;
      double start = space.start();
      double stop = space.stop();
      if (kind_ == OptionKind::kLogspace) {
        if (x <= 0.0) return std::nullopt;
        position = std::log(x) / std::log(space.has_base() ? space.base() : 10.0);
      } else if (kind_ == OptionKind::kGeomspace) {
        if (x == 0.0 || (x < 0.0) != (start < 0.0)) return std::nullopt;
        position = std::log10(std::fabs(x));
        start = std::log10(std::fabs(start));
        stop = std::log10(std::fabs(stop));
      }
      estimate = (position - start) / ((stop - start) / static_cast<double>(space.num() - 1));
      break;
    }
    default:
      return std::nullopt;
  }

  if (!std::isfinite(estimate)) return std::nullopt;
  const double rounded = std::round(estimate);
  if (rounded < -1.0 || rounded > static_cast<double>(size_)) return std::nullopt;
  for (int64_t candidate = static_cast<int64_t>(rounded) - 1;
       candidate <= static_cast<int64_t>(rounded) + 1; ++candidate) {
    if (candidate < 0 || candidate >= size_) continue;
    if (NearlyEqual(*AsNumber(ValueAt(candidate)), x)) return candidate;
  }
  return std::nullopt;
}

absl::StatusOr<Value> Parameter::Normalize(const Value& value) const {
  const std::optional<double> number = AsNumber(value);
  const std::string shown = ValueToJson(value);

  if (kind_ == OptionKind::kValues || kind_ == OptionKind::kPValues) {
    for (int64_t i = 0; i < size_; ++i) {
      if (kind_ == OptionKind::kPValues &&
          spec_.pvalues().entries(static_cast<int>(i)).probability() <= 0.0) {
        continue;
      }
      const Value listed = ValueAt(i);
      if (SameValue(listed, value)) return listed;
      const std::optional<double> listed_number = AsNumber(listed);
      if (number.has_value() && listed_number.has_value() &&
          NearlyEqual(*number, *listed_number)) {
        return listed;
      }
    }
    return Invalid(spec_, absl::StrCat("value ", shown, " is not one of its ", OptionName(kind_),
                                       "; use a listed value"));
  }

  if (!number.has_value() || !std::isfinite(*number)) {
    return Invalid(spec_, absl::StrCat("value ", shown, " is not a finite number, which ",
                                       OptionName(kind_), " needs"));
  }

  if (is_enumerated()) {
    const std::optional<int64_t> index = FindIndex(*number);
    if (!index.has_value()) {
      return Invalid(spec_, absl::StrCat("value ", shown, " is not one of the ", size_,
                                         " values of its ", OptionName(kind_)));
    }
    return ValueAt(*index);
  }

  const std::optional<double> low = lower_bound();
  const std::optional<double> high = upper_bound();
  const bool below = low.has_value() && *number < *low && !NearlyEqual(*number, *low);
  const bool above = high.has_value() && *number > *high && !NearlyEqual(*number, *high);
  const bool non_positive_log = (kind_ == OptionKind::kLogNormal && *number <= 0.0) ||
                                (kind_ == OptionKind::kQLogNormal && *number < 0.0);
  if (below || above || non_positive_log) {
    return Invalid(spec_, absl::StrCat("value ", shown, " is outside the support of its ",
                                       OptionName(kind_)));
  }

  if (!IsQOption(kind_)) return *number;
  const double q = kind_ == OptionKind::kQNormal || kind_ == OptionKind::kQLogNormal
                       ? NormalOf(spec_).q()
                       : UniformOf(spec_).q();
  if (!IsMultipleOf(*number, q)) {
    return Invalid(spec_, absl::StrCat("value ", shown, " is not a multiple of q = ", Num(q)));
  }
  return RoundToMultiple(*number, q);
}

std::optional<double> Parameter::lower_bound() const {
  switch (kind_) {
    case OptionKind::kValues:
    case OptionKind::kPValues: {
      if (!is_numeric()) return std::nullopt;
      double low = std::numeric_limits<double>::infinity();
      for (int64_t i = 0; i < distinct_count(); ++i) {
        low = std::min(low, *AsNumber(DistinctValueAt(i)));
      }
      return low;
    }
    case OptionKind::kRange:
    case OptionKind::kLinspace:
    case OptionKind::kLogspace:
    case OptionKind::kGeomspace:
      return *AsNumber(ValueAt(0));
    case OptionKind::kUniform:
      return UniformOf(spec_).low();
    case OptionKind::kQUniform:
      return RoundToMultiple(UniformOf(spec_).low(), UniformOf(spec_).q());
    case OptionKind::kLogUniform:
      return std::exp(UniformOf(spec_).low());
    case OptionKind::kQLogUniform:
      return RoundToMultiple(std::exp(UniformOf(spec_).low()), UniformOf(spec_).q());
    default:
      return std::nullopt;
  }
}

std::optional<double> Parameter::upper_bound() const {
  switch (kind_) {
    case OptionKind::kValues:
    case OptionKind::kPValues: {
      if (!is_numeric()) return std::nullopt;
      double high = -std::numeric_limits<double>::infinity();
      for (int64_t i = 0; i < distinct_count(); ++i) {
        high = std::max(high, *AsNumber(DistinctValueAt(i)));
      }
      return high;
    }
    case OptionKind::kRange:
    case OptionKind::kLinspace:
    case OptionKind::kLogspace:
    case OptionKind::kGeomspace:
      return *AsNumber(ValueAt(size_ - 1));
    case OptionKind::kUniform:
      return UniformOf(spec_).high();
    case OptionKind::kQUniform:
      return RoundToMultiple(UniformOf(spec_).high(), UniformOf(spec_).q());
    case OptionKind::kLogUniform:
      return std::exp(UniformOf(spec_).high());
    case OptionKind::kQLogUniform:
      return RoundToMultiple(std::exp(UniformOf(spec_).high()), UniformOf(spec_).q());
    default:
      return std::nullopt;
  }
}

}  // namespace augur
