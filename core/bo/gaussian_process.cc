#include "core/bo/gaussian_process.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include "Eigen/Cholesky"
#include "Eigen/Core"
#include "LBFGSB.h"

namespace augur::bo {
namespace {

constexpr double kLogTwoPi = 1.8378770664093453;

// Jitter grows by 100x per failed attempt. Once it exceeds the matrix
// norm bound n * max|a_ij| the matrix is strictly diagonally dominant, so a
// finite matrix factorises before this many attempts.
constexpr int kMaxJitterAttempts = 40;

// Wraps the negative log posterior for LBFGSpp, which minimises. With a
// shared length scale the optimiser works on z = (log l, log s2, log noise2),
// expanded to theta by repeating log l in every dimension, so the gradient
// of log l is the sum over the dimensions. It remembers the best point
// evaluated, because LBFGSpp throws when a line search fails and the last
// iterate is then lost.
class NegativeLogPosterior {
 public:
  NegativeLogPosterior(const Kernel& kernel, const Eigen::MatrixXd& x,
                       const Eigen::VectorXd& y,
                       const HyperparameterPrior& prior, bool shared)
      : kernel_(kernel),
        x_(x),
        y_(y),
        dimensions_(static_cast<int>(x.cols())),
        shared_(shared) {
    // With a shared length scale the prior applies once, to log l.
    reduced_prior_.mean = Reduce(prior.mean);
    reduced_prior_.precision = Reduce(prior.precision);
  }

  // The optimiser's vector for a packed theta (its first length scale when
  // shared).
  Eigen::VectorXd Reduce(const Eigen::VectorXd& theta) const {
    if (!shared_) return theta;
    Eigen::VectorXd z(3);
    z << theta(0), theta(dimensions_), theta(dimensions_ + 1);
    return z;
  }

  Eigen::VectorXd Expand(const Eigen::VectorXd& z) const {
    if (!shared_) return z;
    Eigen::VectorXd theta(dimensions_ + 2);
    theta.head(dimensions_).setConstant(z(0));
    theta(dimensions_) = z(1);
    theta(dimensions_ + 1) = z(2);
    return theta;
  }

  double operator()(const Eigen::VectorXd& z, Eigen::VectorXd& gradient) {
    const Eigen::VectorXd theta = Expand(z);
    Eigen::VectorXd likelihood_gradient;
    const double log_likelihood =
        LogMarginalLikelihood(kernel_, x_, y_, theta, &likelihood_gradient);
    Eigen::VectorXd prior_gradient;
    const double log_prior = reduced_prior_.LogDensity(z, &prior_gradient);

    const double value = -(log_likelihood + log_prior);
    gradient = -(ReduceGradient(likelihood_gradient) + prior_gradient);
    if (!std::isfinite(value) || !gradient.allFinite()) {
      gradient.setZero();
      return std::numeric_limits<double>::max();
    }
    if (value < best_value_) {
      best_value_ = value;
      best_theta_ = theta;
    }
    return value;
  }

  const Eigen::VectorXd& best_theta() const { return best_theta_; }

 private:
  Eigen::VectorXd ReduceGradient(const Eigen::VectorXd& gradient) const {
    if (!shared_) return gradient;
    Eigen::VectorXd reduced(3);
    reduced << gradient.head(dimensions_).sum(), gradient(dimensions_),
        gradient(dimensions_ + 1);
    return reduced;
  }

