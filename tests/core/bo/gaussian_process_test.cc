#include "core/bo/gaussian_process.h"

#include <cmath>
#include <vector>

#include "Eigen/Core"
#include "core/bo/kernel.h"
#include "core/random.h"
#include "gtest/gtest.h"

namespace augur::bo {
namespace {

Kernel MakeKernel(KernelKind kind, double nu) {
  absl::StatusOr<Kernel> kernel = Kernel::Create(kind, nu);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  return *kernel;
}

KernelHyperparameters Hyper(int d, double length_scale, double signal,
                            double noise) {
  KernelHyperparameters hyper;
  hyper.log_length_scales =
      Eigen::VectorXd::Constant(d, std::log(length_scale));
  hyper.log_signal_variance = std::log(signal);
  hyper.log_noise_variance = std::log(noise);
  return hyper;
}

Eigen::MatrixXd TestPoints(int n, int d) {
  Eigen::MatrixXd x(n, d);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < d; ++k) {
      x(i, k) = std::fmod(0.37 * (i + 1) * (k + 2) + 0.11 * k, 1.0);
    }
  }
  return x;
}

// Two points at 0 and 1 with targets 3 and 1 (normalised to 1 and -1), RBF
// with l = 1, s2 = 1 and noise 0.01, so K = [[1.01, e^-0.5], [e^-0.5, 1.01]].
// Expected numbers come from solving the 2 x 2 system directly (numpy 1.24).
TEST(GaussianProcess, TwoPointPosteriorByHand) {
  const Kernel rbf = MakeKernel(KernelKind::kRbf, 0.0);
  Eigen::MatrixXd x(2, 1);
  x << 0.0, 1.0;
  const Eigen::Vector2d y(3.0, 1.0);
  const GaussianProcess gp(rbf, x, y, Hyper(1, 1.0, 1.0, 0.01));

  EXPECT_DOUBLE_EQ(gp.targets().mean, 2.0);
  EXPECT_DOUBLE_EQ(gp.targets().scale, 1.0);
  EXPECT_EQ(gp.jitter(), 0.0);

  const GaussianProcess::Prediction at0 = gp.Predict(Eigen::VectorXd::Zero(1));
  EXPECT_NEAR(at0.mean, 0.9752149692641388, 1e-12);
  EXPECT_NEAR(at0.variance, 0.009845144409152962, 1e-12);

  const GaussianProcess::Prediction at03 =
      gp.Predict(Eigen::VectorXd::Constant(1, 0.3));
  EXPECT_NEAR(at03.mean, 0.42950709332165316, 1e-12);
  EXPECT_NEAR(at03.variance, 0.02773140757101311, 1e-12);

  // By symmetry the midpoint has mean 0.
  EXPECT_NEAR(gp.Predict(Eigen::VectorXd::Constant(1, 0.5)).mean, 0.0, 1e-12);
}

TEST(GaussianProcess, TwoPointLogLikelihoodByHand) {
  const Kernel rbf = MakeKernel(KernelKind::kRbf, 0.0);
  Eigen::MatrixXd x(2, 1);
  x << 0.0, 1.0;
  const double value =
      LogMarginalLikelihood(rbf, x, Eigen::Vector2d(1.0, -1.0),
                            Hyper(1, 1.0, 1.0, 0.01).Pack(), nullptr);
  EXPECT_NEAR(value, -4.102693893071708, 1e-12);
}

