#ifndef AUGUR_CORE_ALGORITHMS_GRID_SEARCH_H_
#define AUGUR_CORE_ALGORITHMS_GRID_SEARCH_H_

#include "absl/status/statusor.h"
#include "core/algorithms/algorithm.h"
#include "core/study_config.h"

namespace augur {

// Grid search: the Cartesian product of the matrix in file order, the first
// parameter varying slowest and the last fastest.
//
// Each trial it creates stores "grid index=K" in its algorithm_state, and
// the next call resumes after the highest K of the history, so the grid is
// never materialised: a call costs O(trials + count), whatever the grid
// size. Grid points at or beyond the budget (n_experiments, or the budget a
// ResumeStudy set) are never suggested. A grid point that is already the
// point of a trial, such as one imported by AddTrial, is skipped.
//
// Thread safety: immutable after construction.
class GridSearch : public Algorithm {
 public:
  // REQUIRES: config.algorithm() == AlgorithmKind::kGrid, as validated by
  // StudyConfig::Create (every parameter enumerated).
  explicit GridSearch(const StudyConfig& config) : config_(config) {}

  // Returns the next grid points, or fewer with EXHAUSTED once the budget
  // or the grid is used up.
  absl::StatusOr<SuggestResult> Suggest(const StudyView& view, int count) const override;

 private:
  StudyConfig config_;
};

}  // namespace augur

#endif  // AUGUR_CORE_ALGORITHMS_GRID_SEARCH_H_
