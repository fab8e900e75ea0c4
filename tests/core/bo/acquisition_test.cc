#include "core/bo/acquisition.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "Eigen/Core"
#include "core/bo/acquisition_optimizer.h"
#include "core/bo/gaussian_process.h"
#include "core/bo/kernel.h"
#include "core/random.h"
#include "gtest/gtest.h"

namespace augur::bo {
namespace {

TEST(Acquisition, UpperConfidenceBoundByHand) {
  const Acquisition ucb{AcquisitionKind::kUcb, 2.576, 0.0};
  const AcquisitionValue a = ucb.Evaluate(1.0, 2.0, 100.0);
  EXPECT_DOUBLE_EQ(a.value, 1.0 + 2.576 * 2.0);
  EXPECT_DOUBLE_EQ(a.d_mean, 1.0);
  EXPECT_DOUBLE_EQ(a.d_std, 2.576);
}

// Expected values from math.erfc in Python 3.11:
// Phi(0.4) = 0.6554217416103242, phi(0.4) = 0.36827014030332333.
TEST(Acquisition, ExpectedImprovementByHand) {
  const Acquisition ei{AcquisitionKind::kEi, 0.0, 0.1};
  // z = (1 - 0.5 - 0.1) / 1 = 0.4.
  EXPECT_NEAR(ei.Evaluate(1.0, 1.0, 0.5).value, 0.630438836947453, 1e-14);
  // z = (0.2 - 1.0 - 0.05) / 0.5 = -1.7.
  const Acquisition ei_small{AcquisitionKind::kEi, 0.0, 0.05};
  EXPECT_NEAR(ei_small.Evaluate(0.2, 0.5, 1.0).value, 0.009143895343681867,
              1e-14);
}

TEST(Acquisition, ProbabilityOfImprovementByHand) {
  const Acquisition poi{AcquisitionKind::kPoi, 0.0, 0.1};
  EXPECT_NEAR(poi.Evaluate(1.0, 1.0, 0.5).value, 0.6554217416103242, 1e-14);
  const Acquisition poi_small{AcquisitionKind::kPoi, 0.0, 0.05};
  EXPECT_NEAR(poi_small.Evaluate(0.2, 0.5, 1.0).value, 0.04456546275854304,
              1e-14);
}

TEST(Acquisition, ZeroStdIsDeterministicImprovement) {
  const Acquisition ei{AcquisitionKind::kEi, 0.0, 0.1};
  EXPECT_DOUBLE_EQ(ei.Evaluate(2.0, 0.0, 1.0).value, 0.9);
  EXPECT_DOUBLE_EQ(ei.Evaluate(1.0, 0.0, 1.0).value, 0.0);
  const Acquisition poi{AcquisitionKind::kPoi, 0.0, 0.1};
  EXPECT_DOUBLE_EQ(poi.Evaluate(2.0, 0.0, 1.0).value, 1.0);
  EXPECT_DOUBLE_EQ(poi.Evaluate(1.05, 0.0, 1.0).value, 0.0);
}

TEST(Acquisition, DerivativesMatchFiniteDifferences) {
  for (AcquisitionKind kind :
       {AcquisitionKind::kUcb, AcquisitionKind::kEi, AcquisitionKind::kPoi}) {
    const Acquisition acquisition{kind, 1.5, 0.05};
    for (double mean : {-1.0, 0.3, 1.2}) {
      for (double std : {0.2, 1.0}) {
        const double h = 1e-6;
        const AcquisitionValue a = acquisition.Evaluate(mean, std, 0.4);
        const double d_mean = (acquisition.Evaluate(mean + h, std, 0.4).value -
                               acquisition.Evaluate(mean - h, std, 0.4).value) /
                              (2 * h);
        const double d_std = (acquisition.Evaluate(mean, std + h, 0.4).value -
                              acquisition.Evaluate(mean, std - h, 0.4).value) /
                             (2 * h);
        EXPECT_NEAR(a.d_mean, d_mean, 1e-7)
            << "mean " << mean << " std " << std;
        EXPECT_NEAR(a.d_std, d_std, 1e-7) << "mean " << mean << " std " << std;
      }
    }
  }
}

GaussianProcess QuadraticGp() {
  // 1-D targets -(x - 0.7)^2 at 8 points: the maximum is at 0.7.
  Eigen::MatrixXd x(8, 1);
  Eigen::VectorXd y(8);
  for (int i = 0; i < 8; ++i) {
    x(i, 0) = i / 7.0;
    y(i) = -(x(i, 0) - 0.7) * (x(i, 0) - 0.7);
  }
  KernelHyperparameters hyper;
  hyper.log_length_scales = Eigen::VectorXd::Constant(1, std::log(0.5));
  hyper.log_signal_variance = 0.0;
  hyper.log_noise_variance = std::log(1e-6);
  return GaussianProcess(*Kernel::Create(KernelKind::kMatern, 2.5), x, y,
                         hyper);
}

// A GP in 4 dimensions with a few observations spread over the box.
GaussianProcess SpreadGp() {
  Eigen::MatrixXd x(6, 4);
  Eigen::VectorXd y(6);
  for (int i = 0; i < 6; ++i) {
    for (int k = 0; k < 4; ++k)
      x(i, k) = std::fmod(0.29 * (i + 1) * (k + 1), 1.0);
    y(i) = x(i, 0) - x(i, 1);
  }
  KernelHyperparameters hyper;
  hyper.log_length_scales = Eigen::VectorXd::Constant(4, std::log(0.3));
  hyper.log_signal_variance = 0.0;
  hyper.log_noise_variance = std::log(1e-6);
  return GaussianProcess(*Kernel::Create(KernelKind::kMatern, 1.5), x, y,
                         hyper);
}

// Returns the largest distance (max norm) from `center` over the candidates
// that the search keeps from its warmup points.
double FarthestWarmupPoint(const std::vector<Eigen::VectorXd>& centers,
                           const Eigen::VectorXd& center) {
  const GaussianProcess gp = SpreadGp();
  const Acquisition ucb{AcquisitionKind::kUcb, 2.576, 0.0};
  AcquisitionSearchOptions options;
  options.n_warmup = 400;
  options.n_iter = 0;
  options.n_keep = 400;
  options.local_centers = centers;
  options.local_fraction = 1.0;
  Random random(5, 0);
  const std::vector<Candidate> candidates = MaximizeAcquisition(
      gp, ucb, 4,
      [](Random& r) {
        Eigen::VectorXd point(4);
        for (int k = 0; k < 4; ++k) point(k) = r.UniformDouble();
        return point;
      },
      options, random);

  EXPECT_EQ(candidates.size(), 400u);
  double farthest = 0.0;
  for (const Candidate& candidate : candidates) {
    farthest =
        std::max(farthest, (candidate.point - center).cwiseAbs().maxCoeff());
  }
  return farthest;
}

TEST(AcquisitionOptimizer, LocalWarmupPointsSurroundCenter) {
  const Eigen::VectorXd center = Eigen::Vector4d(0.3, 0.9, 0.5, 0.05);

  // Perturbations have a standard deviation of at most 0.1 per coordinate,
  // so 400 points stay within 0.5 (5 standard deviations) of the centre.
  EXPECT_LT(FarthestWarmupPoint({center}, center), 0.5);
  // Without centres the warmup points fill the box.
  EXPECT_GT(FarthestWarmupPoint({}, center), 0.8);
}

TEST(AcquisitionOptimizer, GradientMatchesFiniteDifferences) {
  const GaussianProcess gp = QuadraticGp();
  for (AcquisitionKind kind :
       {AcquisitionKind::kUcb, AcquisitionKind::kEi, AcquisitionKind::kPoi}) {
    const Acquisition acquisition{kind, 2.0, 0.01};
    for (double x : {0.05, 0.33, 0.61, 0.9}) {
      Eigen::VectorXd gradient;
      EvaluateAcquisition(gp, acquisition, Eigen::VectorXd::Constant(1, x),
                          &gradient);
      const double h = 1e-7;
      const double numeric =
          (EvaluateAcquisition(gp, acquisition,
                               Eigen::VectorXd::Constant(1, x + h), nullptr) -
           EvaluateAcquisition(gp, acquisition,
                               Eigen::VectorXd::Constant(1, x - h), nullptr)) /
          (2 * h);
      EXPECT_NEAR(gradient(0), numeric, 1e-5 * (1.0 + std::abs(numeric)))
          << "x " << x;
    }
  }
}

TEST(AcquisitionOptimizer, FindsMaximumOfMean) {
  // UCB with kappa 0 is the posterior mean, whose maximum is near 0.7.
  const GaussianProcess gp = QuadraticGp();
  const Acquisition mean_only{AcquisitionKind::kUcb, 0.0, 0.0};
  AcquisitionSearchOptions options;
  options.n_warmup = 50;
  options.n_iter = 3;
  Random random(3, 0);
  const std::vector<Candidate> candidates = MaximizeAcquisition(
      gp, mean_only, 1,
      [](Random& r) { return Eigen::VectorXd::Constant(1, r.UniformDouble()); },
      options, random);

  ASSERT_FALSE(candidates.empty());
  EXPECT_NEAR(candidates[0].point(0), 0.7, 0.01);
  for (size_t i = 1; i < candidates.size(); ++i) {
    EXPECT_GE(candidates[i - 1].value, candidates[i].value);
  }
}

}  // namespace
}  // namespace augur::bo
