#include "core/bo/bayesian_optimization.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/algorithms/history.h"
#include "core/bo/acquisition_optimizer.h"
#include "core/bo/gaussian_process.h"
#include "core/bo/model_state.h"
#include "core/random.h"

namespace augur {
namespace {

constexpr char kDrawPrefix[] = "bo draw=";
constexpr char kModelState[] = "bo model";
constexpr char kStatePrefix[] = "bo ";

// Random streams of the study seed, far above the stream ids that random
// draws use (the draw index), so the two never share a stream.
constexpr uint64_t kAcquisitionStream = 0xB0A0ULL << 48;
constexpr uint64_t kFitStream = 0xB0F0ULL << 48;

// Random draws tried before a nearly full discrete space is searched in
// grid order instead.
constexpr int kMaxRepeatedDraws = 1000;

// Unused points scored when every acquisition candidate decodes to a point
// already suggested.
constexpr int kFallbackSamples = 256;
constexpr int kMaxGridFallback = 4096;

// The starting noise variance of the hyperparameter fit, in normalised
// target units.
constexpr double kStartNoiseVariance = 1e-3;

// The acquisition search draws part of its warmup points around this many
// of the best finished points.
constexpr size_t kLocalCenters = 5;

// Kernel fits use one length scale for all dimensions until there are this
// many finished trials per dimension, and one per dimension (ARD) from then
// on. Loeppky, Sacks and Welch, "Choosing the Sample Size of a Computer
// Experiment: A Practical Guide" (Technometrics, 2009), support the rule of
// thumb that a GP model needs about 10 runs per input dimension. With
// fewer points, an ARD fit has nearly as many length scales as data points
// and lets a few coordinates explain the data. In 10 dimensions with 11 to
// 40 points, UCB then sent most trials to the corners of the box (measured
// with bench/bo_quality on the Levy and Rosenbrock functions).
constexpr double kArdPointsPerDimension = 10.0;

}  // namespace

absl::StatusOr<BayesianOptimizationOptions>
BayesianOptimizationOptions::FromProto(const v1::BayesianOptimization& bo) {
  BayesianOptimizationOptions options;
  options.n_initial_trials = bo.n_initial_trials();
  options.n_iterations = bo.n_iterations();

  const auto& utility = bo.utility_function();
  const auto& gp = utility.gaussian_process();
  options.kernel = gp.kernel() == v1::BayesianOptimization::RBF
                       ? bo::KernelKind::kRbf
                       : bo::KernelKind::kMatern;
  if (gp.has_length_scale()) options.length_scale = gp.length_scale();
  if (gp.has_nu()) options.nu = gp.nu();
  if (gp.has_n_restarts_optimizer()) {
    options.n_restarts_optimizer = static_cast<int>(gp.n_restarts_optimizer());
  }
  if (!(std::isfinite(options.length_scale) && options.length_scale > 0.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bo.utility_function.gaussian_process.length_scale is ",
                     options.length_scale, "; use a finite length scale > 0"));
  }
  if (options.n_restarts_optimizer < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bo.utility_function.gaussian_process.n_restarts_optimizer is ",
        options.n_restarts_optimizer, "; use 0 or more"));
  }

  switch (utility.acquisition_function()) {
    case v1::BayesianOptimization::ACQUISITION_FUNCTION_UNSPECIFIED:
      options.acquisition.kind = bo::AcquisitionKind::kUcb;
      if (utility.has_kappa()) options.acquisition.kappa = utility.kappa();
      break;
    case v1::BayesianOptimization::UCB:
      if (!utility.has_kappa()) {
        return absl::InvalidArgumentError(
            "bo.utility_function.kappa is missing; ucb needs kappa (for "
            "example 2.576)");
      }
      options.acquisition.kind = bo::AcquisitionKind::kUcb;
      options.acquisition.kappa = utility.kappa();
      break;
    case v1::BayesianOptimization::EI:
    case v1::BayesianOptimization::POI:
      if (!utility.has_eps()) {
        return absl::InvalidArgumentError(
            "bo.utility_function.eps is missing; ei and poi need eps (for "
            "example 0.0)");
      }
      options.acquisition.kind =
          utility.acquisition_function() == v1::BayesianOptimization::EI
              ? bo::AcquisitionKind::kEi
              : bo::AcquisitionKind::kPoi;
      options.acquisition.eps = utility.eps();
      break;
    default:
      return absl::InvalidArgumentError(
          "bo.utility_function.acquisition_function is unknown; use ucb, ei "
          "or poi");
  }

  if (utility.has_n_warmup()) {
    if (utility.n_warmup() < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("bo.utility_function.n_warmup is ", utility.n_warmup(),
                       "; use 1 or more"));
    }
    options.n_warmup = static_cast<int>(
        std::min<int64_t>(utility.n_warmup(), std::numeric_limits<int>::max()));
  }
  if (utility.has_n_iter()) {
    if (utility.n_iter() < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("bo.utility_function.n_iter is ", utility.n_iter(),
                       "; use 0 or more"));
    }
    options.n_iter = static_cast<int>(
        std::min<int64_t>(utility.n_iter(), std::numeric_limits<int>::max()));
  }
  return options;
}

