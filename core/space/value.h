#ifndef AUGUR_CORE_SPACE_VALUE_H_
#define AUGUR_CORE_SPACE_VALUE_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "augur/v1/augur.pb.h"

namespace augur {

// One parameter value. The alternatives keep YAML's types apart: integers
// from `range` or `values`, floats from the spaced options and the
// distributions, strings and bools from `values`.
using Value = std::variant<int64_t, double, std::string, bool>;

// One point of a search space: a value per parameter, in matrix order.
using Point = std::vector<Value>;

// Formats a value as it reaches run.cmd and AUGUR_PARAMS: integers in
// decimal, doubles as the shortest decimal that reads back to the same
// double (1e-05, 0.1, 3.0 is "3.0"), bools as true/false, strings as they are.
std::string FormatValue(const Value& value);

// Returns the value as JSON text (numbers bare, strings quoted and escaped).
std::string ValueToJson(const Value& value);

v1::Value ValueToProto(const Value& value);

// Returns the value of `proto`; an unset proto becomes int64 0.
Value ValueFromProto(const v1::Value& proto);

// Returns true when both values have the same type and compare equal.
// Doubles compare bitwise-equal after normalising -0.0 to 0.0.
bool SameValue(const Value& a, const Value& b);

// Returns a byte string that identifies `point` exactly, for use as a set
// key when checking whether a point was already suggested.
std::string PointKey(const Point& point);

}  // namespace augur

#endif  // AUGUR_CORE_SPACE_VALUE_H_
