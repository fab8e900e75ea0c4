#include "core/stopping/trial_policy.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/stopping/number_format.h"

namespace augur {
namespace {

// The checked trial's own numbers at its evaluation step.
struct OwnValues {
  int64_t step = 0;
  // The value reported at `step`.
  double value = 0.0;
  // The best value reported at any step up to `step`.
  double best = 0.0;
};

bool IsWorse(double a, double b, bool maximize) {
  return maximize ? a < b : a > b;
}

bool CountsAsOther(v1::TrialState state) {
  return state == v1::ACTIVE || state == v1::SUCCEEDED || state == v1::STOPPED;
}

std::optional<OwnValues> FindOwnValues(const TrialHistory& trial,
                                       const TrialPolicy& policy) {
  std::optional<OwnValues> own;
  for (const v1::Measurement& measurement : trial.measurements) {
    const std::optional<double> value = MetricValue(measurement, policy.metric);
    if (!value.has_value()) continue;

    if (!own.has_value()) {
      own = OwnValues{measurement.step(), *value, *value};
      continue;
    }
    if (measurement.step() > own->step) {
      own->step = measurement.step();
      own->value = *value;
    }
    if (IsWorse(own->best, *value, policy.maximize)) own->best = *value;
  }
  return own;
}

const char* KindName(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kMedian:
      return "median";
    case PolicyKind::kTruncation:
      return "truncation";
    case PolicyKind::kDiff:
      return "diff";
  }
  return "unknown";
}

// Returns a prefix such as "stopping_policy (median) on loss (minimize) at
// step 10".
std::string Describe(const TrialPolicy& policy, int64_t step) {
  std::string kind = KindName(policy.kind);
  if (policy.kind != PolicyKind::kMedian) {
    absl::StrAppend(&kind, " ", FormatNumber(policy.percent), "%");
  }
  return absl::StrCat(policy.source, " (", kind, ") on ", policy.metric, " (",
                      policy.maximize ? "maximize" : "minimize", ") at step ",
                      step);
}

PolicyResult CheckMedian(const TrialPolicy& policy, const OwnValues& own,
                         const std::vector<double>& others) {
  const double median = Median(others);
  const bool stop = IsWorse(own.best, median, policy.maximize);

  PolicyResult result;
  result.outcome = stop ? PolicyOutcome::kStop : PolicyOutcome::kContinue;
  result.message = absl::StrCat(Describe(policy, own.step),
                                ": best value so far ", FormatNumber(own.best),
                                stop ? " is worse than" : " is not worse than",
                                " the median ", FormatNumber(median), " of ",
                                others.size(), " other trials");
  return result;
}

PolicyResult CheckTruncation(const TrialPolicy& policy, const OwnValues& own,
                             const std::vector<double>& others) {
  const int64_t n = static_cast<int64_t>(others.size()) + 1;
  // The epsilon absorbs representation error in the percent: a client that
  // computes 0.1 * 3 * 100 sends 30.000000000000004, and 10 trials must still
  // give k = 3, not 4.
  const int64_t k = static_cast<int64_t>(
      std::ceil(policy.percent * static_cast<double>(n) / 100.0 - 1e-9));

  int64_t as_bad_or_worse = 0;
  for (double other : others) {
    if (!IsWorse(own.value, other, policy.maximize)) ++as_bad_or_worse;
  }
  const bool stop = as_bad_or_worse < k;

  PolicyResult result;
  result.outcome = stop ? PolicyOutcome::kStop : PolicyOutcome::kContinue;
  result.message = absl::StrCat(
      Describe(policy, own.step), ": value ", FormatNumber(own.value),
      stop ? " is" : " is not", " among the worst ", k, " of ", n, " trials (",
      as_bad_or_worse, " other trials are as bad or worse)");
  return result;
}

PolicyResult CheckDiff(const TrialPolicy& policy, const OwnValues& own,
                       const std::vector<double>& others) {
  double best = own.value;
  for (double other : others) {
    if (IsWorse(best, other, policy.maximize)) best = other;
  }
  const double distance = std::abs(own.value - best);
  const double allowed = policy.percent / 100.0 * std::abs(best);
  const bool stop = distance > allowed;

  PolicyResult result;
  result.outcome = stop ? PolicyOutcome::kStop : PolicyOutcome::kContinue;
  result.message = absl::StrCat(
      Describe(policy, own.step), ": value ", FormatNumber(own.value), " is ",
      FormatNumber(distance), " from the best value ", FormatNumber(best),
      stop ? ", more than " : ", within ", "the allowed ",
      FormatNumber(allowed));
  return result;
}

}  // namespace

