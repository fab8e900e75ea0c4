#include "core/bo/encoding.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/space/parameter.h"

namespace augur::bo {
namespace {

std::optional<double> AsNumber(const Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) {
    return static_cast<double>(*i);
  }
  if (const auto* d = std::get_if<double>(&value)) return *d;
  return std::nullopt;
}

double Clamp01(double x) {
  if (!(x > 0.0)) return 0.0;  // Also maps NaN to 0.
  return x < 1.0 ? x : 1.0;
}

// Position of `x` on [low, high], or 0 for an empty interval.
double Position(double x, double low, double high) {
  return high > low ? Clamp01((x - low) / (high - low)) : 0.0;
}

const v1::UniformOption& UniformOf(const Parameter& parameter) {
  switch (parameter.kind()) {
    case OptionKind::kQUniform:
      return parameter.spec().quniform();
    case OptionKind::kLogUniform:
      return parameter.spec().loguniform();
    case OptionKind::kQLogUniform:
      return parameter.spec().qloguniform();
    default:
      return parameter.spec().uniform();
  }
}

}  // namespace

absl::StatusOr<SpaceEncoding> SpaceEncoding::Create(const SearchSpace& space) {
  SpaceEncoding encoding;
  encoding.space_ = space;

  for (const Parameter& parameter : space.parameters()) {
    Block block;
    block.name = parameter.name();
    block.offset = encoding.dimensions_;

    switch (parameter.kind()) {
      case OptionKind::kUniform:
      case OptionKind::kQUniform:
      case OptionKind::kLogUniform:
      case OptionKind::kQLogUniform: {
        const v1::UniformOption& option = UniformOf(parameter);
        block.mapping = Mapping::kContinuous;
        block.log_scale = parameter.kind() == OptionKind::kLogUniform ||
                          parameter.kind() == OptionKind::kQLogUniform;
        block.low = option.low();
        block.high = option.high();
        if (parameter.kind() == OptionKind::kQUniform ||
            parameter.kind() == OptionKind::kQLogUniform) {
          block.q = option.q();
        }
        break;
      }

      case OptionKind::kRange:
      case OptionKind::kLinspace:
      case OptionKind::kLogspace:
      case OptionKind::kGeomspace: {
        block.mapping = Mapping::kEnumerated;
        block.log_scale = parameter.kind() == OptionKind::kLogspace ||
                          parameter.kind() == OptionKind::kGeomspace;
        block.size = parameter.size();
        block.first = AsNumber(parameter.ValueAt(0)).value_or(0.0);
        block.last = AsNumber(parameter.ValueAt(block.size - 1)).value_or(0.0);
        break;
      }

      case OptionKind::kValues: {
        bool numeric = true;
        for (int64_t i = 0; i < parameter.distinct_count(); ++i) {
          block.values.push_back(parameter.DistinctValueAt(i));
          numeric = numeric && AsNumber(block.values.back()).has_value();
        }
        if (numeric) {
          block.mapping = Mapping::kNumericList;
          std::vector<double> numbers;
          for (const Value& value : block.values) {
            numbers.push_back(*AsNumber(value));
          }
          block.low = *std::min_element(numbers.begin(), numbers.end());
          block.high = *std::max_element(numbers.begin(), numbers.end());
          for (double number : numbers) {
            block.positions.push_back(Position(number, block.low, block.high));
          }
        } else {
          block.mapping = Mapping::kCategorical;
          block.width = static_cast<int>(block.values.size());
        }
        break;
      }

      default:
        return absl::InvalidArgumentError(absl::StrCat(
            "parameter '", parameter.name(),
            "': Bayesian optimisation does not "
            "support the ",
            OptionName(parameter.kind()),
            " option; use values, range, linspace, logspace, geomspace, "
            "uniform, quniform, loguniform or qloguniform"));
    }

    encoding.dimensions_ += block.width;
    encoding.blocks_.push_back(std::move(block));
  }
  return encoding;
}

