#ifndef AUGUR_CORE_ALGORITHMS_RANDOM_SEARCH_H_
#define AUGUR_CORE_ALGORITHMS_RANDOM_SEARCH_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "core/algorithms/algorithm.h"
#include "core/study_config.h"

namespace augur {

// Random search: unique random draws, draw i depending only on (seed, i).
//
// Each trial it creates stores "random draw=I" in its algorithm_state, and
// the next call resumes at the highest stored I plus one, so a restarted
// server makes the same draws. A draw that repeats the point of any trial,
// including trials made by AddTrial or RestartTrial, is skipped. The
// number of trials it creates is capped by the budget (view.budget when
// positive, else the config's initial budget).
//
// When kMaxRepeatedDraws draws in a row repeat known points and every
// parameter has finite support, the next unused point of the distinct grid
// is taken instead (stored as "random distinct_point=J"). So a budget capped
// at the number of distinct points is reached even when `values` contains
// duplicates or pvalues makes some points rare, unless AddTrial trials took
// some of those points first. In a continuous space such a run of repeats
// ends the search with EXHAUSTED.
//
// Thread safety: immutable after construction.
class RandomSearch : public Algorithm {
 public:
  // Consecutive repeated draws after which the search stops drawing for
  // the current suggestion.
  static constexpr int64_t kMaxRepeatedDraws = 1000;

  // REQUIRES: config.algorithm() == AlgorithmKind::kRandom, as validated by
  // StudyConfig::Create.
  explicit RandomSearch(const StudyConfig& config) : config_(config) {}

  // Returns up to `count` new unique points, or fewer with EXHAUSTED once
  // the budget or the space is used up.
  absl::StatusOr<SuggestResult> Suggest(const StudyView& view, int count) const override;

 private:
  StudyConfig config_;
};

}  // namespace augur

#endif  // AUGUR_CORE_ALGORITHMS_RANDOM_SEARCH_H_
