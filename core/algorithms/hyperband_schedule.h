#ifndef AUGUR_CORE_ALGORITHMS_HYPERBAND_SCHEDULE_H_
#define AUGUR_CORE_ALGORITHMS_HYPERBAND_SCHEDULE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace augur {

// One rung of a Hyperband bracket: how many trials run, at which resource.
struct HyperbandRung {
  int64_t num_trials = 0;
  // Resource before rounding; an int resource is rounded half away from zero.
  double resource = 0.0;
};

// One bracket: rungs in order, rung 0 holding the new configurations.
struct HyperbandBracket {
  int s = 0;
  std::vector<HyperbandRung> rungs;
};

// The bracket and rung arithmetic of Hyperband (Li, Jamieson, DeSalvo,
// Rostamizadeh and Talwalkar, "Hyperband: A Novel Bandit-Based Approach to
// Hyperparameter Optimization", JMLR 18, 2018, Algorithm 1).
//
// s_max is the largest integer s with eta^s <= R, computed in integers when R
// and eta are integers, so R=243, eta=3 gives s_max = 5 where a floating-point
// logarithm gives 4. With B = (s_max + 1) R, bracket s starts
// n = ceil(B/R * eta^s / (s + 1)) configurations at r = R eta^-s; rung i runs
// n_i trials at r eta^i with n_0 = n and n_(i+1) = floor(n_i / eta). The last
// rung of every bracket runs at R exactly, with no extra rung beyond it.
//
// Thread safety: immutable after Create.
class HyperbandSchedule {
 public:
  // Returns INVALID_ARGUMENT unless max_iter >= 1 and eta > 1.
  static absl::StatusOr<HyperbandSchedule> Create(double max_iter, double eta);

  int s_max() const { return s_max_; }

  // Brackets in run order: s = s_max first, down to s = 0.
  const std::vector<HyperbandBracket>& brackets() const { return brackets_; }

  // The number of trials over all brackets and rungs.
  int64_t total_trials() const;

 private:
  HyperbandSchedule() = default;

  int s_max_ = 0;
  std::vector<HyperbandBracket> brackets_;
};

}  // namespace augur

#endif  // AUGUR_CORE_ALGORITHMS_HYPERBAND_SCHEDULE_H_
