#ifndef AUGUR_CORE_BO_ACQUISITION_OPTIMIZER_H_
#define AUGUR_CORE_BO_ACQUISITION_OPTIMIZER_H_

#include <functional>
#include <vector>

#include "Eigen/Core"
#include "core/bo/acquisition.h"
#include "core/bo/gaussian_process.h"
#include "core/random.h"

namespace augur::bo {

// One point of the unit box with its acquisition value.
struct Candidate {
  Eigen::VectorXd point;
  double value = 0.0;
};

struct AcquisitionSearchOptions {
  // Random points scored first.
  int n_warmup = 10000;
  // L-BFGS-B runs, started from the best warmup points.
  int n_iter = 10;
  // Iterations per L-BFGS-B run.
  int max_iterations = 20;
  // How many of the best warmup points to keep in the result besides the
  // L-BFGS optima, as fallbacks when the best ones decode to points already
  // suggested.
  int n_keep = 64;
  // Points of the box to search near, such as the best observed points.
  // When there are any, `local_fraction` of the warmup points are drawn
  // around them instead of by `sample_point` (see MaximizeAcquisition).
  std::vector<Eigen::VectorXd> local_centers;
  double local_fraction = 0.5;
};

// Returns the acquisition value of the GP posterior at `point` and, when
// `gradient` is not null, its gradient with respect to the point.
double EvaluateAcquisition(const GaussianProcess& gp,
                           const Acquisition& acquisition,
                           const Eigen::VectorXd& point,
                           Eigen::VectorXd* gradient);

// Scores a batch of points (rows). Cost O(m n^2) for m points.
Eigen::VectorXd EvaluateAcquisitionBatch(const GaussianProcess& gp,
                                         const Acquisition& acquisition,
                                         const Eigen::MatrixXd& points);

// Maximises the acquisition over [0, 1]^dimensions: scores `n_warmup`
// points, then runs bounded L-BFGS (LBFGSpp's L-BFGS-B) from the best
// `n_iter` of them. The warmup points come from `sample_point`, except the
// local ones. Each local point copies a local centre (taken in turn) and
// adds Gaussian noise with standard deviation 0.1 or 0.02 (alternately) to
// each coordinate with probability min(1, 20 / dimensions). At least one
// coordinate moves, and the result is clamped to the box. In many
// dimensions, uniform points rarely land near the incumbent, where the
// acquisition function is often highest once the model has found a good
// region.
//
// Returns the optima and the best warmup points, ranked by value, best
// first (ties keep the earlier point), so that a caller can fall back to
// the next one. Deterministic for a given `random` state.
std::vector<Candidate> MaximizeAcquisition(
    const GaussianProcess& gp, const Acquisition& acquisition, int dimensions,
    const std::function<Eigen::VectorXd(Random&)>& sample_point,
    const AcquisitionSearchOptions& options, Random& random);

}  // namespace augur::bo

#endif  // AUGUR_CORE_BO_ACQUISITION_OPTIMIZER_H_
