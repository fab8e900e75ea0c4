#include "core/algorithms/hyperband_schedule.h"

#include <cmath>
#include <cstdint>
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace augur {
namespace {

bool IsWholeNumber(double x) {
  return std::isfinite(x) && std::floor(x) == x &&
         std::fabs(x) < 9.0e15;  // Exactly representable as int64.
}

// Largest s with eta^s <= R. Exact in integers when both are whole numbers;
// otherwise a tolerance of a few ulps keeps R = eta^k itself inside.
int ComputeSMax(double max_iter, double eta) {
  if (IsWholeNumber(max_iter) && IsWholeNumber(eta)) {
    const int64_t r = static_cast<int64_t>(max_iter);
    const int64_t e = static_cast<int64_t>(eta);
    int s = 0;
    int64_t power = 1;
    while (power <= r / e) {  // power * e <= r without overflow.
      power *= e;
      ++s;
    }
    return s;
  }

  int s = 0;
  double power = 1.0;
  const double limit = max_iter * (1.0 + 1e-12);
  while (power * eta <= limit) {
    power *= eta;
    ++s;
  }
  return s;
}

// ceil(numerator / denominator) for positive integers.
int64_t CeilDiv(int64_t numerator, int64_t denominator) {
  return (numerator + denominator - 1) / denominator;
}

// Number of configurations that bracket s starts with:
// ceil((s_max + 1) * eta^s / (s + 1)), exact when eta is a whole number.
int64_t InitialConfigurations(int s, int s_max, double eta) {
  if (IsWholeNumber(eta)) {
    int64_t power = 1;
    for (int k = 0; k < s; ++k) power *= static_cast<int64_t>(eta);
    return CeilDiv((s_max + 1) * power, s + 1);
  }
  const double n = (s_max + 1) * std::pow(eta, s) / (s + 1);
  // Guard against n landing a hair above an integer through rounding.
  const double nearest = std::round(n);
  if (std::fabs(n - nearest) < 1e-9 * std::max(1.0, n)) {
    return static_cast<int64_t>(nearest);
  }
  return static_cast<int64_t>(std::ceil(n));
}

// floor(n / eta), exact when eta is a whole number.
int64_t NextRungSize(int64_t n, double eta) {
  if (IsWholeNumber(eta)) return n / static_cast<int64_t>(eta);
  const double next = n / eta;
  const double nearest = std::round(next);
  if (std::fabs(next - nearest) < 1e-9 * std::max(1.0, next)) {
    return static_cast<int64_t>(nearest);
  }
  return static_cast<int64_t>(std::floor(next));
}

// R * eta^(i - s) with the division done last, so that the top rung
// (i == s) is R exactly.
double RungResource(double max_iter, double eta, int s, int i) {
  double divisor = 1.0;
  for (int k = i; k < s; ++k) divisor *= eta;
  return max_iter / divisor;
}

}  // namespace

absl::StatusOr<HyperbandSchedule> HyperbandSchedule::Create(double max_iter,
                                                            double eta) {
  if (!std::isfinite(max_iter) || max_iter < 1.0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "hyperband.max_iter must be a number >= 1, got ", max_iter));
  }
  if (!std::isfinite(eta) || eta <= 1.0) {
    return absl::InvalidArgumentError(
        absl::StrCat("hyperband.eta must be a number > 1, got ", eta));
  }

  HyperbandSchedule schedule;
  schedule.s_max_ = ComputeSMax(max_iter, eta);

  for (int s = schedule.s_max_; s >= 0; --s) {
    HyperbandBracket bracket;
    bracket.s = s;
    int64_t n = InitialConfigurations(s, schedule.s_max_, eta);
    for (int i = 0; i <= s && n > 0; ++i) {
      bracket.rungs.push_back({n, RungResource(max_iter, eta, s, i)});
      n = NextRungSize(n, eta);
    }
    schedule.brackets_.push_back(std::move(bracket));
  }
  return schedule;
}

int64_t HyperbandSchedule::total_trials() const {
  int64_t total = 0;
  for (const HyperbandBracket& bracket : brackets_) {
    for (const HyperbandRung& rung : bracket.rungs) total += rung.num_trials;
  }
  return total;
}

}  // namespace augur
