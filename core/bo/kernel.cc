#include "core/bo/kernel.h"

#include <cmath>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace augur::bo {
namespace {

constexpr double kSqrt3 = 1.7320508075688772;
constexpr double kSqrt5 = 2.2360679774997897;

bool IsClose(double a, double b) { return std::abs(a - b) < 1e-12; }

// Points as columns of (x_ik / l_k), so that the scaled distance between two
// points is the Euclidean distance between two contiguous columns.
Eigen::MatrixXd ScaledColumns(const Eigen::MatrixXd& x,
                              const KernelHyperparameters& hyper) {
  const Eigen::ArrayXd inverse_length =
      (-hyper.log_length_scales).array().exp();
  Eigen::MatrixXd scaled = x.transpose();
  scaled.array().colwise() *= inverse_length;
  return scaled;
}

}  // namespace

Eigen::VectorXd KernelHyperparameters::Pack() const {
  const int d = static_cast<int>(log_length_scales.size());
  Eigen::VectorXd theta(d + 2);
  theta.head(d) = log_length_scales;
  theta(d) = log_signal_variance;
  theta(d + 1) = log_noise_variance;
  return theta;
}

KernelHyperparameters KernelHyperparameters::Unpack(
    const Eigen::VectorXd& theta) {
  const int d = static_cast<int>(theta.size()) - 2;
  KernelHyperparameters hyper;
  hyper.log_length_scales = theta.head(d);
  hyper.log_signal_variance = theta(d);
  hyper.log_noise_variance = theta(d + 1);
  return hyper;
}

absl::StatusOr<Kernel> Kernel::Create(KernelKind kind, double nu) {
  if (kind == KernelKind::kMatern && !(std::isfinite(nu) && nu > 0.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid Matern nu ", nu,
                     ": nu must be a finite number > 0 (for example 1.5)"));
  }
  return Kernel(kind, nu);
}

Kernel::Kernel(KernelKind kind, double nu) : kind_(kind), nu_(nu) {
  if (kind_ == KernelKind::kMatern) {
    log_matern_scale_ = (1.0 - nu_) * std::log(2.0) - std::lgamma(nu_);
    sqrt_two_nu_ = std::sqrt(2.0 * nu_);
  }
}

double Kernel::Correlation(double r) const {
  if (kind_ == KernelKind::kRbf) return std::exp(-0.5 * r * r);
  if (IsClose(nu_, 0.5)) return std::exp(-r);
  if (IsClose(nu_, 1.5)) return (1.0 + kSqrt3 * r) * std::exp(-kSqrt3 * r);
  if (IsClose(nu_, 2.5)) {
    return (1.0 + kSqrt5 * r + 5.0 / 3.0 * r * r) * std::exp(-kSqrt5 * r);
  }

  // General Matern: evaluated on the log scale because z^nu and K_nu(z)
  // overflow separately for small z while their product stays below 1.
  const double z = sqrt_two_nu_ * r;
  if (z <= 0.0) return 1.0;
  const double bessel = std::cyl_bessel_k(nu_, z);
  if (!std::isfinite(bessel)) return 1.0;
  if (bessel <= 0.0) return 0.0;
  const double value =
      std::exp(log_matern_scale_ + nu_ * std::log(z) + std::log(bessel));
  return value < 1.0 ? value : 1.0;
}

double Kernel::CorrelationSlopeOverR(double r) const {
  if (kind_ == KernelKind::kRbf) return -std::exp(-0.5 * r * r);
  if (IsClose(nu_, 0.5)) return r > 0.0 ? -std::exp(-r) / r : 0.0;
  if (IsClose(nu_, 1.5)) return -3.0 * std::exp(-kSqrt3 * r);
  if (IsClose(nu_, 2.5)) {
    return -5.0 / 3.0 * (1.0 + kSqrt5 * r) * std::exp(-kSqrt5 * r);
  }

  // d/dz [z^nu K_nu(z)] = -z^nu K_(nu-1)(z) and K_(-mu) = K_mu, so
  // (1/r) dk/dr = -c 2 nu z^(nu-1) K_|nu-1|(z) with c = 2^(1-nu) / Gamma(nu).
  // At z -> 0 this tends to -nu / (nu - 1) for nu > 1 and diverges for
  // nu <= 1, where 0 is returned because every caller multiplies the value
  // by a squared difference that vanishes faster.
  const double limit_at_zero = nu_ > 1.0 ? -nu_ / (nu_ - 1.0) : 0.0;
  const double z = sqrt_two_nu_ * r;
  if (z <= 0.0) return limit_at_zero;
  const double bessel = std::cyl_bessel_k(std::abs(nu_ - 1.0), z);
  if (!std::isfinite(bessel)) return limit_at_zero;
  if (bessel <= 0.0) return 0.0;
  return -std::exp(log_matern_scale_ + std::log(2.0 * nu_) +
                   (nu_ - 1.0) * std::log(z) + std::log(bessel));
}