  const Kernel& kernel_;
  const Eigen::MatrixXd& x_;
  const Eigen::VectorXd& y_;
  const int dimensions_;
  const bool shared_;
  HyperparameterPrior reduced_prior_;
  double best_value_ = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_theta_;
};

}  // namespace

NormalizedTargets NormalizeTargets(const Eigen::VectorXd& y) {
  NormalizedTargets targets;
  targets.mean = y.size() > 0 ? y.mean() : 0.0;
  const double variance =
      y.size() > 0 ? (y.array() - targets.mean).square().mean() : 0.0;
  const double scale = std::sqrt(variance);
  targets.scale =
      scale > 1e-12 * std::max(1.0, std::abs(targets.mean)) ? scale : 1.0;
  targets.values = (y.array() - targets.mean) / targets.scale;
  return targets;
}

JitteredCholesky CholeskyWithJitter(const Eigen::MatrixXd& matrix) {
  JitteredCholesky result;
  Eigen::LLT<Eigen::MatrixXd> llt(matrix);
  if (llt.info() == Eigen::Success) {
    result.lower = llt.matrixL();
    return result;
  }

  const double scale =
      std::max(matrix.diagonal().cwiseAbs().maxCoeff(), 1e-300);
  double jitter = 1e-10 * scale;
  for (int attempt = 0; attempt < kMaxJitterAttempts; ++attempt) {
    Eigen::MatrixXd jittered = matrix;
    jittered.diagonal().array() += jitter;
    llt.compute(jittered);
    if (llt.info() == Eigen::Success) {
      result.lower = llt.matrixL();
      result.jitter = jitter;
      return result;
    }
    jitter *= 100.0;
  }

  // Unreachable for finite input. For a matrix with NaN entries, fall back
  // to the factor of its diagonal part so that callers still get a factor.
  result.jitter = jitter;
  result.lower =
      (matrix.diagonal().array().abs() + jitter).sqrt().matrix().asDiagonal();
  return result;
}

double LogMarginalLikelihood(const Kernel& kernel, const Eigen::MatrixXd& x,
                             const Eigen::VectorXd& y_normalized,
                             const Eigen::VectorXd& theta,
                             Eigen::VectorXd* gradient) {
  const KernelHyperparameters hyper = KernelHyperparameters::Unpack(theta);
  const double noise = std::exp(hyper.log_noise_variance);
  const Eigen::Index n = x.rows();

  Eigen::MatrixXd k = kernel.Gram(x, hyper);
  k.diagonal().array() += noise;
  const JitteredCholesky cholesky = CholeskyWithJitter(k);
  const auto lower = cholesky.lower.triangularView<Eigen::Lower>();

  const Eigen::VectorXd alpha =
      lower.transpose().solve(lower.solve(y_normalized));
  const double log_likelihood = -0.5 * y_normalized.dot(alpha) -
                                cholesky.lower.diagonal().array().log().sum() -
                                0.5 * n * kLogTwoPi;
  if (gradient == nullptr) return log_likelihood;

  // W = alpha alpha^T - K^-1; d/dtheta_p = 1/2 sum_ij W_ij dK_ij/dtheta_p.
  Eigen::MatrixXd weights =
      lower.transpose().solve(lower.solve(Eigen::MatrixXd::Identity(n, n)));
  weights = alpha * alpha.transpose() - weights;

  *gradient = 0.5 * kernel.WeightedGramGradient(x, hyper, weights);
  (*gradient)(theta.size() - 1) = 0.5 * weights.trace() * noise;
  return log_likelihood;
}

HyperparameterBounds DefaultBounds(int dimensions) {
  HyperparameterBounds bounds;
  bounds.lower.resize(dimensions + 2);
  bounds.upper.resize(dimensions + 2);
  bounds.lower.head(dimensions).setConstant(std::log(1e-2));
  bounds.upper.head(dimensions).setConstant(std::log(1e2));
  bounds.lower(dimensions) = std::log(0.05);
  bounds.upper(dimensions) = std::log(20.0);
  bounds.lower(dimensions + 1) = std::log(1e-6);
  bounds.upper(dimensions + 1) = std::log(1.0);
  return bounds;
}

double HyperparameterPrior::LogDensity(const Eigen::VectorXd& theta,
                                       Eigen::VectorXd* gradient) const {
  const Eigen::ArrayXd scaled_difference =
      precision.array() * (theta - mean).array();
  if (gradient != nullptr) *gradient = -scaled_difference.matrix();
  return -0.5 * (scaled_difference * (theta - mean).array()).sum();
}

HyperparameterPrior DefaultPrior(int dimensions) {
  HyperparameterPrior prior;
  prior.mean = Eigen::VectorXd::Zero(dimensions + 2);
  prior.precision = Eigen::VectorXd::Zero(dimensions + 2);
  prior.mean.head(dimensions)
      .setConstant(std::sqrt(2.0) + 0.5 * std::log(dimensions));
  prior.precision.head(dimensions).setConstant(1.0 / 3.0);
  return prior;
}

double LogPosterior(const Kernel& kernel, const Eigen::MatrixXd& x,
                    const Eigen::VectorXd& y_normalized,
                    const HyperparameterPrior& prior,
                    const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) {
  const double log_likelihood =
      LogMarginalLikelihood(kernel, x, y_normalized, theta, gradient);
  if (gradient == nullptr) {
    return log_likelihood + prior.LogDensity(theta, nullptr);
  }

  Eigen::VectorXd prior_gradient;
  const double log_prior = prior.LogDensity(theta, &prior_gradient);
  *gradient += prior_gradient;
  return log_likelihood + log_prior;
}

Eigen::VectorXd FitHyperparameters(const Kernel& kernel,
                                   const Eigen::MatrixXd& x,
                                   const Eigen::VectorXd& y_normalized,
                                   const std::vector<Eigen::VectorXd>& starts,
                                   const HyperparameterBounds& bounds,
                                   const HyperparameterPrior& prior,
                                   bool shared_length_scale, int n_restarts,
                                   Random& random, int max_iterations) {
  LBFGSpp::LBFGSBParam<double> param;
  param.max_iterations = max_iterations;
  param.epsilon = 1e-5;
  param.epsilon_rel = 1e-5;
  param.max_linesearch = 30;

  NegativeLogPosterior objective(kernel, x, y_normalized, prior,
                                 shared_length_scale);
  const Eigen::VectorXd lower = objective.Reduce(bounds.lower);
  const Eigen::VectorXd upper = objective.Reduce(bounds.upper);

  const int n_starts = static_cast<int>(starts.size());
  for (int run = 0; run < n_starts + n_restarts; ++run) {
    Eigen::VectorXd z(lower.size());
    if (run < n_starts) {
      z = objective.Reduce(starts[run]).cwiseMax(lower).cwiseMin(upper);
    } else {
      for (Eigen::Index p = 0; p < z.size(); ++p) {
        z(p) = lower(p) + random.UniformDouble() * (upper(p) - lower(p));
      }
    }

    // LBFGSpp reports a failed line search or a bad step by throwing, but
    // the objective has recorded the best point evaluated so far.
    LBFGSpp::LBFGSBSolver<double> solver(param);
    double value = 0.0;
    try {
      solver.minimize(objective, z, value, lower, upper);
    } catch (const std::exception&) {
    }
  }

  if (objective.best_theta().size() == 0) {
    return objective.Expand(
        objective.Reduce(starts.front()).cwiseMax(lower).cwiseMin(upper));
  }
  return objective.best_theta();
}

GaussianProcess::GaussianProcess(const Kernel& kernel, const Eigen::MatrixXd& x,
                                 const Eigen::VectorXd& y,
                                 const KernelHyperparameters& hyper,
                                 int reserve)
    : kernel_(kernel), hyper_(hyper) {
  signal_variance_ = std::exp(hyper.log_signal_variance);
  noise_variance_ = std::exp(hyper.log_noise_variance);
  targets_ = NormalizeTargets(y);
  best_normalized_ = targets_.values.maxCoeff();

  size_ = x.rows();
  const Eigen::Index capacity = size_ + std::max(reserve, 0);
  x_.resize(capacity, x.cols());
  x_.topRows(size_) = x;
  alpha_.resize(capacity);
  lower_.resize(capacity, capacity);

  Eigen::MatrixXd k = kernel_.Gram(x, hyper_);
  k.diagonal().array() += noise_variance_;
  JitteredCholesky cholesky = CholeskyWithJitter(k);
  jitter_ = cholesky.jitter;
  lower_.topLeftCorner(size_, size_) = cholesky.lower;
  alpha_.head(size_) =
      Lower().transpose().solve(Lower().solve(targets_.values));
}

void GaussianProcess::AddBeliever(const Eigen::VectorXd& point) {
  if (size_ == x_.rows()) {
    const Eigen::Index capacity = 2 * size_ + 1;
    x_.conservativeResize(capacity, Eigen::NoChange);
    alpha_.conservativeResize(capacity);
    lower_.conservativeResize(capacity, capacity);
  }

  // [L 0; l^T d] is the factor of [K k; k^T c] when L l = k and
  // d^2 = c - l^T l. For a point on top of an observed one, rounding can
  // push d^2 to zero or below, so d^2 is kept at least 1e-10 * c.
  const Eigen::VectorXd cross =
      kernel_.Cross(point.transpose(), x_.topRows(size_), hyper_).transpose();
  const Eigen::VectorXd row = Lower().solve(cross);
  const double total = signal_variance_ + noise_variance_ + jitter_;
  const double pivot = std::max(total - row.squaredNorm(), 1e-10 * total);

  lower_.row(size_).head(size_) = row.transpose();
  lower_(size_, size_) = std::sqrt(pivot);
  x_.row(size_) = point.transpose();
  alpha_(size_) = 0.0;
  ++size_;
}

GaussianProcess::Prediction GaussianProcess::Predict(
    const Eigen::VectorXd& point) const {
  const Eigen::VectorXd cross =
      kernel_.Cross(point.transpose(), x_.topRows(size_), hyper_).transpose();
  const Eigen::VectorXd v = Lower().solve(cross);

  Prediction prediction;
  prediction.mean = cross.dot(alpha_.head(size_));
  prediction.variance = std::max(signal_variance_ - v.squaredNorm(), 0.0);
  return prediction;
}

void GaussianProcess::PredictBatch(const Eigen::MatrixXd& points,
                                   Eigen::VectorXd* means,
                                   Eigen::VectorXd* variances) const {
  Eigen::MatrixXd cross = kernel_.Cross(x_.topRows(size_), points, hyper_);
  *means = cross.transpose() * alpha_.head(size_);

  cross = Lower().solve(cross);
  *variances = (signal_variance_ - cross.colwise().squaredNorm().array())
                   .max(0.0)
                   .matrix()
                   .transpose();
}

GaussianProcess::Prediction GaussianProcess::PredictWithGradient(
    const Eigen::VectorXd& point, Eigen::VectorXd* mean_gradient,
    Eigen::VectorXd* variance_gradient) const {
  const Eigen::MatrixXd x = x_.topRows(size_);
  const Eigen::VectorXd cross =
      kernel_.Cross(point.transpose(), x, hyper_).transpose();
  const Eigen::MatrixXd cross_gradient =
      kernel_.CrossGradient(point, x, hyper_);
  const Eigen::VectorXd v = Lower().solve(cross);

  Prediction prediction;
  prediction.mean = cross.dot(alpha_.head(size_));
  prediction.variance = std::max(signal_variance_ - v.squaredNorm(), 0.0);

  // d mean = dK*^T alpha; d var = -2 dK*^T L^-T v.
  *mean_gradient = cross_gradient.transpose() * alpha_.head(size_);
  const Eigen::VectorXd w = Lower().transpose().solve(v);
  *variance_gradient = -2.0 * cross_gradient.transpose() * w;
  return prediction;
}

}  // namespace augur::bo