TEST(GaussianProcess, LogLikelihoodGradientMatchesFiniteDifferences) {
  const Eigen::MatrixXd x = TestPoints(9, 3);
  Eigen::VectorXd y(9);
  for (int i = 0; i < 9; ++i) y(i) = std::sin(3 * x(i, 0)) + x(i, 1) * x(i, 2);
  const Eigen::VectorXd y_normalized = NormalizeTargets(y).values;

  for (double nu : {0.5, 1.5, 2.5, 1.9}) {
    const Kernel kernel = MakeKernel(KernelKind::kMatern, nu);
    KernelHyperparameters hyper = Hyper(3, 0.5, 1.2, 0.02);
    hyper.log_length_scales(1) = std::log(0.9);
    const Eigen::VectorXd theta = hyper.Pack();

    Eigen::VectorXd analytic;
    LogMarginalLikelihood(kernel, x, y_normalized, theta, &analytic);
    for (int p = 0; p < theta.size(); ++p) {
      const double h = 1e-6;
      Eigen::VectorXd plus = theta;
      Eigen::VectorXd minus = theta;
      plus(p) += h;
      minus(p) -= h;
      const double numeric =
          (LogMarginalLikelihood(kernel, x, y_normalized, plus, nullptr) -
           LogMarginalLikelihood(kernel, x, y_normalized, minus, nullptr)) /
          (2 * h);
      EXPECT_NEAR(analytic(p), numeric, 1e-5 * (1.0 + std::abs(numeric)))
          << "nu=" << nu << " parameter " << p;
    }
  }

  const Kernel rbf = MakeKernel(KernelKind::kRbf, 0.0);
  const Eigen::VectorXd theta = Hyper(3, 0.4, 0.8, 0.05).Pack();
  Eigen::VectorXd analytic;
  LogMarginalLikelihood(rbf, x, y_normalized, theta, &analytic);
  for (int p = 0; p < theta.size(); ++p) {
    const double h = 1e-6;
    Eigen::VectorXd plus = theta;
    Eigen::VectorXd minus = theta;
    plus(p) += h;
    minus(p) -= h;
    const double numeric =
        (LogMarginalLikelihood(rbf, x, y_normalized, plus, nullptr) -
         LogMarginalLikelihood(rbf, x, y_normalized, minus, nullptr)) /
        (2 * h);
    EXPECT_NEAR(analytic(p), numeric, 1e-5 * (1.0 + std::abs(numeric)))
        << "rbf parameter " << p;
  }
}

TEST(GaussianProcess, NormalizesTargets) {
  const NormalizedTargets targets =
      NormalizeTargets(Eigen::Vector4d(1.0, 2.0, 3.0, 6.0));
  EXPECT_DOUBLE_EQ(targets.mean, 3.0);
  EXPECT_NEAR(targets.values.mean(), 0.0, 1e-15);
  EXPECT_NEAR(targets.values.squaredNorm() / 4.0, 1.0, 1e-14);

  const NormalizedTargets constant =
      NormalizeTargets(Eigen::Vector3d(5.0, 5.0, 5.0));
  EXPECT_DOUBLE_EQ(constant.scale, 1.0);
  EXPECT_TRUE(constant.values.isZero());
}

TEST(GaussianProcess, JitterRescuesSingularMatrix) {
  // A rank-one matrix: Eigen::LLT fails on it as it is.
  const Eigen::MatrixXd singular = Eigen::MatrixXd::Ones(4, 4);
  const JitteredCholesky cholesky = CholeskyWithJitter(singular);
  EXPECT_GT(cholesky.jitter, 0.0);
  const Eigen::MatrixXd rebuilt = cholesky.lower * cholesky.lower.transpose();
  EXPECT_TRUE(rebuilt.allFinite());
  EXPECT_NEAR((rebuilt - singular).cwiseAbs().maxCoeff(), cholesky.jitter,
              1e-12);
}

