#ifndef AUGUR_CORE_STOPPING_THRESHOLD_H_
#define AUGUR_CORE_STOPPING_THRESHOLD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "augur/v1/augur.pb.h"
#include "core/stopping/stopping_rules.h"

namespace augur {

// A study-level threshold that a measurement reached.
struct ThresholdHit {
  // The trial, metric and value that reached the threshold, as the study
  // records them.
  v1::StopTrigger trigger;
  // Position of the rule in `early_stopping`.
  int rule_index = 0;
  // Names the rule, the trial, the step and both values, for the study's
  // state reason and for stop messages.
  std::string message;
};

// Checks one new measurement of trial `trial_id` against every threshold:
// a rule fires when the measurement's value of the rule's metric is >= the
// threshold for maximize or <= it for minimize. Returns the first rule that
// fires, in `early_stopping` order, or nullopt when none does. The caller
// stops the study and records the trigger.
std::optional<ThresholdHit> FindThresholdHit(
    const std::vector<ThresholdRule>& thresholds, int64_t trial_id,
    const v1::Measurement& measurement);

}  // namespace augur

#endif  // AUGUR_CORE_STOPPING_THRESHOLD_H_