Eigen::MatrixXd Kernel::Cross(const Eigen::MatrixXd& a,
                              const Eigen::MatrixXd& b,
                              const KernelHyperparameters& hyper) const {
  const Eigen::MatrixXd sa = ScaledColumns(a, hyper);
  const Eigen::MatrixXd sb = ScaledColumns(b, hyper);
  const double signal = std::exp(hyper.log_signal_variance);

  Eigen::MatrixXd result(a.rows(), b.rows());
  for (Eigen::Index j = 0; j < sb.cols(); ++j) {
    for (Eigen::Index i = 0; i < sa.cols(); ++i) {
      const double r = (sa.col(i) - sb.col(j)).norm();
      result(i, j) = signal * Correlation(r);
    }
  }
  return result;
}

Eigen::MatrixXd Kernel::Gram(const Eigen::MatrixXd& x,
                             const KernelHyperparameters& hyper) const {
  const Eigen::MatrixXd scaled = ScaledColumns(x, hyper);
  const double signal = std::exp(hyper.log_signal_variance);
  const Eigen::Index n = x.rows();

  Eigen::MatrixXd gram(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    gram(j, j) = signal;
    for (Eigen::Index i = j + 1; i < n; ++i) {
      const double r = (scaled.col(i) - scaled.col(j)).norm();
      gram(i, j) = signal * Correlation(r);
      gram(j, i) = gram(i, j);
    }
  }
  return gram;
}

Eigen::VectorXd Kernel::WeightedGramGradient(
    const Eigen::MatrixXd& x, const KernelHyperparameters& hyper,
    const Eigen::MatrixXd& weights) const {
  const Eigen::MatrixXd scaled = ScaledColumns(x, hyper);
  const double signal = std::exp(hyper.log_signal_variance);
  const Eigen::Index n = x.rows();
  const Eigen::Index d = x.cols();

  // dk/dlog l_k = -(1/r dk/dr) * (x_k - y_k)^2 / l_k^2 and dk/dlog s2 = k.
  // Off-diagonal pairs count twice because `weights` is symmetric; the
  // diagonal k(x, x) = s2 depends on the signal variance only.
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(d + 2);
  Eigen::VectorXd squared_difference(d);
  for (Eigen::Index j = 0; j < n; ++j) {
    gradient(d) += weights(j, j) * signal;
    for (Eigen::Index i = j + 1; i < n; ++i) {
      squared_difference =
          (scaled.col(i) - scaled.col(j)).array().square().matrix();
      const double r = std::sqrt(squared_difference.sum());
      const double w = 2.0 * weights(i, j) * signal;
      gradient.head(d) -= (w * CorrelationSlopeOverR(r)) * squared_difference;
      gradient(d) += w * Correlation(r);
    }
  }
  return gradient;
}

Eigen::MatrixXd Kernel::CrossGradient(
    const Eigen::VectorXd& point, const Eigen::MatrixXd& x,
    const KernelHyperparameters& hyper) const {
  const Eigen::ArrayXd inverse_squared_length =
      (-2.0 * hyper.log_length_scales).array().exp();
  const Eigen::ArrayXd inverse_length = inverse_squared_length.sqrt();
  const double signal = std::exp(hyper.log_signal_variance);

  // dk(p, x_i)/dp_k = s2 * (1/r dk/dr) * (p_k - x_ik) / l_k^2.
  Eigen::MatrixXd gradient(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const Eigen::ArrayXd difference =
        point.array() - x.row(i).transpose().array();
    const double r = (difference * inverse_length).matrix().norm();
    const double slope = signal * CorrelationSlopeOverR(r);
    gradient.row(i) = (slope * difference * inverse_squared_length).transpose();
  }
  return gradient;
}

}  // namespace augur::bo
