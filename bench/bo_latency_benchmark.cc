// Latency of one BayesianOptimization::Suggest call as the history grows.
//
// For n finished trials in d dimensions (uniform parameters on [0, 1]) it
// times two kinds of call:
// - BM_SuggestReusingFit: the fitted hyperparameters are stored for the
//   current checkpoint, as for every call between two checkpoints. This is
//   the typical call.
// - BM_SuggestWithRefit: no stored fit, so the call also fits the kernel
//   hyperparameters (15 calls of a 1000-trial study do this).
// Each repetition is one call; the reported statistics are the median and
// maximum over the repetitions.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "augur/v1/augur.pb.h"
#include "benchmark/benchmark.h"
#include "core/algorithms/algorithm.h"
#include "core/bo/bayesian_optimization.h"
#include "core/study_config.h"

namespace augur {
namespace {

// A smooth multimodal objective on [0, 1]^d.
double Objective(const Point& point) {
  double sum = 0.0;
  for (size_t k = 0; k < point.size(); ++k) {
    const double x = std::get<double>(point[k]);
    sum += std::sin(5.0 * x + static_cast<double>(k)) + (x - 0.3) * (x - 0.3);
  }
  return sum;
}

struct Study {
  std::unique_ptr<StudyConfig> config;
  std::unique_ptr<BayesianOptimization> bo;
  StudyView view;
};

// Builds a study with `n` finished random trials in `d` dimensions and the
// stored fit for its checkpoint.
Study MakeStudy(int n, int d) {
  v1::StudySpec spec;
  spec.set_name(absl::StrCat("latency-", n, "-", d));
  spec.set_seed(1);
  for (int k = 0; k < d; ++k) {
    v1::ParameterSpec* parameter = spec.add_parameters();
    parameter->set_name(absl::StrCat("x", k));
    parameter->mutable_uniform()->set_low(0.0);
    parameter->mutable_uniform()->set_high(1.0);
  }
  v1::BayesianOptimization* bo = spec.mutable_bo();
  bo->set_n_initial_trials(2);
  bo->set_n_iterations(1000000);
  bo->mutable_metric()->set_name("loss");
  bo->mutable_metric()->set_optimization(v1::MINIMIZE);

  Study study;
  study.config =
      std::make_unique<StudyConfig>(StudyConfig::Create(spec).value());
  study.bo = BayesianOptimization::Create(*study.config).value();
  study.view.config = study.config.get();
  study.view.seed = 1;
  for (int i = 0; i < n; ++i) {
    TrialRecord trial;
    trial.id = i + 1;
    trial.state = v1::SUCCEEDED;
    trial.point = study.config->space().SamplePoint(1, i);
    trial.objective_value = Objective(trial.point);
    trial.algorithm_state = absl::StrCat("bo draw=", i);
    study.view.trials.push_back(std::move(trial));
  }

  const SuggestResult fitted = study.bo->Suggest(study.view, 1).value();
  study.view.algorithm_state = fitted.new_study_state.value_or("");
  return study;
}

void BM_SuggestReusingFit(benchmark::State& state) {
  const Study study = MakeStudy(static_cast<int>(state.range(0)),
                                static_cast<int>(state.range(1)));
  for (auto _ : state) {
    SuggestResult result = study.bo->Suggest(study.view, 1).value();
    if (result.new_study_state.has_value()) state.SkipWithError("refitted");
    benchmark::DoNotOptimize(result);
  }
}

void BM_SuggestWithRefit(benchmark::State& state) {
  Study study = MakeStudy(static_cast<int>(state.range(0)),
                          static_cast<int>(state.range(1)));
  study.view.algorithm_state.clear();
  for (auto _ : state) {
    SuggestResult result = study.bo->Suggest(study.view, 1).value();
    benchmark::DoNotOptimize(result);
  }
}

double Max(const std::vector<double>& values) {
  return *std::max_element(values.begin(), values.end());
}

void Sizes(benchmark::internal::Benchmark* benchmark) {
  for (int d : {2, 6, 20}) {
    for (int n : {50, 200, 500, 1000}) benchmark->Args({n, d});
  }
  benchmark->ArgNames({"n", "d"});
  benchmark->Unit(benchmark::kMillisecond);
  benchmark->Iterations(1);
  benchmark->ComputeStatistics("max", Max);
  benchmark->ReportAggregatesOnly(true);
}

BENCHMARK(BM_SuggestReusingFit)->Apply(Sizes)->Repetitions(15);
BENCHMARK(BM_SuggestWithRefit)->Apply(Sizes)->Repetitions(3);

}  // namespace
}  // namespace augur

BENCHMARK_MAIN();
