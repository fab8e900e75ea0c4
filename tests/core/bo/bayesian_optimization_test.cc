#include "core/bo/bayesian_optimization.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "augur/v1/augur.pb.h"
#include "core/bo/model_state.h"
#include "core/space/value.h"
#include "core/study_config.h"
#include "gtest/gtest.h"
#include "tests/core/test_util.h"

namespace augur {
namespace {

StudyConfig MakeConfig(const std::string& text) {
  absl::StatusOr<StudyConfig> config = StudyConfig::Create(ParseStudy(text));
  EXPECT_TRUE(config.ok()) << config.status();
  return *config;
}

std::unique_ptr<BayesianOptimization> MakeBo(const StudyConfig& config) {
  absl::StatusOr<std::unique_ptr<BayesianOptimization>> bo =
      BayesianOptimization::Create(config);
  EXPECT_TRUE(bo.ok()) << bo.status();
  return *std::move(bo);
}

double Number(const Value& value) { return std::get<double>(value); }

// Branin-Hoo on [-5, 10] x [0, 15]; global minimum 0.397887 at three points.
double Branin(const Point& point) {
  const double x1 = Number(point[0]);
  const double x2 = Number(point[1]);
  const double pi = 3.14159265358979323846;
  const double b = 5.1 / (4 * pi * pi);
  const double c = 5 / pi;
  const double t = 1 / (8 * pi);
  const double a = x2 - b * x1 * x1 + c * x1 - 6;
  return a * a + 10 * (1 - t) * std::cos(x1) + 10;
}

std::string BraninStudy(int seed, const std::string& extra = "") {
  return "name: 'branin' seed: " + std::to_string(seed) + R"pb(
           parameters {
             name: "x1"
             uniform { low: -5 high: 10 }
           }
           parameters {
             name: "x2"
             uniform { low: 0 high: 15 }
           }
           bo { n_initial_trials: 5 n_iterations: 35
                metric { name: "loss" optimization: MINIMIZE }
         )pb" +
         extra + "}";
}

// Appends a suggestion to the view as a trial in `state`, as the server does.
void AddTrial(const Suggestion& suggestion, v1::TrialState state,
              StudyView& view) {
  TrialRecord trial;
  trial.id = static_cast<int64_t>(view.trials.size()) + 1;
  trial.state = state;
  trial.point = suggestion.point;
  trial.algorithm_state = suggestion.algorithm_state;
  view.trials.push_back(std::move(trial));
}

void Complete(TrialRecord& trial, double loss) {
  trial.state = v1::SUCCEEDED;
  trial.objective_value = loss;
}

// Runs a sequential study in-process: suggest one, evaluate, record.
double BestBraninValue(int seed, int trials, const std::string& extra) {
  const StudyConfig config = MakeConfig(BraninStudy(seed, extra));
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = seed;

  double best = INFINITY;
  for (int i = 0; i < trials; ++i) {
    absl::StatusOr<SuggestResult> result = bo->Suggest(view, 1);
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok() || result->suggestions.size() != 1) break;
    if (result->new_study_state.has_value()) {
      view.algorithm_state = *result->new_study_state;
    }
    AddTrial(result->suggestions[0], v1::ACTIVE, view);
    const double loss = Branin(view.trials.back().point);
    Complete(view.trials.back(), loss);
    best = std::min(best, loss);
  }
  return best;
}

TEST(BayesianOptimization, FirstTrialsAreRandomDraws) {
  const StudyConfig config = MakeConfig(BraninStudy(3));
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = 3;

  absl::StatusOr<SuggestResult> result = bo->Suggest(view, 5);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->suggestions.size(), 5u);
  EXPECT_EQ(result->reason, v1::COMPLETE);
  for (int i = 0; i < 5; ++i) {
    const Point expected = config.space().SamplePoint(3, i);
    EXPECT_EQ(PointKey(result->suggestions[i].point), PointKey(expected));
    EXPECT_EQ(result->suggestions[i].algorithm_state,
              "bo draw=" + std::to_string(i));
  }
}

