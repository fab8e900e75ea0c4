#ifndef AUGUR_CORE_STOPPING_TRIAL_HISTORY_H_
#define AUGUR_CORE_STOPPING_TRIAL_HISTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "augur/v1/augur.pb.h"

namespace augur {

// One trial as the stopping rules see it: a read-only copy of its state and
// measurements, independent of how the server stores them.
struct TrialHistory {
  int64_t id = 0;
  v1::TrialState state = v1::TRIAL_STATE_UNSPECIFIED;
  // At most one measurement per step, in any order.
  std::vector<v1::Measurement> measurements;
  // True when the trial is FAILED because trial_timeout expired.
  bool timed_out = false;
};

// Returns the value of `metric` in `measurement`, or nullopt when the
// measurement lacks it. When the name appears twice, the later entry wins.
std::optional<double> MetricValue(const v1::Measurement& measurement,
                                  const std::string& metric);

}  // namespace augur

#endif  // AUGUR_CORE_STOPPING_TRIAL_HISTORY_H_