TEST(GaussianProcess, JitterOnDuplicatedPoints) {
  // The same point three times and a noise variance of e^-700: K is
  // singular to working precision, so the factorisation needs jitter.
  const Kernel kernel = MakeKernel(KernelKind::kMatern, 2.5);
  Eigen::MatrixXd x(4, 2);
  x << 0.2, 0.3, 0.2, 0.3, 0.2, 0.3, 0.8, 0.1;
  const Eigen::Vector4d y(1.0, 1.0, 1.0, 0.0);
  KernelHyperparameters hyper = Hyper(2, 0.5, 1.0, 1.0);
  hyper.log_noise_variance = -700.0;

  const GaussianProcess gp(kernel, x, y, hyper);
  EXPECT_GT(gp.jitter(), 0.0);
  const GaussianProcess::Prediction p = gp.Predict(Eigen::Vector2d(0.2, 0.3));
  EXPECT_TRUE(std::isfinite(p.mean));
  EXPECT_NEAR(p.mean, gp.targets().values(0), 1e-3);
  EXPECT_GE(p.variance, 0.0);
  EXPECT_LT(p.variance, 1e-3);

  Eigen::VectorXd gradient;
  const double value = LogMarginalLikelihood(kernel, x, gp.targets().values,
                                             hyper.Pack(), &gradient);
  EXPECT_TRUE(std::isfinite(value));
  EXPECT_TRUE(gradient.allFinite());
}

TEST(GaussianProcess, BelieverKeepsMeanAndShrinksVariance) {
  const Kernel kernel = MakeKernel(KernelKind::kMatern, 1.5);
  const Eigen::MatrixXd x = TestPoints(6, 2);
  Eigen::VectorXd y(6);
  for (int i = 0; i < 6; ++i) y(i) = x(i, 0) - 2 * x(i, 1);
  const KernelHyperparameters hyper = Hyper(2, 0.4, 1.0, 1e-3);

  GaussianProcess gp(kernel, x, y, hyper);
  const Eigen::Vector2d pending(0.5, 0.5);
  const Eigen::Vector2d probe(0.55, 0.45);
  const GaussianProcess::Prediction before = gp.Predict(probe);
  gp.AddBeliever(pending);
  const GaussianProcess::Prediction after = gp.Predict(probe);

  EXPECT_EQ(gp.size(), 7);
  EXPECT_NEAR(after.mean, before.mean, 1e-10);
  EXPECT_LT(after.variance, before.variance);

  // The variance depends on the inputs only, so it must equal that of a GP
  // refitted on the seven points.
  Eigen::MatrixXd augmented(7, 2);
  augmented << x, pending.transpose();
  Eigen::VectorXd any_targets(7);
  any_targets << y, 0.0;
  const GaussianProcess refit(kernel, augmented, any_targets, hyper);
  EXPECT_NEAR(after.variance, refit.Predict(probe).variance, 1e-10);
}

TEST(GaussianProcess, BatchAndGradientPredictionsAgree) {
  const Kernel kernel = MakeKernel(KernelKind::kMatern, 2.5);
  const Eigen::MatrixXd x = TestPoints(8, 2);
  Eigen::VectorXd y(8);
  for (int i = 0; i < 8; ++i) y(i) = std::cos(4 * x(i, 0)) + x(i, 1);
  const GaussianProcess gp(kernel, x, y, Hyper(2, 0.3, 1.0, 1e-4));

  const Eigen::MatrixXd probes = TestPoints(5, 2).array() * 0.9 + 0.03;
  Eigen::VectorXd means;
  Eigen::VectorXd variances;
  gp.PredictBatch(probes, &means, &variances);
  for (int i = 0; i < probes.rows(); ++i) {
    const Eigen::VectorXd point = probes.row(i).transpose();
    const GaussianProcess::Prediction single = gp.Predict(point);
    EXPECT_NEAR(means(i), single.mean, 1e-12);
    EXPECT_NEAR(variances(i), single.variance, 1e-12);

    Eigen::VectorXd mean_gradient;
    Eigen::VectorXd variance_gradient;
    gp.PredictWithGradient(point, &mean_gradient, &variance_gradient);
    for (int k = 0; k < 2; ++k) {
      const double h = 1e-6;
      Eigen::VectorXd plus = point;
      Eigen::VectorXd minus = point;
      plus(k) += h;
      minus(k) -= h;
      EXPECT_NEAR(mean_gradient(k),
                  (gp.Predict(plus).mean - gp.Predict(minus).mean) / (2 * h),
                  1e-5);
      EXPECT_NEAR(
          variance_gradient(k),
          (gp.Predict(plus).variance - gp.Predict(minus).variance) / (2 * h),
          1e-5);
    }
  }
}

