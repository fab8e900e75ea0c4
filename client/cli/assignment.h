#ifndef AUGUR_CLIENT_CLI_ASSIGNMENT_H_
#define AUGUR_CLIENT_CLI_ASSIGNMENT_H_

// The `name=value` arguments of `augur add`.

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "augur/v1/augur.pb.h"

namespace augur {

// Types a value typed on the command line the way the study file's YAML
// would: true/false (any case) is a bool, an integer an int, another finite
// number a float, anything else a string. A value in single or double quotes
// is always a string, without the quotes, so '"3"' gives the string 3.
v1::Value ParseValueText(absl::string_view text);

// Parses "name=value" (split at the first '=') into a parameter whose value
// is typed by ParseValueText. Returns INVALID_ARGUMENT naming the argument
// when there is no '=' or the name is empty. Whether the value belongs to
// the study's matrix is for the server to check.
absl::StatusOr<v1::Parameter> ParseParameterAssignment(absl::string_view text);

// Parses "name=number" into a metric. Returns INVALID_ARGUMENT naming the
// argument when there is no '=', the name is empty, or the value is not a
// finite number.
absl::StatusOr<v1::Metric> ParseMetricAssignment(absl::string_view text);

}  // namespace augur

#endif  // AUGUR_CLIENT_CLI_ASSIGNMENT_H_
