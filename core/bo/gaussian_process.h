#ifndef AUGUR_CORE_BO_GAUSSIAN_PROCESS_H_
#define AUGUR_CORE_BO_GAUSSIAN_PROCESS_H_

#include <cstdint>
#include <vector>

#include "Eigen/Core"
#include "core/bo/kernel.h"
#include "core/random.h"

namespace augur::bo {

// Targets shifted to mean 0 and scaled to standard deviation 1. A constant
// (or single) target keeps scale 1.
struct NormalizedTargets {
  Eigen::VectorXd values;
  double mean = 0.0;
  double scale = 1.0;
};
NormalizedTargets NormalizeTargets(const Eigen::VectorXd& y);

// A lower-triangular Cholesky factor L of (matrix + jitter * I).
struct JitteredCholesky {
  Eigen::MatrixXd lower;
  // 0 when the matrix factorised as it was.
  double jitter = 0.0;
};

// Factorises a symmetric matrix that should be positive definite. When
// Eigen::LLT reports failure (duplicated points, rounding), retries with a
// diagonal jitter of 1e-10, 1e-8, 1e-6, ... times the largest diagonal entry
// until it succeeds. It always returns a factor: a finite matrix succeeds once
// the jitter makes it diagonally dominant. Cost O(n^3) per attempt.
JitteredCholesky CholeskyWithJitter(const Eigen::MatrixXd& matrix);

// Returns log p(y | X, theta) for already normalised targets,
//   -1/2 y^T alpha - sum_i log L_ii - n/2 log(2 pi),  alpha = K^-1 y
// (Rasmussen & Williams, "Gaussian Processes for Machine Learning", 2006,
// eq. 2.30 and Algorithm 2.1), with K = Gram(X) + noise2 * I. When
// `gradient` is not null, stores d/dtheta = 1/2 tr((alpha alpha^T - K^-1)
// dK/dtheta) (R&W eq. 5.9) for the log hyperparameters packed as in
// KernelHyperparameters. Cost O(n^3): the gradient needs K^-1, computed from
// the Cholesky factor.
double LogMarginalLikelihood(const Kernel& kernel, const Eigen::MatrixXd& x,
                             const Eigen::VectorXd& y_normalized,
                             const Eigen::VectorXd& theta,
                             Eigen::VectorXd* gradient);

// Box bounds on the packed log hyperparameters.
struct HyperparameterBounds {
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
};

// The bounds augur fits within, for inputs in the unit box and normalised
// targets: length scales in [0.01, 100], signal variance in [0.05, 20] and
// noise variance in [1e-6, 1].
HyperparameterBounds DefaultBounds(int dimensions);

// Independent Gaussian priors on the packed log hyperparameters, so each
// hyperparameter has a log-normal prior. An entry with precision 0 has no
// prior and is limited by its bounds only.
struct HyperparameterPrior {
  Eigen::VectorXd mean;
  // 1 / variance of each log hyperparameter.
  Eigen::VectorXd precision;

