#ifndef AUGUR_CORE_BO_BAYESIAN_OPTIMIZATION_H_
#define AUGUR_CORE_BO_BAYESIAN_OPTIMIZATION_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "core/algorithms/algorithm.h"
#include "core/bo/acquisition.h"
#include "core/bo/encoding.h"
#include "core/bo/kernel.h"
#include "core/study_config.h"

namespace augur {

// The `bo` options with augur's defaults filled in.
struct BayesianOptimizationOptions {
  int64_t n_initial_trials = 0;
  int64_t n_iterations = 0;
  bo::KernelKind kernel = bo::KernelKind::kMatern;
  double length_scale = 1.0;
  double nu = 1.5;
  int n_restarts_optimizer = 0;
  bo::Acquisition acquisition;  // UCB with kappa 2.576 by default.
  // Unset means adaptive (see BayesianOptimization).
  std::optional<int> n_warmup;
  std::optional<int> n_iter;

  // Reads `bo`. Returns INVALID_ARGUMENT naming the field for an
  // acquisition function without its kappa or eps, or a value out of range.
  static absl::StatusOr<BayesianOptimizationOptions> FromProto(
      const v1::BayesianOptimization& bo);
};

// Bayesian optimisation with a Gaussian process, served through Suggest.
//
// The first n_initial_trials trials are random: draw D of the study
// (SearchSpace::SamplePoint(seed, D)), stored as "bo draw=D", skipping
// draws whose point some trial already contains. Later trials are
// model-based ("bo model"). A GP with a Matern or RBF kernel is fitted on
// the SUCCEEDED trials that have an objective value: the final objective
// value, else the latest value of the metric. The kernel has one length
// scale for all dimensions until there are 10 finished trials per
// dimension, and one per dimension (ARD) from then on. Points are
// encoded into the unit box by bo::SpaceEncoding, and minimised metrics are
// negated. PENDING and ACTIVE trials enter as pending points under the
// kriging believer heuristic (observed at the posterior mean). That leaves
// the mean alone and shrinks the variance around them, so parallel workers
// get distinct, spread-out points. Each suggestion of a call is added the same
// way before the next, so Suggest(count = k) returns the same points as k calls
// with count 1 that each store the previous suggestion as an ACTIVE trial.
//
// The acquisition function is maximised by scoring n_warmup points, half
// drawn uniformly from the box and half around the 5 best finished points,
// and refining the best n_iter with bounded L-BFGS. The ranked
// candidates are decoded to allowed values in turn, and the best one whose
// point no trial contains yet is suggested.
//
// Kernel hyperparameters are fitted by maximising the marginal likelihood
// times a log-normal prior on the length scales (maximum a posteriori, see
// bo::DefaultPrior), from two starts:
// the study's length_scale and the prior's median, plus
// n_restarts_optimizer random ones. A fit happens only when the number of
// finished trials reaches a checkpoint (bo::FitCheckpoint).
// The fit is returned in SuggestResult::new_study_state, and calls between
// checkpoints reuse the stored fit. Above kMaxFitPoints finished trials the fit
// uses a fixed subset of them (the best half and an even spread of the others),
// because each likelihood evaluation costs O(n^3).
//
// Budget: n_initial_trials + n_iterations trials (view.budget when positive),
// then EXHAUSTED. Until two trials have finished, model-based suggestions
// wait with WAITING_FOR_INITIAL_TRIALS. When nothing is running then (all
// initial trials failed), another random draw is made so the study moves on.
//
// Default acquisition search: n_warmup 10000 and n_iter 10, both shrunk as
// the history of n points grows, because scoring one point costs O(n^2):
// n_warmup to kWarmupWork / n^2 (at least kMinWarmup) and n_iter to
// kIterWork / n^2 (at least kMinIter). The constants keep a call at n = 1000
// in 6 dimensions near 100 ms on a 2-core AMD EPYC (see docs/benchmarks.md).
// Values given in the study file are used as given.
//
// Thread safety: immutable after Create, so Suggest may run concurrently.
class BayesianOptimization : public Algorithm {
 public:
  static constexpr int kMaxFitPoints = 300;
  static constexpr int kDefaultWarmup = 10000;
  static constexpr int kMinWarmup = 200;
  static constexpr double kWarmupWork = 2.5e8;
  static constexpr int kDefaultIter = 10;
  static constexpr int kMinIter = 2;
  static constexpr double kIterWork = 3e6;

  // Returns INVALID_ARGUMENT when the config has no objective, when a
  // parameter's option cannot be encoded (pvalues, normal-type), or when the
  // options are invalid. REQUIRES: config.algorithm() == kBayesian.
  static absl::StatusOr<std::unique_ptr<BayesianOptimization>> Create(
      const StudyConfig& config);

  // Returns up to `count` new suggestions, or fewer with EXHAUSTED once the
  // budget or the space is used up, or WAITING_FOR_INITIAL_TRIALS while
  // fewer than two trials have finished.
  absl::StatusOr<SuggestResult> Suggest(const StudyView& view,
                                        int count) const override;

  const BayesianOptimizationOptions& options() const { return options_; }

 private:
  BayesianOptimization(const StudyConfig& config,
                       BayesianOptimizationOptions options,
                       bo::SpaceEncoding encoding, bo::Kernel kernel,
                       Objective objective);

  friend class BayesianOptimizationCall;

  StudyConfig config_;
  BayesianOptimizationOptions options_;
  bo::SpaceEncoding encoding_;
  bo::Kernel kernel_;
  Objective objective_;
};

}  // namespace augur

#endif  // AUGUR_CORE_BO_BAYESIAN_OPTIMIZATION_H_
