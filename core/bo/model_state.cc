#include "core/bo/model_state.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace augur::bo {
namespace {

constexpr absl::string_view kPrefix = "bo-gp checkpoint=";
constexpr absl::string_view kThetaKey = " theta=";

}  // namespace

int64_t FitCheckpoint(int64_t finished) {
  if (finished < 2) return 0;
  int64_t checkpoint = 2;
  while (true) {
    const int64_t next = (3 * checkpoint + 1) / 2;  // ceil(1.5 * checkpoint)
    if (next > finished) return checkpoint;
    checkpoint = next;
  }
}

std::string ModelState::Format() const {
  std::string text = std::string(kPrefix) + std::to_string(checkpoint) +
                     std::string(kThetaKey);
  char buffer[64];
  for (Eigen::Index p = 0; p < theta.size(); ++p) {
    std::snprintf(buffer, sizeof(buffer), "%a", theta(p));
    if (p > 0) text += ',';
    text += buffer;
  }
  return text;
}

std::optional<ModelState> ModelState::Parse(const std::string& text) {
  absl::string_view rest = text;
  if (!absl::ConsumePrefix(&rest, kPrefix)) return std::nullopt;

  const size_t theta_at = rest.find(kThetaKey);
  if (theta_at == absl::string_view::npos) return std::nullopt;
  ModelState state;
  if (!absl::SimpleAtoi(rest.substr(0, theta_at), &state.checkpoint)) {
    return std::nullopt;
  }

  const std::vector<std::string> fields =
      absl::StrSplit(rest.substr(theta_at + kThetaKey.size()), ',');
  state.theta.resize(static_cast<Eigen::Index>(fields.size()));
  for (size_t p = 0; p < fields.size(); ++p) {
    // strtod reads the hexadecimal floats that Format writes.
    char* end = nullptr;
    const double value = std::strtod(fields[p].c_str(), &end);
    if (fields[p].empty() || *end != '\0' || !std::isfinite(value)) {
      return std::nullopt;
    }
    state.theta(static_cast<Eigen::Index>(p)) = value;
  }
  return state;
}

}  // namespace augur::bo