std::optional<double> ValueAtStep(const TrialHistory& trial,
                                  const std::string& metric, int64_t step) {
  bool reached = false;
  std::optional<int64_t> latest_step;
  double latest_value = 0.0;

  for (const v1::Measurement& measurement : trial.measurements) {
    const std::optional<double> value = MetricValue(measurement, metric);
    if (!value.has_value()) continue;

    if (measurement.step() >= step) reached = true;
    const bool later =
        !latest_step.has_value() || measurement.step() > *latest_step;
    if (measurement.step() <= step && later) {
      latest_step = measurement.step();
      latest_value = *value;
    }
  }

  if (!reached || !latest_step.has_value()) return std::nullopt;
  return latest_value;
}

double Median(std::vector<double> values) {
  const auto middle = static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), values.begin() + middle, values.end());
  const double upper = values[static_cast<size_t>(middle)];
  if (values.size() % 2 == 1) return upper;

  // With an even count, the lower middle value is the largest value below
  // `middle`, which nth_element left unordered before it.
  const double lower =
      *std::max_element(values.begin(), values.begin() + middle);

  // Each form overflows only where the other cannot: the sum for two huge
  // values of one sign, the difference for two huge values of opposite signs.
  const bool same_sign = (lower < 0) == (upper < 0);
  return same_sign ? lower + (upper - lower) / 2.0 : (lower + upper) / 2.0;
}

PolicyResult CheckPolicy(const TrialPolicy& policy, const TrialHistory& trial,
                         const std::vector<TrialHistory>& trials) {
  PolicyResult result;
  const std::optional<OwnValues> own = FindOwnValues(trial, policy);
  if (!own.has_value()) {
    result.message = absl::StrCat(policy.source, ": trial ", trial.id,
                                  " has not reported ", policy.metric, " yet");
    return result;
  }
  result.step = own->step;

  const bool due = own->step >= policy.min_interval &&
                   own->step % policy.evaluation_interval == 0;
  if (!due) {
    result.message = absl::StrCat(Describe(policy, own->step),
                                  ": not checked, because checks run at "
                                  "multiples of ",
                                  policy.evaluation_interval, " from step ",
                                  policy.min_interval);
    return result;
  }

  std::vector<double> others;
  for (const TrialHistory& other : trials) {
    if (other.id == trial.id || !CountsAsOther(other.state)) continue;
    const std::optional<double> value =
        ValueAtStep(other, policy.metric, own->step);
    if (value.has_value()) others.push_back(*value);
  }
  if (static_cast<int64_t>(others.size()) < policy.min_samples) {
    result.outcome = PolicyOutcome::kTooFewSamples;
    result.message = absl::StrCat(Describe(policy, own->step), ": ",
                                  others.size(), " other trials have a value, ",
                                  policy.min_samples, " needed (min_samples)");
    return result;
  }

  switch (policy.kind) {
    case PolicyKind::kMedian:
      result = CheckMedian(policy, *own, others);
      break;
    case PolicyKind::kTruncation:
      result = CheckTruncation(policy, *own, others);
      break;
    case PolicyKind::kDiff:
      result = CheckDiff(policy, *own, others);
      break;
  }
  result.step = own->step;
  return result;
}

}  // namespace augur