TEST(BayesianOptimization, WaitsForTwoFinishedTrials) {
  const StudyConfig config = MakeConfig(BraninStudy(3));
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = 3;

  absl::StatusOr<SuggestResult> initial = bo->Suggest(view, 8);
  ASSERT_TRUE(initial.ok()) << initial.status();
  EXPECT_EQ(initial->suggestions.size(), 5u);
  EXPECT_EQ(initial->reason, v1::WAITING_FOR_INITIAL_TRIALS);
  for (const Suggestion& s : initial->suggestions)
    AddTrial(s, v1::ACTIVE, view);

  Complete(view.trials[0], 1.0);
  absl::StatusOr<SuggestResult> waiting = bo->Suggest(view, 1);
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_TRUE(waiting->suggestions.empty());
  EXPECT_EQ(waiting->reason, v1::WAITING_FOR_INITIAL_TRIALS);

  Complete(view.trials[1], 2.0);
  absl::StatusOr<SuggestResult> model = bo->Suggest(view, 1);
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->suggestions.size(), 1u);
  EXPECT_EQ(model->suggestions[0].algorithm_state, "bo model");
}

TEST(BayesianOptimization, DrawsAgainWhenInitialTrialsFailed) {
  const StudyConfig config = MakeConfig(BraninStudy(3));
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = 3;

  absl::StatusOr<SuggestResult> initial = bo->Suggest(view, 5);
  ASSERT_TRUE(initial.ok()) << initial.status();
  for (const Suggestion& s : initial->suggestions)
    AddTrial(s, v1::FAILED, view);

  absl::StatusOr<SuggestResult> result = bo->Suggest(view, 3);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->suggestions.size(), 1u);
  EXPECT_EQ(result->suggestions[0].algorithm_state, "bo draw=5");
  EXPECT_EQ(result->reason, v1::WAITING_FOR_INITIAL_TRIALS);
}

// A history of 7 finished trials and 2 running ones.
StudyView MidStudyView(const StudyConfig& config,
                       const BayesianOptimization& bo) {
  StudyView view;
  view.config = &config;
  view.seed = config.spec().seed();
  for (int i = 0; i < 9; ++i) {
    absl::StatusOr<SuggestResult> result = bo.Suggest(view, 1);
    EXPECT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->suggestions.size(), 1u);
    if (result->new_study_state.has_value()) {
      view.algorithm_state = *result->new_study_state;
    }
    AddTrial(result->suggestions[0], v1::ACTIVE, view);
    if (i < 7) Complete(view.trials.back(), Branin(view.trials.back().point));
  }
  return view;
}

TEST(BayesianOptimization, CountKEqualsKCallsOfOne) {
  const StudyConfig config = MakeConfig(BraninStudy(4));
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  const StudyView start = MidStudyView(config, *bo);

  absl::StatusOr<SuggestResult> batch = bo->Suggest(start, 4);
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->suggestions.size(), 4u);

  StudyView view = start;
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<SuggestResult> single = bo->Suggest(view, 1);
    ASSERT_TRUE(single.ok()) << single.status();
    ASSERT_EQ(single->suggestions.size(), 1u);
    EXPECT_EQ(PointKey(single->suggestions[0].point),
              PointKey(batch->suggestions[i].point))
        << "suggestion " << i;
    EXPECT_EQ(single->suggestions[0].algorithm_state,
              batch->suggestions[i].algorithm_state);
    if (single->new_study_state.has_value()) {
      view.algorithm_state = *single->new_study_state;
    }
    AddTrial(single->suggestions[0], v1::ACTIVE, view);
  }
}

TEST(BayesianOptimization, ParallelSuggestionsAreDistinctAndSpread) {
  const StudyConfig config = MakeConfig(BraninStudy(5));
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  const StudyView view = MidStudyView(config, *bo);

  absl::StatusOr<SuggestResult> batch = bo->Suggest(view, 6);
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->suggestions.size(), 6u);

  std::vector<Point> points;
  for (const TrialRecord& trial : view.trials) points.push_back(trial.point);
  for (const Suggestion& s : batch->suggestions) {
    for (const Point& other : points) {
      // The kriging believer shrinks the variance around earlier points,
      // so new points keep a visible distance (in units of the box side).
      const double dx = (Number(s.point[0]) - Number(other[0])) / 15.0;
      const double dy = (Number(s.point[1]) - Number(other[1])) / 15.0;
      EXPECT_GT(std::hypot(dx, dy), 1e-3);
    }
    points.push_back(s.point);
  }
}

