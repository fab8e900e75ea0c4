#include "core/stopping/trial_history.h"

namespace augur {

std::optional<double> MetricValue(const v1::Measurement& measurement,
                                  const std::string& metric) {
  std::optional<double> value;
  for (const v1::Metric& entry : measurement.metrics()) {
    if (entry.name() == metric) value = entry.value();
  }
  return value;
}

}  // namespace augur
