#include "core/stopping/threshold.h"

#include "absl/strings/str_cat.h"
#include "core/stopping/number_format.h"
#include "core/stopping/trial_history.h"

namespace augur {

std::optional<ThresholdHit> FindThresholdHit(
    const std::vector<ThresholdRule>& thresholds, int64_t trial_id,
    const v1::Measurement& measurement) {
  for (const ThresholdRule& rule : thresholds) {
    const std::optional<double> value = MetricValue(measurement, rule.metric);
    if (!value.has_value()) continue;

    const bool fires =
        rule.maximize ? *value >= rule.value : *value <= rule.value;
    if (!fires) continue;

    ThresholdHit hit;
    hit.trigger.set_trial_id(trial_id);
    hit.trigger.set_metric(rule.metric);
    hit.trigger.set_value(*value);
    hit.rule_index = rule.index;
    hit.message = absl::StrCat(
        "early_stopping[", rule.index, "] threshold reached: trial ", trial_id,
        " reported ", rule.metric, " = ", FormatNumber(*value), " at step ",
        measurement.step(), ", ",
        rule.maximize ? ">= " : "<= ", FormatNumber(rule.value), " (",
        rule.maximize ? "maximize" : "minimize", ")");
    return hit;
  }
  return std::nullopt;
}

}  // namespace augur