TEST(BayesianOptimization, StoresFitKeyedByCheckpoint) {
  const StudyConfig config = MakeConfig(BraninStudy(6));
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view = MidStudyView(config, *bo);

  // 7 finished trials: checkpoint 5. The stored fit is reused as it is.
  ASSERT_TRUE(bo::ModelState::Parse(view.algorithm_state).has_value());
  EXPECT_EQ(bo::ModelState::Parse(view.algorithm_state)->checkpoint, 5);
  absl::StatusOr<SuggestResult> reused = bo->Suggest(view, 1);
  ASSERT_TRUE(reused.ok()) << reused.status();
  EXPECT_FALSE(reused->new_study_state.has_value());

  // The stored fit is what the call uses: another theta under the same
  // checkpoint gives another point, and is not replaced.
  StudyView tampered = view;
  bo::ModelState state = *bo::ModelState::Parse(view.algorithm_state);
  state.theta.head(2).setConstant(std::log(0.01));
  tampered.algorithm_state = state.Format();
  absl::StatusOr<SuggestResult> other = bo->Suggest(tampered, 1);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE(other->new_study_state.has_value());
  EXPECT_NE(PointKey(other->suggestions[0].point),
            PointKey(reused->suggestions[0].point));

  // Without a stored fit the call refits on the history it has and stores
  // the result under the current checkpoint.
  StudyView fresh = view;
  fresh.algorithm_state.clear();
  absl::StatusOr<SuggestResult> refit = bo->Suggest(fresh, 1);
  ASSERT_TRUE(refit.ok()) << refit.status();
  ASSERT_TRUE(refit->new_study_state.has_value());
  EXPECT_EQ(bo::ModelState::Parse(*refit->new_study_state)->checkpoint, 5);

  // One more finished trial reaches checkpoint 8.
  Complete(view.trials[7], 3.0);
  absl::StatusOr<SuggestResult> next = bo->Suggest(view, 1);
  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_TRUE(next->new_study_state.has_value());
  EXPECT_EQ(bo::ModelState::Parse(*next->new_study_state)->checkpoint, 8);
}

// Returns the length scales that a refit stores after `finished` random
// Branin trials.
Eigen::VectorXd FittedLengthScales(int finished) {
  const StudyConfig config = MakeConfig(BraninStudy(8));
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = 8;
  for (int i = 0; i < finished; ++i) {
    TrialRecord trial;
    trial.id = i + 1;
    trial.state = v1::SUCCEEDED;
    trial.point = config.space().SamplePoint(8, i);
    trial.objective_value = Branin(trial.point);
    trial.algorithm_state = "bo draw=" + std::to_string(i);
    view.trials.push_back(std::move(trial));
  }

  absl::StatusOr<SuggestResult> result = bo->Suggest(view, 1);
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok() || !result->new_study_state.has_value()) {
    ADD_FAILURE() << "the call stored no fit";
    return Eigen::VectorXd();
  }
  return bo::ModelState::Parse(*result->new_study_state)->theta.head(2);
}

TEST(BayesianOptimization, SharesLengthScaleBelowTenPointsPerDimension) {
  // Branin has 2 dimensions: one length scale below 20 finished trials.
  const Eigen::VectorXd shared = FittedLengthScales(19);
  ASSERT_EQ(shared.size(), 2);
  EXPECT_EQ(shared(0), shared(1));

  // From 20 on, one per dimension.
  const Eigen::VectorXd ard = FittedLengthScales(20);
  ASSERT_EQ(ard.size(), 2);
  EXPECT_NE(ard(0), ard(1));
}

TEST(BayesianOptimization, ModelStateRoundTripsExactly) {
  bo::ModelState state;
  state.checkpoint = 41;
  state.theta = Eigen::Vector3d(-0.1, 1.0 / 3.0, -13.815510557964274);
  const std::optional<bo::ModelState> parsed =
      bo::ModelState::Parse(state.Format());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->checkpoint, 41);
  EXPECT_EQ(parsed->theta, state.theta);
  EXPECT_FALSE(
      bo::ModelState::Parse("bo-gp checkpoint=3 theta=1,x").has_value());
  EXPECT_FALSE(bo::ModelState::Parse("").has_value());
}

TEST(BayesianOptimization, FitCheckpointsGrowByHalf) {
  std::vector<int64_t> checkpoints;
  for (int64_t n = 0; n <= 100; ++n) {
    const int64_t c = bo::FitCheckpoint(n);
    if (checkpoints.empty() || checkpoints.back() != c)
      checkpoints.push_back(c);
  }
  EXPECT_EQ(checkpoints,
            (std::vector<int64_t>{0, 2, 3, 5, 8, 12, 18, 27, 41, 62, 93}));
}