absl::StatusOr<double> SpaceEncoding::EncodeNumber(const Block& block,
                                                   const Value& value) const {
  const std::optional<double> number = AsNumber(value);
  if (!number.has_value() || !std::isfinite(*number)) {
    return absl::InvalidArgumentError(
        absl::StrCat("parameter '", block.name, "': value ", FormatValue(value),
                     " is not a finite number"));
  }

  if (block.mapping == Mapping::kContinuous) {
    // A log-scale value of 0 or less (qloguniform rounds small draws to 0)
    // sits at the bottom of the interval.
    if (block.log_scale) {
      return *number > 0.0 ? Position(std::log(*number), block.low, block.high)
                           : 0.0;
    }
    return Position(*number, block.low, block.high);
  }

  if (block.mapping == Mapping::kEnumerated) {
    if (block.log_scale) {
      // first and last share a sign and are nonzero (geomspace through zero
      // is rejected), so listed values give positive ratios. The log span
      // is negative when magnitudes fall (geomspace from -1000 to -1).
      const double ratio = *number / block.first;
      const double span = std::log(block.last / block.first);
      if (!(ratio > 0.0) || span == 0.0) return 0.0;
      return Clamp01(std::log(ratio) / span);
    }
    return Position(*number, block.first, block.last);
  }

  return Position(*number, block.low, block.high);
}

absl::StatusOr<Eigen::VectorXd> SpaceEncoding::Encode(
    const Point& point) const {
  if (point.size() != blocks_.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "point has ", point.size(), " values, expected ", blocks_.size()));
  }

  Eigen::VectorXd encoded = Eigen::VectorXd::Zero(dimensions_);
  for (size_t p = 0; p < blocks_.size(); ++p) {
    const Block& block = blocks_[p];
    if (block.mapping != Mapping::kCategorical) {
      absl::StatusOr<double> x = EncodeNumber(block, point[p]);
      if (!x.ok()) return x.status();
      encoded(block.offset) = *x;
      continue;
    }

    const auto match =
        std::find_if(block.values.begin(), block.values.end(),
                     [&](const Value& v) { return SameValue(v, point[p]); });
    if (match == block.values.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter '", block.name, "': value ",
                       FormatValue(point[p]), " is not one of its values"));
    }
    encoded(block.offset + (match - block.values.begin())) = 1.0;
  }
  return encoded;
}

Value SpaceEncoding::DecodeNumber(const Block& block, double x) const {
  x = Clamp01(x);

  if (block.mapping == Mapping::kContinuous) {
    // Distributions draw from [low, high): keep an unrounded value below
    // the top of the interval.
    if (block.q == 0.0) x = std::min(x, 1.0 - 1e-12);
    const double t = block.low + x * (block.high - block.low);
    double value = block.log_scale ? std::exp(t) : t;
    if (block.q > 0.0) value = std::round(value / block.q) * block.q;
    return value;
  }

  if (block.mapping == Mapping::kEnumerated) {
    const int64_t index = std::llround(x * static_cast<double>(block.size - 1));
    const Parameter& parameter = space_.parameters()[&block - blocks_.data()];
    return parameter.ValueAt(std::clamp<int64_t>(index, 0, block.size - 1));
  }

  // The nearest listed number; the first listed on ties.
  size_t nearest = 0;
  for (size_t i = 1; i < block.positions.size(); ++i) {
    if (std::abs(block.positions[i] - x) <
        std::abs(block.positions[nearest] - x)) {
      nearest = i;
    }
  }
  return block.values[nearest];
}

Point SpaceEncoding::Decode(const Eigen::VectorXd& encoded) const {
  Point point;
  point.reserve(blocks_.size());
  for (const Block& block : blocks_) {
    if (block.mapping != Mapping::kCategorical) {
      point.push_back(DecodeNumber(block, encoded(block.offset)));
      continue;
    }

    Eigen::Index best = 0;
    encoded.segment(block.offset, block.width).maxCoeff(&best);
    point.push_back(block.values[best]);
  }
  return point;
}

Eigen::VectorXd SpaceEncoding::SampleUnitPoint(Random& random) const {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(dimensions_);
  for (const Block& block : blocks_) {
    if (block.mapping == Mapping::kCategorical) {
      x(block.offset + static_cast<int>(random.UniformInt(block.width))) = 1.0;
    } else {
      x(block.offset) = random.UniformDouble();
    }
  }
  return x;
}

}  // namespace augur::bo
