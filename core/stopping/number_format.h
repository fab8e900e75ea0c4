#ifndef AUGUR_CORE_STOPPING_NUMBER_FORMAT_H_
#define AUGUR_CORE_STOPPING_NUMBER_FORMAT_H_

#include <string>

namespace augur {

// Formats `value` for stop messages as the shortest decimal that reads back
// to the same double ("0.1", "1e-05", "inf", "nan").
std::string FormatNumber(double value);

}  // namespace augur

#endif  // AUGUR_CORE_STOPPING_NUMBER_FORMAT_H_