absl::StatusOr<std::unique_ptr<BayesianOptimization>>
BayesianOptimization::Create(const StudyConfig& config) {
  if (!config.objective().has_value()) {
    return absl::InvalidArgumentError(
        "bo.metric is missing; Bayesian optimisation needs a metric name and "
        "optimization");
  }

  absl::StatusOr<BayesianOptimizationOptions> options =
      BayesianOptimizationOptions::FromProto(config.spec().bo());
  if (!options.ok()) return options.status();

  absl::StatusOr<bo::SpaceEncoding> encoding =
      bo::SpaceEncoding::Create(config.space());
  if (!encoding.ok()) return encoding.status();

  absl::StatusOr<bo::Kernel> kernel =
      bo::Kernel::Create(options->kernel, options->nu);
  if (!kernel.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bo.utility_function.gaussian_process.nu: ",
                     kernel.status().message()));
  }

  return std::unique_ptr<BayesianOptimization>(new BayesianOptimization(
      config, *std::move(options), *std::move(encoding), *kernel,
      *config.objective()));
}

BayesianOptimization::BayesianOptimization(const StudyConfig& config,
                                           BayesianOptimizationOptions options,
                                           bo::SpaceEncoding encoding,
                                           bo::Kernel kernel,
                                           Objective objective)
    : config_(config),
      options_(std::move(options)),
      encoding_(std::move(encoding)),
      kernel_(kernel),
      objective_(std::move(objective)) {}

// The work of one Suggest call: the history read once, then one suggestion
// at a time, each added to the history before the next.
class BayesianOptimizationCall {
 public:
  BayesianOptimizationCall(const BayesianOptimization& algorithm,
                           const StudyView& view)
      : algorithm_(algorithm), view_(view) {}

  SuggestResult Run(int count) {
    ReadHistory();
    const int64_t budget = EffectiveBudget(view_, algorithm_.config_);

    for (int i = 0; i < count; ++i) {
      if (created_ >= budget) {
        Finish(v1::EXHAUSTED,
               absl::StrCat("the budget of ", budget, " trials is used up"));
        break;
      }

      std::optional<Suggestion> suggestion;
      if (created_ < algorithm_.options_.n_initial_trials) {
        suggestion = NextRandom();
      } else if (finished_y_.size() < 2) {
        // Nothing running and too few results: only happens when initial
        // trials failed, and waiting would then never end.
        if (running_ > 0) {
          Finish(v1::WAITING_FOR_INITIAL_TRIALS,
                 absl::StrCat("waiting for 2 trials to finish before "
                              "model-based suggestions; ",
                              finished_y_.size(), " finished so far"));
          break;
        }
        suggestion = NextRandom();
      } else {
        suggestion = NextModelBased();
      }

      if (!suggestion.has_value()) {
        Finish(v1::EXHAUSTED,
               "every point of the search space has been suggested");
        break;
      }
      Record(*std::move(suggestion));
    }
    return std::move(result_);
  }

 private:
  void Finish(v1::SuggestionReason reason, std::string message) {
    result_.reason = reason;
    result_.message = std::move(message);
  }

  std::optional<double> ObjectiveOf(const TrialRecord& trial) const {
    if (trial.objective_value.has_value() &&
        std::isfinite(*trial.objective_value)) {
      return *trial.objective_value;
    }
    const auto it = trial.latest_metrics.find(algorithm_.objective_.name);
    if (it != trial.latest_metrics.end() && std::isfinite(it->second)) {
      return it->second;
    }
    return std::nullopt;
  }

