#include "core/algorithms/grid_search.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/algorithms/history.h"

namespace augur {
namespace {

constexpr char kIndexPrefix[] = "grid index=";

}  // namespace

absl::StatusOr<SuggestResult> GridSearch::Suggest(const StudyView& view, int count) const {
  const SearchSpace& space = config_.space();
  const std::optional<int64_t> grid_size = space.grid_size();
  int64_t limit = EffectiveBudget(view, config_);
  if (grid_size.has_value()) limit = std::min(limit, *grid_size);

  int64_t next_index = 0;
  for (const TrialRecord& trial : view.trials) {
    const std::optional<int64_t> index = ParseStateNumber(trial.algorithm_state, kIndexPrefix);
    if (index.has_value()) next_index = std::max(next_index, *index + 1);
  }

  SuggestResult result;
  absl::flat_hash_set<std::string> seen = SuggestedPointKeys(view);
  for (; next_index < limit && static_cast<int>(result.suggestions.size()) < count;
       ++next_index) {
    Point point = space.GridPoint(next_index);
    if (!seen.insert(PointKey(point)).second) continue;

    Suggestion suggestion;
    suggestion.point = std::move(point);
    suggestion.algorithm_state = absl::StrCat(kIndexPrefix, next_index);
    result.suggestions.push_back(std::move(suggestion));
  }

  if (static_cast<int>(result.suggestions.size()) < count) {
    result.reason = v1::EXHAUSTED;
    const bool whole_grid = grid_size.has_value() && limit == *grid_size;
    result.message = whole_grid ? absl::StrCat("grid search suggested all ", limit,
                                               " points of the grid")
                                : absl::StrCat("grid search suggested the first ", limit,
                                               " grid points, its budget");
  }
  return result;
}

}  // namespace augur
