#include "core/bo/acquisition.h"

#include <cmath>

namespace augur::bo {
namespace {

constexpr double kInverseSqrtTwoPi = 0.3989422804014327;
constexpr double kInverseSqrtTwo = 0.7071067811865476;

// Below this standard deviation the posterior counts as certain.
constexpr double kMinStd = 1e-12;

double NormalPdf(double z) {
  return kInverseSqrtTwoPi * std::exp(-0.5 * z * z);
}

double NormalCdf(double z) { return 0.5 * std::erfc(-z * kInverseSqrtTwo); }

}  // namespace

AcquisitionValue Acquisition::Evaluate(double mean, double std,
                                       double best) const {
  AcquisitionValue result;
  if (kind == AcquisitionKind::kUcb) {
    result.value = mean + kappa * std;
    result.d_mean = 1.0;
    result.d_std = kappa;
    return result;
  }

  const double improvement = mean - best - eps;
  if (std < kMinStd) {
    const bool improves = improvement > 0.0;
    if (kind == AcquisitionKind::kEi) {
      result.value = improves ? improvement : 0.0;
      result.d_mean = improves ? 1.0 : 0.0;
    } else {
      result.value = improves ? 1.0 : 0.0;
    }
    return result;
  }

  const double z = improvement / std;
  const double cdf = NormalCdf(z);
  const double pdf = NormalPdf(z);
  if (kind == AcquisitionKind::kEi) {
    // dEI/dmean = Phi(z) and dEI/dstd = phi(z), because the terms from
    // differentiating z cancel.
    result.value = improvement * cdf + std * pdf;
    result.d_mean = cdf;
    result.d_std = pdf;
    return result;
  }

  result.value = cdf;
  result.d_mean = pdf / std;
  result.d_std = -pdf * z / std;
  return result;
}

}  // namespace augur::bo