TEST(GaussianProcess, FitRaisesLikelihoodDeterministically) {
  const Kernel kernel = MakeKernel(KernelKind::kMatern, 2.5);
  const Eigen::MatrixXd x = TestPoints(15, 2);
  Eigen::VectorXd y(15);
  // Depends on the first coordinate only: ARD should lengthen the second.
  for (int i = 0; i < 15; ++i) y(i) = std::sin(6 * x(i, 0));
  const Eigen::VectorXd y_normalized = NormalizeTargets(y).values;
  const Eigen::VectorXd start = Hyper(2, 1.0, 1.0, 1e-3).Pack();
  const HyperparameterBounds bounds = DefaultBounds(2);

  HyperparameterPrior flat;
  flat.mean = Eigen::VectorXd::Zero(4);
  flat.precision = Eigen::VectorXd::Zero(4);

  Random random(7, 0);
  const Eigen::VectorXd fitted = FitHyperparameters(
      kernel, x, y_normalized, {start}, bounds, flat, false, 2, random);
  Random random_again(7, 0);
  const Eigen::VectorXd fitted_again = FitHyperparameters(
      kernel, x, y_normalized, {start}, bounds, flat, false, 2, random_again);

  EXPECT_EQ(fitted, fitted_again);
  EXPECT_GT(
      LogMarginalLikelihood(kernel, x, y_normalized, fitted, nullptr),
      LogMarginalLikelihood(kernel, x, y_normalized, start, nullptr) + 1.0);
  EXPECT_GT(fitted(1), fitted(0));
  for (int p = 0; p < fitted.size(); ++p) {
    EXPECT_GE(fitted(p), bounds.lower(p));
    EXPECT_LE(fitted(p), bounds.upper(p));
  }
}

TEST(HyperparameterPrior, LogDensityByHand) {
  HyperparameterPrior prior;
  prior.mean = Eigen::Vector2d(1.0, 0.0);
  prior.precision = Eigen::Vector2d(0.5, 0.0);

  Eigen::VectorXd gradient;
  const double value = prior.LogDensity(Eigen::Vector2d(3.0, 5.0), &gradient);

  // -1/2 * 0.5 * (3 - 1)^2; the second entry has no prior.
  EXPECT_DOUBLE_EQ(value, -1.0);
  EXPECT_DOUBLE_EQ(gradient(0), -1.0);
  EXPECT_DOUBLE_EQ(gradient(1), 0.0);
}

TEST(HyperparameterPrior, DefaultGrowsWithSqrtOfDimension) {
  const HyperparameterPrior prior_1d = DefaultPrior(1);
  const HyperparameterPrior prior_10d = DefaultPrior(10);
  ASSERT_EQ(prior_10d.mean.size(), 12);

  EXPECT_DOUBLE_EQ(prior_1d.mean(0), std::sqrt(2.0));
  for (int k = 0; k < 10; ++k) {
    EXPECT_DOUBLE_EQ(prior_10d.mean(k), std::sqrt(2.0) + 0.5 * std::log(10.0));
    EXPECT_DOUBLE_EQ(prior_10d.precision(k), 1.0 / 3.0);
  }
  // The signal and noise variances have no prior.
  EXPECT_EQ(prior_10d.precision(10), 0.0);
  EXPECT_EQ(prior_10d.precision(11), 0.0);
}