TEST(BayesianOptimization, ExhaustsBudget) {
  const StudyConfig config = MakeConfig(R"pb(
    name: "small"
    seed: 2
    parameters {
      name: "x"
      uniform { low: 0 high: 1 }
    }
    bo {
      n_initial_trials: 2
      n_iterations: 2
      metric { name: "y" optimization: MAXIMIZE }
    }
  )pb");
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = 2;

  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<SuggestResult> result = bo->Suggest(view, 1);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->suggestions.size(), 1u) << "trial " << i;
    AddTrial(result->suggestions[0], v1::ACTIVE, view);
    const double x = Number(view.trials.back().point[0]);
    Complete(view.trials.back(), -(x - 0.3) * (x - 0.3));
  }
  absl::StatusOr<SuggestResult> done = bo->Suggest(view, 1);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_TRUE(done->suggestions.empty());
  EXPECT_EQ(done->reason, v1::EXHAUSTED);
}

TEST(BayesianOptimization, CoversSmallDiscreteSpaceWithoutRepeats) {
  const StudyConfig config = MakeConfig(R"pb(
    name: "discrete"
    seed: 9
    parameters {
      name: "act"
      values {
        values { string_value: "relu" }
        values { string_value: "tanh" }
        values { bool_value: true }
      }
    }
    parameters {
      name: "units"
      range { start: 1 stop: 4 step: 1 integer: true }
    }
    bo {
      n_initial_trials: 2
      n_iterations: 20
      metric { name: "acc" optimization: MAXIMIZE }
    }
  )pb");
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = 9;

  std::set<std::string> seen;
  for (int i = 0; i < 9; ++i) {
    absl::StatusOr<SuggestResult> result = bo->Suggest(view, 1);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->suggestions.size(), 1u) << "trial " << i;
    EXPECT_TRUE(seen.insert(PointKey(result->suggestions[0].point)).second);
    if (result->new_study_state.has_value()) {
      view.algorithm_state = *result->new_study_state;
    }
    AddTrial(result->suggestions[0], v1::ACTIVE, view);
    Complete(
        view.trials.back(),
        static_cast<double>(std::get<int64_t>(view.trials.back().point[1])));
  }

  // 3 x 3 = 9 points, all suggested: the study is exhausted.
  absl::StatusOr<SuggestResult> done = bo->Suggest(view, 1);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_TRUE(done->suggestions.empty());
  EXPECT_EQ(done->reason, v1::EXHAUSTED);
}

TEST(BayesianOptimization, AcceptsEveryKernelAndAcquisition) {
  const std::vector<std::string> options = {
      "utility_function { acquisition_function: EI eps: 0.01 gaussian_process "
      "{ kernel: RBF } }",
      "utility_function { acquisition_function: POI eps: 0.0 gaussian_process "
      "{ kernel: MATERN nu: 1.9 n_restarts_optimizer: 2 } }",
      "utility_function { acquisition_function: UCB kappa: 1.0 n_warmup: 200 "
      "n_iter: 2 gaussian_process { nu: 0.5 length_scale: 0.3 } }",
  };
  for (const std::string& extra : options) {
    const StudyConfig config = MakeConfig(BraninStudy(7, extra));
    const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
    StudyView view = MidStudyView(config, *bo);
    absl::StatusOr<SuggestResult> result = bo->Suggest(view, 2);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->suggestions.size(), 2u) << extra;
  }
}

TEST(BayesianOptimization, RejectsMissingKappaAndEps) {
  v1::StudySpec spec = ParseStudy(BraninStudy(1));
  spec.mutable_bo()->mutable_utility_function()->set_acquisition_function(
      v1::BayesianOptimization::EI);
  absl::StatusOr<BayesianOptimizationOptions> options =
      BayesianOptimizationOptions::FromProto(spec.bo());
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.status().message().find("eps"), std::string::npos);

  spec.mutable_bo()->mutable_utility_function()->set_acquisition_function(
      v1::BayesianOptimization::UCB);
  options = BayesianOptimizationOptions::FromProto(spec.bo());
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.status().message().find("kappa"), std::string::npos);

  spec.mutable_bo()->mutable_utility_function()->clear_acquisition_function();
  options = BayesianOptimizationOptions::FromProto(spec.bo());
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->acquisition.kind, bo::AcquisitionKind::kUcb);
  EXPECT_EQ(options->acquisition.kappa, 2.576);
  EXPECT_EQ(options->kernel, bo::KernelKind::kMatern);
  EXPECT_EQ(options->nu, 1.5);
  EXPECT_EQ(options->length_scale, 1.0);
  EXPECT_EQ(options->n_restarts_optimizer, 0);
}

