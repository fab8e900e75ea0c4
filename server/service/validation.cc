#include "server/service/validation.h"

#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"

namespace augur {

absl::Status ValidateMetrics(
    const google::protobuf::RepeatedPtrField<v1::Metric>& metrics,
    absl::string_view field) {
  std::set<std::string> names;
  for (int i = 0; i < metrics.size(); ++i) {
    const v1::Metric& metric = metrics[i];
    if (metric.name().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, "[", i, "] has no name; give every metric a name"));
    }
    if (!std::isfinite(metric.value())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metric \"", metric.name(), "\" in ", field, " has value ",
          metric.value(), "; metric values must be finite numbers"));
    }
    if (!names.insert(metric.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("metric \"", metric.name(), "\" appears twice in ",
                       field, "; report each metric once per step"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateTrialId(int64_t trial_id) {
  if (trial_id > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "trial_id ", trial_id,
      " is invalid; pass the id of a trial from GetSuggestions or ListTrials"));
}

absl::Status ValidateStudyName(absl::string_view study) {
  if (!study.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "the study name is missing; set `study` to the name of a study");
}

bool SameMetrics(const google::protobuf::RepeatedPtrField<v1::Metric>& a,
                 const google::protobuf::RepeatedPtrField<v1::Metric>& b) {
  if (a.size() != b.size()) return false;

  std::map<std::string, double> values;
  for (const v1::Metric& metric : a) values[metric.name()] = metric.value();
  for (const v1::Metric& metric : b) {
    auto found = values.find(metric.name());
    if (found == values.end()) return false;
    const double other = metric.value();
    if (std::memcmp(&found->second, &other, sizeof(double)) != 0) return false;
  }
  return true;
}

}  // namespace augur
