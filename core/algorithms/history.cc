#include "core/algorithms/history.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"

namespace augur {

int64_t EffectiveBudget(const StudyView& view, const StudyConfig& config) {
  return view.budget > 0 ? view.budget : config.initial_budget();
}

std::optional<int64_t> ParseStateNumber(absl::string_view state, absl::string_view prefix) {
  if (!absl::StartsWith(state, prefix)) return std::nullopt;

  int64_t number = 0;
  if (!absl::SimpleAtoi(state.substr(prefix.size()), &number)) return std::nullopt;
  return number;
}

absl::flat_hash_set<std::string> SuggestedPointKeys(const StudyView& view) {
  absl::flat_hash_set<std::string> keys;
  keys.reserve(view.trials.size());
  for (const TrialRecord& trial : view.trials) keys.insert(PointKey(trial.point));
  return keys;
}

}  // namespace augur
