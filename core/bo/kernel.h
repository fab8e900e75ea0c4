#ifndef AUGUR_CORE_BO_KERNEL_H_
#define AUGUR_CORE_BO_KERNEL_H_

#include <vector>

#include "Eigen/Core"
#include "absl/status/statusor.h"

namespace augur::bo {

// The stationary kernels the Gaussian process offers.
enum class KernelKind { kRbf, kMatern };

// Kernel hyperparameters, all on the natural-log scale so that an optimiser
// can move them freely. The length scales are per input dimension (automatic
// relevance determination, ARD): a parameter that barely changes the
// objective can take a long length scale without blurring the others.
//
// Packed as a vector theta = (log l_1, ..., log l_d, log s2, log noise2),
// where s2 is the signal variance and noise2 the observation noise variance.
struct KernelHyperparameters {
  Eigen::VectorXd log_length_scales;
  double log_signal_variance = 0.0;
  double log_noise_variance = 0.0;

  int size() const { return static_cast<int>(log_length_scales.size()) + 2; }
  Eigen::VectorXd Pack() const;
  // REQUIRES: theta.size() >= 2.
  static KernelHyperparameters Unpack(const Eigen::VectorXd& theta);
};

// A stationary covariance function k(x, y) = s2 * g(r) of the scaled
// distance r = sqrt(sum_k (x_k - y_k)^2 / l_k^2), where g is
//   RBF:    g(r) = exp(-r^2 / 2)
//   Matern: g(r) = 2^(1-nu) / Gamma(nu) * z^nu * K_nu(z), z = sqrt(2 nu) r
// (Rasmussen & Williams, "Gaussian Processes for Machine Learning", 2006,
// eqs. 4.9 and 4.14). Matern with nu = 0.5, 1.5 and 2.5 uses the closed forms
// of R&W eqs. 4.16-4.17. Other nu use std::cyl_bessel_k, which costs about
// 0.4 us a call, so building an n x n matrix then takes roughly n^2 * 0.4 us.
// The observation noise is not part of k: GaussianProcess adds it to the
// diagonal.
//
// Thread safety: immutable after Create.
class Kernel {
 public:
  // Returns INVALID_ARGUMENT when nu is not a finite number > 0 (nu is read
  // only for Matern).
  static absl::StatusOr<Kernel> Create(KernelKind kind, double nu);

  KernelKind kind() const { return kind_; }
  double nu() const { return nu_; }

  // k(r) for a unit signal variance.
  double Correlation(double r) const;

  // (1/r) dk/dr for a unit signal variance, finite at r = 0 wherever the
  // limit is (RBF, Matern nu > 1). Derivatives of k with respect to inputs
  // and log length scales are this value times polynomial factors that
  // vanish at r = 0. For nu <= 1 the value near r = 0 grows without bound;
  // callers multiply it by a squared difference that vanishes faster.
  double CorrelationSlopeOverR(double r) const;

  // The n x m matrix k(a_i, b_j) (no noise). Rows of `a` and `b` are points.
  Eigen::MatrixXd Cross(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                        const KernelHyperparameters& hyper) const;

  // The n x n matrix k(x_i, x_j) (no noise). Cost O(n^2 d).
  Eigen::MatrixXd Gram(const Eigen::MatrixXd& x,
                       const KernelHyperparameters& hyper) const;

  // Returns sum_ij weights_ij * dK_ij / dtheta_p for every hyperparameter p
  // of theta except the noise (the last entry, returned as 0), where K is
  // Gram(x). `weights` must be symmetric. One O(n^2 d) pass, without forming
  // the derivative matrices.
  Eigen::VectorXd WeightedGramGradient(const Eigen::MatrixXd& x,
                                       const KernelHyperparameters& hyper,
                                       const Eigen::MatrixXd& weights) const;

  // The n x d matrix of d k(point, x_i) / d point, so row i is the gradient
  // of the i-th entry of Cross(point, x).
  Eigen::MatrixXd CrossGradient(const Eigen::VectorXd& point,
                                const Eigen::MatrixXd& x,
                                const KernelHyperparameters& hyper) const;

 private:
  Kernel(KernelKind kind, double nu);

  KernelKind kind_;
  double nu_;
  // For the general Matern form: log(2^(1-nu) / Gamma(nu)) and sqrt(2 nu).
  double log_matern_scale_ = 0.0;
  double sqrt_two_nu_ = 0.0;
};

}  // namespace augur::bo

#endif  // AUGUR_CORE_BO_KERNEL_H_
