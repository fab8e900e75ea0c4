#ifndef AUGUR_SERVER_SERVICE_VALIDATION_H_
#define AUGUR_SERVER_SERVICE_VALIDATION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "augur/v1/augur.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace augur {

// Checks the metrics of one report: each has a non-empty name that appears
// once, and a finite value. INVALID_ARGUMENT names `field` and the metric.
absl::Status ValidateMetrics(
    const google::protobuf::RepeatedPtrField<v1::Metric>& metrics,
    absl::string_view field);

// INVALID_ARGUMENT unless `trial_id` is positive.
absl::Status ValidateTrialId(int64_t trial_id);

// INVALID_ARGUMENT unless `study` names a study.
absl::Status ValidateStudyName(absl::string_view study);

// True when both reports hold the same metric names with bitwise-equal
// values, in any order.
bool SameMetrics(const google::protobuf::RepeatedPtrField<v1::Metric>& a,
                 const google::protobuf::RepeatedPtrField<v1::Metric>& b);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_VALIDATION_H_