TEST(GaussianProcess, LogPosteriorGradientMatchesFiniteDifferences) {
  const Kernel kernel = MakeKernel(KernelKind::kMatern, 1.5);
  const Eigen::MatrixXd x = TestPoints(9, 3);
  Eigen::VectorXd y(9);
  for (int i = 0; i < 9; ++i) y(i) = std::sin(4 * x(i, 0)) + x(i, 2);
  const Eigen::VectorXd y_normalized = NormalizeTargets(y).values;
  const HyperparameterPrior prior = DefaultPrior(3);
  Eigen::VectorXd theta(5);
  theta << -0.4, 0.3, 1.1, 0.2, std::log(1e-2);

  Eigen::VectorXd gradient;
  LogPosterior(kernel, x, y_normalized, prior, theta, &gradient);

  const double h = 1e-6;
  for (int p = 0; p < theta.size(); ++p) {
    Eigen::VectorXd plus = theta;
    Eigen::VectorXd minus = theta;
    plus(p) += h;
    minus(p) -= h;
    const double numeric =
        (LogPosterior(kernel, x, y_normalized, prior, plus, nullptr) -
         LogPosterior(kernel, x, y_normalized, prior, minus, nullptr)) /
        (2 * h);
    EXPECT_NEAR(gradient(p), numeric, 1e-5 * (1.0 + std::abs(numeric)))
        << "theta " << p;
  }
}

// 11 points in 10 dimensions whose targets depend on two coordinates.
TEST(GaussianProcess, SharedLengthScaleFitIsIsotropic) {
  const Kernel kernel = MakeKernel(KernelKind::kMatern, 1.5);
  const Eigen::MatrixXd x = TestPoints(11, 10);
  Eigen::VectorXd y(11);
  for (int i = 0; i < 11; ++i) y(i) = std::sin(5 * x(i, 0)) + x(i, 3);
  const Eigen::VectorXd y_normalized = NormalizeTargets(y).values;
  const HyperparameterPrior prior = DefaultPrior(10);
  const HyperparameterBounds bounds = DefaultBounds(10);
  const Eigen::VectorXd start = Hyper(10, 1.0, 1.0, 1e-3).Pack();

  Random random(2, 0);
  const Eigen::VectorXd shared = FitHyperparameters(
      kernel, x, y_normalized, {start}, bounds, prior, true, 1, random);

  ASSERT_EQ(shared.size(), 12);
  for (int k = 1; k < 10; ++k) EXPECT_EQ(shared(k), shared(0)) << k;
  EXPECT_GT(LogPosterior(kernel, x, y_normalized, prior, shared, nullptr),
            LogPosterior(kernel, x, y_normalized, prior, start, nullptr));
  for (int p = 0; p < shared.size(); ++p) {
    EXPECT_GE(shared(p), bounds.lower(p));
    EXPECT_LE(shared(p), bounds.upper(p));
  }
}

// With one length scale per dimension the same fit lets the length scales
// differ, and finds at least the posterior of the shared fit's start.
TEST(GaussianProcess, ArdFitSeparatesLengthScales) {
  const Kernel kernel = MakeKernel(KernelKind::kMatern, 1.5);
  const Eigen::MatrixXd x = TestPoints(30, 3);
  Eigen::VectorXd y(30);
  for (int i = 0; i < 30; ++i) y(i) = std::sin(6 * x(i, 0));
  const Eigen::VectorXd y_normalized = NormalizeTargets(y).values;
  const HyperparameterPrior prior = DefaultPrior(3);
  const Eigen::VectorXd start = Hyper(3, 1.0, 1.0, 1e-3).Pack();

  Random random(2, 0);
  const Eigen::VectorXd ard =
      FitHyperparameters(kernel, x, y_normalized, {start}, DefaultBounds(3),
                         prior, false, 0, random);

  // Only the first coordinate matters, so it gets the shortest length scale.
  EXPECT_LT(ard(0) + 1.0, ard(1));
  EXPECT_LT(ard(0) + 1.0, ard(2));
}

}  // namespace
}  // namespace augur::bo
