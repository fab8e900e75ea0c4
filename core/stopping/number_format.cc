#include "core/stopping/number_format.h"

#include <charconv>
#include <string>

namespace augur {

std::string FormatNumber(double value) {
  // 32 characters hold the longest shortest-form double, such as
  // "-2.2250738585072014e-308".
  char buffer[32];
  const std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

}  // namespace augur