TEST(BayesianOptimization, ModelsDuplicatedUserTrials) {
  // AddTrial may import the same point several times with different
  // results. The kernel matrix then has equal rows, and the suggestion
  // still comes back.
  const StudyConfig config = MakeConfig(BraninStudy(2));
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = 2;
  Suggestion imported;
  imported.point = {Value(1.0), Value(2.0)};
  for (double loss : {20.0, 21.0, 20.5}) {
    AddTrial(imported, v1::ACTIVE, view);
    Complete(view.trials.back(), loss);
  }
  imported.point = {Value(5.0), Value(5.0)};
  AddTrial(imported, v1::ACTIVE, view);
  Complete(view.trials.back(), 30.0);

  // No trial was created by BO, so the initial random draws come first.
  absl::StatusOr<SuggestResult> result = bo->Suggest(view, 7);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->suggestions.size(), 7u);
  EXPECT_EQ(result->suggestions[4].algorithm_state, "bo draw=4");
  EXPECT_EQ(result->suggestions[5].algorithm_state, "bo model");
  EXPECT_EQ(result->suggestions[6].algorithm_state, "bo model");
}

// Runs 12 trials of f(x) = x on [0, 1] and returns the best value found.
double BestOfLinear(v1::Optimization optimization) {
  v1::StudySpec spec = ParseStudy(R"pb(
    name: "linear"
    seed: 8
    parameters {
      name: "x"
      uniform { low: 0 high: 1 }
    }
    bo {
      n_initial_trials: 3
      n_iterations: 9
      metric { name: "y" }
    }
  )pb");
  spec.mutable_bo()->mutable_metric()->set_optimization(optimization);
  const StudyConfig config = MakeConfig(spec.DebugString());
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = 8;

  const bool maximize = optimization == v1::MAXIMIZE;
  double best = maximize ? -INFINITY : INFINITY;
  for (int i = 0; i < 12; ++i) {
    absl::StatusOr<SuggestResult> result = bo->Suggest(view, 1);
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok() || result->suggestions.empty()) break;
    if (result->new_study_state.has_value()) {
      view.algorithm_state = *result->new_study_state;
    }
    AddTrial(result->suggestions[0], v1::ACTIVE, view);
    const double y = Number(view.trials.back().point[0]);
    Complete(view.trials.back(), y);
    best = maximize ? std::max(best, y) : std::min(best, y);
  }
  return best;
}

TEST(BayesianOptimization, FollowsOptimizationDirection) {
  EXPECT_GT(BestOfLinear(v1::MAXIMIZE), 0.99);
  EXPECT_LT(BestOfLinear(v1::MINIMIZE), 0.01);
}

TEST(BayesianOptimization, FitsOnSubsetOfLongHistory) {
  const StudyConfig config = MakeConfig(R"pb(
    name: "long"
    seed: 4
    parameters {
      name: "x1"
      uniform { low: -5 high: 10 }
    }
    parameters {
      name: "x2"
      uniform { low: 0 high: 15 }
    }
    bo {
      n_initial_trials: 5
      n_iterations: 1000
      metric { name: "loss" optimization: MINIMIZE }
    }
  )pb");
  const std::unique_ptr<BayesianOptimization> bo = MakeBo(config);
  StudyView view;
  view.config = &config;
  view.seed = 4;
  for (int i = 0; i < 350; ++i) {
    Suggestion suggestion;
    suggestion.point = config.space().SamplePoint(4, i);
    suggestion.algorithm_state = "bo draw=" + std::to_string(i);
    AddTrial(suggestion, v1::ACTIVE, view);
    Complete(view.trials.back(), Branin(view.trials.back().point));
  }

  absl::StatusOr<SuggestResult> result = bo->Suggest(view, 2);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->suggestions.size(), 2u);
  EXPECT_EQ(result->suggestions[0].algorithm_state, "bo model");
  ASSERT_TRUE(result->new_study_state.has_value());
  EXPECT_EQ(bo::ModelState::Parse(*result->new_study_state)->checkpoint, 315);
  // With 350 points of a 2-D function the model points near a minimum.
  EXPECT_LT(Branin(result->suggestions[0].point), 2.0);
}

// Branin's minimum is 0.397887; 40 trials (5 random) with expected
// improvement must come within 0.05 of it for at least 8 of the seeds 1 to
// 10. The default UCB with kappa 2.576 explores more: it gets there for 6 of
// these seeds at 40 trials, and its other 4 end between 0.447 and 0.480.
TEST(BayesianOptimization, SolvesBraninIn40Trials) {
  int solved = 0;
  for (int seed = 1; seed <= 10; ++seed) {
    const double best = BestBraninValue(
        seed, 40, "utility_function { acquisition_function: EI eps: 0.0 }");
    if (best - 0.397887 <= 0.05) ++solved;
    std::cout << "seed " << seed << ": best " << best << "\n";
  }
  EXPECT_GE(solved, 8);
}

}  // namespace
}  // namespace augur
