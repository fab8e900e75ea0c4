#ifndef AUGUR_CORE_ALGORITHMS_HYPERBAND_H_
#define AUGUR_CORE_ALGORITHMS_HYPERBAND_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/algorithms/algorithm.h"
#include "core/algorithms/hyperband_schedule.h"
#include "core/study_config.h"

namespace augur {

// Hyperband served through Suggest: brackets from s = s_max down to 0, each
// a run of synchronous successive-halving rungs (see HyperbandSchedule).
//
// Every trial it creates carries "hyperband bracket=B rung=I" in its
// algorithm_state, plus "draw=D" for a new configuration (random draw D of
// the study) or "parent=P" for a promotion of trial P. Each call rebuilds
// the position in the schedule from that stored history.
//
// A rung is complete when all its trials are created and none is PENDING or
// ACTIVE. Then the best SUCCEEDED trials that reported the metric, ranked by
// their latest value (ties: lower trial id first), are promoted, up to the
// next rung's size. When none qualifies, the bracket ends. New configurations
// come from one study-wide draw counter, never repeat a configuration of the
// same bracket, and avoid configurations of earlier brackets while the space
// has unused points. In a discrete space each bracket's first rung is capped
// at the number of distinct points.
//
// Thread safety: immutable after construction.
class Hyperband : public Algorithm {
 public:
  // Copies `config`. Returns INVALID_ARGUMENT for an invalid max_iter or eta.
  // REQUIRES: config.algorithm() == AlgorithmKind::kHyperband.
  static absl::StatusOr<std::unique_ptr<Hyperband>> Create(
      const StudyConfig& config);

  absl::StatusOr<SuggestResult> Suggest(const StudyView& view,
                                        int count) const override;

  const HyperbandSchedule& schedule() const { return schedule_; }

 private:
  Hyperband(const StudyConfig& config, HyperbandSchedule schedule);

  StudyConfig config_;
  HyperbandSchedule schedule_;
};

}  // namespace augur

#endif  // AUGUR_CORE_ALGORITHMS_HYPERBAND_H_
