#include "core/bo/kernel.h"

#include <cmath>
#include <vector>

#include "Eigen/Core"
#include "gtest/gtest.h"

namespace augur::bo {
namespace {

Kernel MakeKernel(KernelKind kind, double nu) {
  absl::StatusOr<Kernel> kernel = Kernel::Create(kind, nu);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  return *kernel;
}

KernelHyperparameters Hyper(std::vector<double> length_scales, double signal,
                            double noise) {
  KernelHyperparameters hyper;
  hyper.log_length_scales.resize(static_cast<int>(length_scales.size()));
  for (size_t k = 0; k < length_scales.size(); ++k) {
    hyper.log_length_scales(static_cast<int>(k)) = std::log(length_scales[k]);
  }
  hyper.log_signal_variance = std::log(signal);
  hyper.log_noise_variance = std::log(noise);
  return hyper;
}

// Deterministic points in [0, 1]^d without a random generator.
Eigen::MatrixXd TestPoints(int n, int d) {
  Eigen::MatrixXd x(n, d);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < d; ++k) {
      x(i, k) = std::fmod(0.37 * (i + 1) * (k + 2) + 0.11 * k, 1.0);
    }
  }
  return x;
}

TEST(Kernel, RejectsNonPositiveNu) {
  EXPECT_FALSE(Kernel::Create(KernelKind::kMatern, 0.0).ok());
  EXPECT_FALSE(Kernel::Create(KernelKind::kMatern, -1.0).ok());
  EXPECT_FALSE(Kernel::Create(KernelKind::kMatern, NAN).ok());
  EXPECT_TRUE(Kernel::Create(KernelKind::kMatern, 1.9).ok());
}

TEST(Kernel, ClosedFormsMatchGeneralMatern) {
  // A nu a hair away from 0.5, 1.5 and 2.5 takes the Bessel-function path.
  for (double nu : {0.5, 1.5, 2.5}) {
    const Kernel closed = MakeKernel(KernelKind::kMatern, nu);
    const Kernel general = MakeKernel(KernelKind::kMatern, nu + 1e-9);
    for (double r : {0.0, 1e-6, 0.1, 0.5, 1.0, 2.0, 5.0}) {
      EXPECT_NEAR(closed.Correlation(r), general.Correlation(r), 1e-7)
          << "nu=" << nu << " r=" << r;
      if (r > 0.0) {
        const double slope = closed.CorrelationSlopeOverR(r);
        EXPECT_NEAR(slope, general.CorrelationSlopeOverR(r),
                    1e-6 * (1.0 + std::abs(slope)))
            << "nu=" << nu << " r=" << r;
      }
    }
  }
}

TEST(Kernel, KnownValues) {
  const Kernel rbf = MakeKernel(KernelKind::kRbf, 0.0);
  EXPECT_DOUBLE_EQ(rbf.Correlation(0.0), 1.0);
  EXPECT_DOUBLE_EQ(rbf.Correlation(2.0), std::exp(-2.0));

  const Kernel matern05 = MakeKernel(KernelKind::kMatern, 0.5);
  EXPECT_DOUBLE_EQ(matern05.Correlation(1.5), std::exp(-1.5));

  // Matern nu = 1.9 at r = 1: 2^(1-nu) / Gamma(nu) z^nu K_nu(z), z = sqrt(3.8),
  // evaluated with scipy.special.kv 1.10.
  const Kernel matern19 = MakeKernel(KernelKind::kMatern, 1.9);
  EXPECT_NEAR(matern19.Correlation(1.0), 0.5034467054146675, 1e-12);
  EXPECT_DOUBLE_EQ(matern19.Correlation(0.0), 1.0);
  EXPECT_NEAR(matern19.Correlation(1e-200), 1.0, 1e-12);
}

// Finite-difference check of the one-pass weighted gradient for each kernel.
TEST(Kernel, WeightedGramGradientMatchesFiniteDifferences) {
  const Eigen::MatrixXd x = TestPoints(7, 3);
  Eigen::MatrixXd weights = TestPoints(7, 7);
  weights = (weights + weights.transpose()).eval();

  const std::vector<std::pair<KernelKind, double>> kernels = {
      {KernelKind::kRbf, 0.0},    {KernelKind::kMatern, 0.5},
      {KernelKind::kMatern, 1.5}, {KernelKind::kMatern, 2.5},
      {KernelKind::kMatern, 1.9}, {KernelKind::kMatern, 0.7}};
  for (const auto& [kind, nu] : kernels) {
    const Kernel kernel = MakeKernel(kind, nu);
    const Eigen::VectorXd theta = Hyper({0.3, 0.8, 2.0}, 1.7, 0.01).Pack();
    const Eigen::VectorXd analytic = kernel.WeightedGramGradient(
        x, KernelHyperparameters::Unpack(theta), weights);

    for (int p = 0; p < theta.size() - 1; ++p) {
      const double h = 1e-6;
      Eigen::VectorXd plus = theta;
      Eigen::VectorXd minus = theta;
      plus(p) += h;
      minus(p) -= h;
      const double numeric =
          ((kernel.Gram(x, KernelHyperparameters::Unpack(plus)).array() *
            weights.array())
               .sum() -
           (kernel.Gram(x, KernelHyperparameters::Unpack(minus)).array() *
            weights.array())
               .sum()) /
          (2 * h);
      EXPECT_NEAR(analytic(p), numeric, 1e-5 * (1.0 + std::abs(numeric)))
          << "nu=" << nu << " parameter " << p;
    }
    EXPECT_EQ(analytic(theta.size() - 1), 0.0);
  }
}

TEST(Kernel, CrossGradientMatchesFiniteDifferences) {
  const Eigen::MatrixXd x = TestPoints(5, 2);
  const KernelHyperparameters hyper = Hyper({0.4, 0.9}, 1.3, 0.01);
  const Eigen::VectorXd point = Eigen::Vector2d(0.21, 0.64);

  for (double nu : {0.5, 1.5, 2.5, 1.9, 0.7}) {
    const Kernel kernel = MakeKernel(KernelKind::kMatern, nu);
    const Eigen::MatrixXd analytic = kernel.CrossGradient(point, x, hyper);
    for (int k = 0; k < 2; ++k) {
      const double h = 1e-6;
      Eigen::VectorXd plus = point;
      Eigen::VectorXd minus = point;
      plus(k) += h;
      minus(k) -= h;
      const Eigen::VectorXd numeric =
          (kernel.Cross(plus.transpose(), x, hyper) -
           kernel.Cross(minus.transpose(), x, hyper))
              .transpose() /
          (2 * h);
      for (int i = 0; i < x.rows(); ++i) {
        EXPECT_NEAR(analytic(i, k), numeric(i), 1e-6)
            << "nu=" << nu << " point " << i << " coordinate " << k;
      }
    }
  }
}

TEST(Kernel, GramIsSymmetricWithSignalOnDiagonal) {
  const Kernel kernel = MakeKernel(KernelKind::kMatern, 2.5);
  const Eigen::MatrixXd gram =
      kernel.Gram(TestPoints(6, 4), Hyper({0.5, 0.5, 0.5, 0.5}, 2.0, 1e-3));
  EXPECT_TRUE(gram.isApprox(gram.transpose()));
  for (int i = 0; i < 6; ++i) EXPECT_DOUBLE_EQ(gram(i, i), 2.0);
}

}  // namespace
}  // namespace augur::bo
