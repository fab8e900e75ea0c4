#include "core/algorithms/random_search.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/algorithms/history.h"

namespace augur {
namespace {

constexpr char kDrawPrefix[] = "random draw=";
constexpr char kDistinctPrefix[] = "random distinct_point=";

// Returns the first distinct point of `space` that `seen` lacks, with its
// index, or nullopt when every one is taken.
// REQUIRES: space.distinct_count() has a value.
std::optional<std::pair<int64_t, Point>> FirstUnusedDistinctPoint(
    const SearchSpace& space, const absl::flat_hash_set<std::string>& seen) {
  const int64_t count = *space.distinct_count();
  for (int64_t index = 0; index < count; ++index) {
    Point point = space.DistinctPoint(index);
    if (!seen.contains(PointKey(point))) return std::make_pair(index, std::move(point));
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<SuggestResult> RandomSearch::Suggest(const StudyView& view, int count) const {
  const SearchSpace& space = config_.space();
  const int64_t budget = EffectiveBudget(view, config_);

  int64_t created = 0;
  int64_t next_draw = 0;
  for (const TrialRecord& trial : view.trials) {
    const std::optional<int64_t> draw = ParseStateNumber(trial.algorithm_state, kDrawPrefix);
    if (draw.has_value()) next_draw = std::max(next_draw, *draw + 1);
    if (draw.has_value() || absl::StartsWith(trial.algorithm_state, kDistinctPrefix)) ++created;
  }

  SuggestResult result;
  const int64_t wanted = std::min<int64_t>(count, std::max<int64_t>(0, budget - created));
  absl::flat_hash_set<std::string> seen = SuggestedPointKeys(view);
  const std::optional<int64_t> distinct_count = space.distinct_count();

  while (static_cast<int64_t>(result.suggestions.size()) < wanted) {
    Suggestion suggestion;
    for (int64_t tries = 0; tries < kMaxRepeatedDraws; ++tries, ++next_draw) {
      Point point = space.SamplePoint(view.seed, next_draw);
      if (seen.contains(PointKey(point))) continue;

      suggestion.point = std::move(point);
      suggestion.algorithm_state = absl::StrCat(kDrawPrefix, next_draw);
      ++next_draw;
      break;
    }

    if (suggestion.algorithm_state.empty() && distinct_count.has_value()) {
      // The draw counter stays where it was: a later call starts from the
      // same draw and reaches this same fallback, as this call did.
      next_draw -= kMaxRepeatedDraws;
      std::optional<std::pair<int64_t, Point>> unused = FirstUnusedDistinctPoint(space, seen);
      if (unused.has_value()) {
        suggestion.point = std::move(unused->second);
        suggestion.algorithm_state = absl::StrCat(kDistinctPrefix, unused->first);
      }
    }
    if (suggestion.algorithm_state.empty()) break;

    seen.insert(PointKey(suggestion.point));
    result.suggestions.push_back(std::move(suggestion));
  }

  if (static_cast<int>(result.suggestions.size()) < count) {
    result.reason = v1::EXHAUSTED;
    if (created + static_cast<int64_t>(result.suggestions.size()) >= budget) {
      result.message = absl::StrCat("random search created all ", budget,
                                    " trials of its budget");
    } else if (distinct_count.has_value()) {
      result.message = absl::StrCat("random search suggested all ", *distinct_count,
                                    " distinct points of the space");
    } else {
      result.message = absl::StrCat("random search found no unused point in ", kMaxRepeatedDraws,
                                    " draws in a row; the space has fewer distinct points than "
                                    "the budget of ", budget);
    }
  }
  return result;
}

}  // namespace augur