  void ReadHistory() {
    used_ = SuggestedPointKeys(view_);
    for (const TrialRecord& trial : view_.trials) {
      if (absl::StartsWith(trial.algorithm_state, kStatePrefix)) ++created_;
      const std::optional<int64_t> draw =
          ParseStateNumber(trial.algorithm_state, kDrawPrefix);
      if (draw.has_value()) next_draw_ = std::max(next_draw_, *draw + 1);

      const bool running =
          trial.state == v1::PENDING || trial.state == v1::ACTIVE;
      if (running) ++running_;
      if (!running && trial.state != v1::SUCCEEDED) continue;

      absl::StatusOr<Eigen::VectorXd> encoded =
          algorithm_.encoding_.Encode(trial.point);
      if (!encoded.ok()) continue;
      if (running) {
        pending_.push_back(*std::move(encoded));
        continue;
      }

      const std::optional<double> objective = ObjectiveOf(trial);
      if (!objective.has_value()) continue;
      finished_x_.push_back(*std::move(encoded));
      finished_y_.push_back(algorithm_.objective_.maximize ? *objective
                                                           : -*objective);
    }
  }

  std::optional<Suggestion> NextRandom() {
    const SearchSpace& space = algorithm_.config_.space();
    for (int attempt = 0; attempt < kMaxRepeatedDraws; ++attempt) {
      const int64_t draw = next_draw_++;
      Point point = space.SamplePoint(view_.seed, draw);
      if (used_.contains(PointKey(point))) continue;

      Suggestion suggestion;
      suggestion.point = std::move(point);
      suggestion.algorithm_state = absl::StrCat(kDrawPrefix, draw);
      return suggestion;
    }

    // Random draws keep hitting used points. In a discrete space take the
    // first unused grid point, which is still a function of the history.
    const int64_t size = space.grid_size().value_or(0);
    for (int64_t index = 0; index < size; ++index) {
      Point point = space.GridPoint(index);
      if (used_.contains(PointKey(point))) continue;
      Suggestion suggestion;
      suggestion.point = std::move(point);
      suggestion.algorithm_state = absl::StrCat(kDrawPrefix, next_draw_ - 1);
      return suggestion;
    }
    return std::nullopt;
  }

