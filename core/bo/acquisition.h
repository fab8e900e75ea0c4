#ifndef AUGUR_CORE_BO_ACQUISITION_H_
#define AUGUR_CORE_BO_ACQUISITION_H_

namespace augur::bo {

enum class AcquisitionKind { kUcb, kEi, kPoi };

// An acquisition value and its partial derivatives with respect to the
// posterior mean and standard deviation, for the chain rule.
struct AcquisitionValue {
  double value = 0.0;
  double d_mean = 0.0;
  double d_std = 0.0;
};

// An acquisition function of the posterior at a point, for maximisation:
// larger is more promising. Minimised objectives are negated before they
// reach the GP, so these formulas always maximise.
//
//   UCB: mean + kappa * std
//        (Srinivas, Krause, Kakade and Seeger, "Gaussian Process
//        Optimization in the Bandit Setting", ICML 2010).
//   EI:  (mean - best - eps) Phi(z) + std phi(z),  z = (mean - best - eps) /
//   std
//        (Mockus, Tiesis and Zilinskas, "The application of Bayesian methods
//        for seeking the extremum", 1978; closed form as in Jones, Schonlau
//        and Welch, J. Global Optimization 1998).
//   POI: Phi(z)
//        (Kushner, "A New Method of Locating the Maximum Point of an
//        Arbitrary Multipeak Curve in the Presence of Noise", J. Basic
//        Engineering 1964).
// Phi and phi are the standard normal CDF and density; best is the best
// observed target and eps >= 0 a margin that favours exploration. With
// std = 0, EI is max(mean - best - eps, 0) and POI is 1 when mean > best + eps,
// else 0.
//
// All quantities share one unit: the GP works in normalised target units, so
// callers divide eps by the target scale.
struct Acquisition {
  AcquisitionKind kind = AcquisitionKind::kUcb;
  double kappa = 2.576;
  double eps = 0.0;

  AcquisitionValue Evaluate(double mean, double std, double best) const;
};

}  // namespace augur::bo

#endif  // AUGUR_CORE_BO_ACQUISITION_H_