  // Returns the log density at theta up to an additive constant, and its
  // gradient when `gradient` is not null.
  double LogDensity(const Eigen::VectorXd& theta,
                    Eigen::VectorXd* gradient) const;
};

// The prior augur fits with: each length scale l (inputs in the unit box)
// has log l ~ N(sqrt(2) + log(d) / 2, 3), a median of about 4.1 sqrt(d), as
// Hvarfner, Hellsten and Nardi propose in "Vanilla Bayesian Optimization
// Performs Great in High Dimensions" (ICML 2024). The prior grows with
// sqrt(d) because the distance between two random points of the unit box
// does, so their prior correlation stays the same in any dimension. Without
// it, a fit on 11 points in 10 dimensions puts most length scales at their
// upper bound and a few at short values. The model then explains the data
// by a few coordinates and is uncertain almost everywhere, so the
// acquisition function sends trials to the corners of the box. The signal
// and noise variances have no prior.
HyperparameterPrior DefaultPrior(int dimensions);

// Returns LogMarginalLikelihood plus prior.LogDensity, the log posterior
// density of theta up to a constant, and its gradient when `gradient` is
// not null. Cost O(n^3).
double LogPosterior(const Kernel& kernel, const Eigen::MatrixXd& x,
                    const Eigen::VectorXd& y_normalized,
                    const HyperparameterPrior& prior,
                    const Eigen::VectorXd& theta, Eigen::VectorXd* gradient);

// Fits the kernel hyperparameters by maximising LogPosterior (maximum a
// posteriori; with a zero-precision prior, maximum marginal likelihood)
// with bounded L-BFGS (LBFGSpp's L-BFGS-B). It starts from each of `starts`
// (clamped into the bounds) and then from `n_restarts` points drawn
// uniformly inside the bounds from `random`, and returns the best theta
// found. With `shared_length_scale`, all dimensions share one length scale
// (an isotropic kernel). The fit then reads the first length scale of the
// starts and bounds and applies the prior of the first length scale once.
// It returns theta with that length scale repeated. Each L-BFGS evaluation
// costs O(n^3), with at most `max_iterations` iterations per start.
// REQUIRES: starts not empty.
Eigen::VectorXd FitHyperparameters(const Kernel& kernel,
                                   const Eigen::MatrixXd& x,
                                   const Eigen::VectorXd& y_normalized,
                                   const std::vector<Eigen::VectorXd>& starts,
                                   const HyperparameterBounds& bounds,
                                   const HyperparameterPrior& prior,
                                   bool shared_length_scale, int n_restarts,
                                   Random& random, int max_iterations = 60);

// The posterior of a zero-mean Gaussian process with fixed hyperparameters
// on normalised targets (Rasmussen & Williams 2006, Algorithm 2.1):
//   mean(x*) = k*^T alpha                (eq. 2.25)
//   var(x*)  = k(x*, x*) - v^T v,  v = L^-1 k*   (eq. 2.26)
// where L L^T = K + noise2 * I (+ jitter). The Cholesky factor is computed
// once, in O(n^3); each prediction then costs O(n^2) by triangular solves,
// never by an explicit inverse. Predictions are of the latent function, in
// normalised units: use targets() to convert.
//
// Thread safety: const methods may run concurrently; AddBeliever may not.
class GaussianProcess {
 public:
  // Factorises the posterior of (x, y) under `hyper`, with room for
  // `reserve` believer points. Never fails (see CholeskyWithJitter).
  // REQUIRES: x.rows() == y.size() >= 1, hyper sized for x.cols().
  GaussianProcess(const Kernel& kernel, const Eigen::MatrixXd& x,
                  const Eigen::VectorXd& y, const KernelHyperparameters& hyper,
                  int reserve = 0);

  // Adds a pending point under the kriging believer heuristic: it is
  // observed at its current posterior mean, so the mean stays the same
  // everywhere and only the variance near the point shrinks. Extends the
  // Cholesky factor by one row in O(n^2).
  void AddBeliever(const Eigen::VectorXd& point);

  struct Prediction {
    double mean = 0.0;
    double variance = 0.0;
  };

  Prediction Predict(const Eigen::VectorXd& point) const;

  // Predictions for the rows of `points`, by one blocked triangular solve.
  void PredictBatch(const Eigen::MatrixXd& points, Eigen::VectorXd* means,
                    Eigen::VectorXd* variances) const;

  // A prediction and its gradients with respect to the point.
  Prediction PredictWithGradient(const Eigen::VectorXd& point,
                                 Eigen::VectorXd* mean_gradient,
                                 Eigen::VectorXd* variance_gradient) const;

  const NormalizedTargets& targets() const { return targets_; }
  // The largest observed normalised target (believers excluded).
  double best_normalized() const { return best_normalized_; }
  double jitter() const { return jitter_; }
  // Observed points plus believers.
  int size() const { return static_cast<int>(size_); }

 private:
  const auto Lower() const {
    return lower_.topLeftCorner(size_, size_).triangularView<Eigen::Lower>();
  }

  Kernel kernel_;
  KernelHyperparameters hyper_;
  double signal_variance_ = 1.0;
  double noise_variance_ = 0.0;
  double jitter_ = 0.0;
  NormalizedTargets targets_;
  double best_normalized_ = 0.0;

  Eigen::Index size_ = 0;
  // Rows 0..size_-1 are the points; capacity may be larger.
  Eigen::MatrixXd x_;
  // alpha = K^-1 y; believers append zeros (exactly their solution).
  Eigen::VectorXd alpha_;
  // The top-left size_ x size_ block is the Cholesky factor.
  Eigen::MatrixXd lower_;
};

}  // namespace augur::bo

#endif  // AUGUR_CORE_BO_GAUSSIAN_PROCESS_H_