  // Returns the rows of the finished trials that the hyperparameter fit
  // uses: all of them up to kMaxFitPoints, else the best half of that many
  // and an even spread (in trial order) over the rest.
  std::vector<int> FitRows() const {
    const int n = static_cast<int>(finished_y_.size());
    std::vector<int> rows(n);
    for (int i = 0; i < n; ++i) rows[i] = i;
    if (n <= BayesianOptimization::kMaxFitPoints) return rows;

    std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
      return finished_y_[a] > finished_y_[b];
    });
    const int n_best = BayesianOptimization::kMaxFitPoints / 2;
    std::vector<int> chosen(rows.begin(), rows.begin() + n_best);
    std::vector<int> others(rows.begin() + n_best, rows.end());
    std::sort(others.begin(), others.end());

    const int n_spread = BayesianOptimization::kMaxFitPoints - n_best;
    for (int j = 0; j < n_spread; ++j) {
      const size_t at = static_cast<size_t>(j) * others.size() / n_spread;
      chosen.push_back(others[at]);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
  }

  // Whether a fit on `n_fit` points uses one length scale for every
  // dimension (see kArdPointsPerDimension).
  bool UseSharedLengthScale(size_t n_fit) const {
    const int d = algorithm_.encoding_.dimensions();
    return static_cast<double>(n_fit) < kArdPointsPerDimension * d;
  }

  Eigen::VectorXd FitTheta(int64_t checkpoint) const {
    const std::vector<int> rows = FitRows();
    const int d = algorithm_.encoding_.dimensions();
    Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), d);
    Eigen::VectorXd y(static_cast<Eigen::Index>(rows.size()));
    for (size_t i = 0; i < rows.size(); ++i) {
      x.row(static_cast<Eigen::Index>(i)) = finished_x_[rows[i]].transpose();
      y(static_cast<Eigen::Index>(i)) = finished_y_[rows[i]];
    }

    // Two starts: the study's length_scale, and the prior's median.
    const bo::HyperparameterPrior prior = bo::DefaultPrior(d);
    bo::KernelHyperparameters start;
    start.log_length_scales = Eigen::VectorXd::Constant(
        d, std::log(algorithm_.options_.length_scale));
    start.log_signal_variance = 0.0;
    start.log_noise_variance = std::log(kStartNoiseVariance);
    std::vector<Eigen::VectorXd> starts = {start.Pack()};
    start.log_length_scales = prior.mean.head(d);
    starts.push_back(start.Pack());

    Random random(static_cast<uint64_t>(view_.seed),
                  kFitStream + static_cast<uint64_t>(checkpoint));
    return bo::FitHyperparameters(
        algorithm_.kernel_, x, bo::NormalizeTargets(y).values, starts,
        bo::DefaultBounds(d), prior, UseSharedLengthScale(rows.size()),
        algorithm_.options_.n_restarts_optimizer, random);
  }

  void BuildModel(int reserve) {
    const int d = algorithm_.encoding_.dimensions();
    const int64_t checkpoint =
        bo::FitCheckpoint(static_cast<int64_t>(finished_y_.size()));

    Eigen::VectorXd theta;
    const std::optional<bo::ModelState> stored =
        bo::ModelState::Parse(view_.algorithm_state);
    if (stored.has_value() && stored->checkpoint == checkpoint &&
        stored->theta.size() == d + 2) {
      theta = stored->theta;
    } else {
      theta = FitTheta(checkpoint);
      result_.new_study_state = bo::ModelState{checkpoint, theta}.Format();
    }

    const Eigen::Index n = static_cast<Eigen::Index>(finished_y_.size());
    Eigen::MatrixXd x(n, d);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      x.row(i) = finished_x_[i].transpose();
      y(i) = finished_y_[i];
    }
    gp_.emplace(algorithm_.kernel_, x, y,
                bo::KernelHyperparameters::Unpack(theta),
                static_cast<int>(pending_.size()) + reserve);
    for (const Eigen::VectorXd& point : pending_) gp_->AddBeliever(point);
  }

  bo::AcquisitionSearchOptions SearchOptions() const {
    const BayesianOptimizationOptions& options = algorithm_.options_;
    bo::AcquisitionSearchOptions search;
    const double n = static_cast<double>(gp_->size());
    const int adaptive_warmup = static_cast<int>(
        std::clamp(BayesianOptimization::kWarmupWork / (n * n),
                   static_cast<double>(BayesianOptimization::kMinWarmup),
                   static_cast<double>(BayesianOptimization::kDefaultWarmup)));
    const int adaptive_iter = static_cast<int>(
        std::clamp(BayesianOptimization::kIterWork / (n * n),
                   static_cast<double>(BayesianOptimization::kMinIter),
                   static_cast<double>(BayesianOptimization::kDefaultIter)));
    search.n_warmup = options.n_warmup.value_or(adaptive_warmup);
    search.n_iter = options.n_iter.value_or(adaptive_iter);

    // The best finished points, best first, as centres of local search.
    std::vector<int> rows(finished_y_.size());
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int>(i);
    const size_t n_centers = std::min(rows.size(), kLocalCenters);
    std::partial_sort(rows.begin(),
                      rows.begin() + static_cast<std::ptrdiff_t>(n_centers),
                      rows.end(), [&](int a, int b) {
                        return finished_y_[a] > finished_y_[b] ||
                               (finished_y_[a] == finished_y_[b] && a < b);
                      });
    for (size_t i = 0; i < n_centers; ++i) {
      search.local_centers.push_back(finished_x_[rows[i]]);
    }
    return search;
  }

  // Scores unused decoded points and returns the best, or nullopt.
  std::optional<Point> BestUnused(const bo::Acquisition& acquisition,
                                  std::vector<Point> points) {
    if (points.empty()) return std::nullopt;
    Eigen::MatrixXd encoded(static_cast<Eigen::Index>(points.size()),
                            algorithm_.encoding_.dimensions());
    for (size_t i = 0; i < points.size(); ++i) {
      encoded.row(static_cast<Eigen::Index>(i)) =
          algorithm_.encoding_.Encode(points[i]).value().transpose();
    }
    const Eigen::VectorXd scores =
        bo::EvaluateAcquisitionBatch(*gp_, acquisition, encoded);
    Eigen::Index best = 0;
    for (Eigen::Index i = 1; i < scores.size(); ++i) {
      if (scores(i) > scores(best)) best = i;
    }
    return std::move(points[static_cast<size_t>(best)]);
  }

  // Decodes points of the box, keeping each unused point once.
  template <typename Source>
  std::vector<Point> UnusedDecoded(int limit, Source next_encoded) {
    std::vector<Point> points;
    absl::flat_hash_set<std::string> seen;
    for (int i = 0; i < limit; ++i) {
      std::optional<Eigen::VectorXd> encoded = next_encoded(i);
      if (!encoded.has_value()) break;
      Point point = algorithm_.encoding_.Decode(*encoded);
      const std::string key = PointKey(point);
      if (used_.contains(key) || !seen.insert(key).second) continue;
      points.push_back(std::move(point));
    }
    return points;
  }

  std::optional<Suggestion> NextModelBased() {
    if (!gp_.has_value()) BuildModel(/*reserve=*/16);

    // eps is in objective units; the GP works in normalised units.
    bo::Acquisition acquisition = algorithm_.options_.acquisition;
    acquisition.eps /= gp_->targets().scale;

    // Step 1: rank candidates of the relaxed problem and snap them to allowed
    // values. The best-scoring unused snapped point wins.
    const bo::SpaceEncoding& encoding = algorithm_.encoding_;
    Random random(static_cast<uint64_t>(view_.seed),
                  kAcquisitionStream + static_cast<uint64_t>(created_));
    const auto sampler = [&encoding](Random& r) {
      return encoding.SampleUnitPoint(r);
    };
    const std::vector<bo::Candidate> candidates =
        bo::MaximizeAcquisition(*gp_, acquisition, encoding.dimensions(),
                                sampler, SearchOptions(), random);
    std::optional<Point> point =
        BestUnused(acquisition,
                   UnusedDecoded(static_cast<int>(candidates.size()),
                                 [&](int i) -> std::optional<Eigen::VectorXd> {
                                   return candidates[i].point;
                                 }));

    // Step 2: every candidate was taken, so score fresh random points.
    if (!point.has_value()) {
      point =
          BestUnused(acquisition,
                     UnusedDecoded(kFallbackSamples,
                                   [&](int) -> std::optional<Eigen::VectorXd> {
                                     return encoding.SampleUnitPoint(random);
                                   }));
    }

    // Step 3: in a nearly full discrete space, score unused grid points.
    const SearchSpace& space = algorithm_.config_.space();
    const int64_t grid_size = space.grid_size().value_or(0);
    for (int64_t start = 0; !point.has_value() && start < grid_size;
         start += kMaxGridFallback) {
      std::vector<Point> unused;
      for (int64_t index = start;
           index < std::min(grid_size, start + kMaxGridFallback); ++index) {
        Point grid_point = space.GridPoint(index);
        if (!used_.contains(PointKey(grid_point))) {
          unused.push_back(std::move(grid_point));
        }
      }
      point = BestUnused(acquisition, std::move(unused));
    }

    if (!point.has_value()) return std::nullopt;
    Suggestion suggestion;
    suggestion.point = *std::move(point);
    suggestion.algorithm_state = kModelState;
    return suggestion;
  }

  void Record(Suggestion suggestion) {
    used_.insert(PointKey(suggestion.point));
    ++created_;
    ++running_;

    absl::StatusOr<Eigen::VectorXd> encoded =
        algorithm_.encoding_.Encode(suggestion.point);
    if (encoded.ok()) {
      if (gp_.has_value()) gp_->AddBeliever(*encoded);
      pending_.push_back(*std::move(encoded));
    }
    result_.suggestions.push_back(std::move(suggestion));
  }

  const BayesianOptimization& algorithm_;
  const StudyView& view_;
  SuggestResult result_;

  absl::flat_hash_set<std::string> used_;
  int64_t created_ = 0;
  int64_t next_draw_ = 0;
  int64_t running_ = 0;
  std::vector<Eigen::VectorXd> finished_x_;
  std::vector<double> finished_y_;
  // Encoded points of running trials and of this call's suggestions, in
  // order, as kriging believers.
  std::vector<Eigen::VectorXd> pending_;
  std::optional<bo::GaussianProcess> gp_;
};

absl::StatusOr<SuggestResult> BayesianOptimization::Suggest(
    const StudyView& view, int count) const {
  if (count < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("count is ", count, "; use 0 or more"));
  }
  return BayesianOptimizationCall(*this, view).Run(count);
}

}  // namespace augur
