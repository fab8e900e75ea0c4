#include "core/bo/acquisition_optimizer.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>

#include "LBFGSB.h"

namespace augur::bo {
namespace {

// Warmup points are scored in chunks so the n x chunk cross-covariance
// matrix stays small (8 MB at n = 1000).
constexpr int kWarmupChunk = 1024;

// The negated acquisition for LBFGSpp, which minimises. Remembers the best
// point evaluated, because LBFGSpp throws when a line search fails.
class NegativeAcquisition {
 public:
  NegativeAcquisition(const GaussianProcess& gp, const Acquisition& acquisition)
      : gp_(gp), acquisition_(acquisition) {}

  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
    const double value = EvaluateAcquisition(gp_, acquisition_, x, &gradient);
    gradient = -gradient;
    if (!std::isfinite(value) || !gradient.allFinite()) {
      gradient.setZero();
      return std::numeric_limits<double>::max();
    }
    if (value > best_.value || best_.point.size() == 0) {
      best_.value = value;
      best_.point = x;
    }
    return -value;
  }

  const Candidate& best() const { return best_; }

 private:
  const GaussianProcess& gp_;
  const Acquisition& acquisition_;
  Candidate best_;
};

// Standard deviations of the perturbations around local centres.
constexpr double kLocalScales[2] = {0.1, 0.02};

// Each coordinate of a local warmup point moves with this probability
// divided by the dimension (and at least one coordinate moves).
constexpr double kPerturbedCoordinates = 20.0;

Eigen::VectorXd PerturbedPoint(const Eigen::VectorXd& center, double scale,
                               Random& random) {
  const Eigen::Index d = center.size();
  const double probability =
      std::min(1.0, kPerturbedCoordinates / static_cast<double>(d));
  Eigen::VectorXd point = center;
  bool moved = false;
  for (Eigen::Index k = 0; k < d; ++k) {
    if (random.UniformDouble() >= probability) continue;
    point(k) += scale * random.StandardNormal();
    moved = true;
  }
  if (!moved) {
    const Eigen::Index k =
        static_cast<Eigen::Index>(random.UniformInt(static_cast<uint64_t>(d)));
    point(k) += scale * random.StandardNormal();
  }
  return point.cwiseMax(0.0).cwiseMin(1.0);
}

}  // namespace

double EvaluateAcquisition(const GaussianProcess& gp,
                           const Acquisition& acquisition,
                           const Eigen::VectorXd& point,
                           Eigen::VectorXd* gradient) {
  if (gradient == nullptr) {
    const GaussianProcess::Prediction p = gp.Predict(point);
    return acquisition
        .Evaluate(p.mean, std::sqrt(p.variance), gp.best_normalized())
        .value;
  }

  Eigen::VectorXd mean_gradient;
  Eigen::VectorXd variance_gradient;
  const GaussianProcess::Prediction p =
      gp.PredictWithGradient(point, &mean_gradient, &variance_gradient);
  const double std = std::sqrt(p.variance);
  const AcquisitionValue a =
      acquisition.Evaluate(p.mean, std, gp.best_normalized());

  // d std / dx = (d var / dx) / (2 std); with std = 0 the variance sits at
  // its minimum and contributes no slope.
  *gradient = a.d_mean * mean_gradient;
  if (std > 1e-12) *gradient += (a.d_std / (2.0 * std)) * variance_gradient;
  return a.value;
}

Eigen::VectorXd EvaluateAcquisitionBatch(const GaussianProcess& gp,
                                         const Acquisition& acquisition,
                                         const Eigen::MatrixXd& points) {
  Eigen::VectorXd values(points.rows());
  for (Eigen::Index start = 0; start < points.rows(); start += kWarmupChunk) {
    const Eigen::Index rows =
        std::min<Eigen::Index>(kWarmupChunk, points.rows() - start);
    Eigen::VectorXd means;
    Eigen::VectorXd variances;
    gp.PredictBatch(points.middleRows(start, rows), &means, &variances);
    for (Eigen::Index i = 0; i < rows; ++i) {
      values(start + i) =
          acquisition
              .Evaluate(means(i), std::sqrt(variances(i)), gp.best_normalized())
              .value;
    }
  }
  return values;
}

std::vector<Candidate> MaximizeAcquisition(
    const GaussianProcess& gp, const Acquisition& acquisition, int dimensions,
    const std::function<Eigen::VectorXd(Random&)>& sample_point,
    const AcquisitionSearchOptions& options, Random& random) {
  // Step 1: score the warmup points and rank them.
  const int n_warmup = std::max(options.n_warmup, 1);
  const int n_local =
      options.local_centers.empty()
          ? 0
          : static_cast<int>(std::clamp(options.local_fraction, 0.0, 1.0) *
                             n_warmup);
  Eigen::MatrixXd warmup(n_warmup, dimensions);
  for (int i = 0; i < n_warmup - n_local; ++i) {
    warmup.row(i) = sample_point(random).transpose();
  }
  for (int i = 0; i < n_local; ++i) {
    const Eigen::VectorXd& center =
        options.local_centers[static_cast<size_t>(i) %
                              options.local_centers.size()];
    warmup.row(n_warmup - n_local + i) =
        PerturbedPoint(center, kLocalScales[i % 2], random).transpose();
  }
  const Eigen::VectorXd scores =
      EvaluateAcquisitionBatch(gp, acquisition, warmup);

  std::vector<int> order(n_warmup);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return scores(a) > scores(b); });

  std::vector<Candidate> candidates;
  const int n_keep =
      std::min(n_warmup, std::max(options.n_keep, options.n_iter));
  for (int i = 0; i < n_keep; ++i) {
    candidates.push_back({warmup.row(order[i]).transpose(), scores(order[i])});
  }

  // Step 2: refine the best warmup points with bounded L-BFGS.
  LBFGSpp::LBFGSBParam<double> param;
  param.max_iterations = options.max_iterations;
  param.epsilon = 1e-6;
  param.epsilon_rel = 1e-6;
  param.max_linesearch = 20;
  const Eigen::VectorXd lower = Eigen::VectorXd::Zero(dimensions);
  const Eigen::VectorXd upper = Eigen::VectorXd::Ones(dimensions);

  const int n_runs = std::min(options.n_iter, n_keep);
  for (int run = 0; run < n_runs; ++run) {
    NegativeAcquisition objective(gp, acquisition);
    Eigen::VectorXd x = candidates[run].point;
    double value = 0.0;
    LBFGSpp::LBFGSBSolver<double> solver(param);
    try {
      solver.minimize(objective, x, value, lower, upper);
    } catch (const std::exception&) {
      // A failed line search leaves the best evaluated point in `objective`.
    }
    if (objective.best().point.size() > 0 &&
        objective.best().value > candidates[run].value) {
      candidates.push_back(objective.best());
    }
  }

  // Step 3: rank everything, best first.
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [](const Candidate& a, const Candidate& b) { return a.value > b.value; });
  return candidates;
}

}  // namespace augur::bo
