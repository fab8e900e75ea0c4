#ifndef AUGUR_CORE_ALGORITHMS_HISTORY_H_
#define AUGUR_CORE_ALGORITHMS_HISTORY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "core/algorithms/algorithm.h"

namespace augur {

// Helpers that read an algorithm's position out of the stored trial history.

// The number of trials the algorithm may create in all: view.budget when
// positive, else config.initial_budget().
int64_t EffectiveBudget(const StudyView& view, const StudyConfig& config);

// Returns the integer that follows `prefix` in `state` ("grid index=17" with
// prefix "grid index=" gives 17), or nullopt when `state` does not start
// with `prefix` or no integer follows.
std::optional<int64_t> ParseStateNumber(absl::string_view state, absl::string_view prefix);

// Returns the PointKey of every trial's point, whatever created the trial.
absl::flat_hash_set<std::string> SuggestedPointKeys(const StudyView& view);

}  // namespace augur

#endif  // AUGUR_CORE_ALGORITHMS_HISTORY_H_
