// Optimisation quality of Bayesian optimisation against random search.
//
// Runs whole studies on standard test functions (Branin-Hoo, the 6-D
// Hartmann function, Levy and Rosenbrock in 10 dimensions) for seeds 1..N,
// one trial at a time. For each function and method it prints the median
// and quartiles of the best value found after 10, 25, 50 and 100 trials as a
// Markdown table, then the wall time of the calls that returned a
// suggestion.
//
// --runner=in-process calls the Algorithm directly; --runner=service runs
// the same studies through a real augur server on 127.0.0.1 with a SQLite
// file, over gRPC.

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "augur/v1/augur.pb.h"
#include "bench/study_driver.h"
#include "bench/test_functions.h"

namespace augur::bench {
namespace {

// The algorithms compared, as study-file options.
enum class Method { kRandom, kBoUcb, kBoEi };

struct MethodInfo {
  Method method;
  const char* flag;
  const char* label;
};

constexpr MethodInfo kMethods[] = {
    {Method::kRandom, "random", "random"},
    {Method::kBoUcb, "ucb", "bo (ucb, kappa 2.576)"},
    {Method::kBoEi, "ei", "bo (ei, eps 0)"},
};

v1::StudySpec MakeSpec(const TestFunction& function, const MethodInfo& method,
                       int seed, int trials) {
  v1::StudySpec spec;
  spec.set_name(absl::StrCat(function.name, "-", method.flag, "-", seed));
  spec.set_seed(seed);
  for (int k = 0; k < function.dimensions(); ++k) {
    v1::ParameterSpec* parameter = spec.add_parameters();
    parameter->set_name(absl::StrCat("x", k));
    parameter->mutable_uniform()->set_low(function.low[k]);
    parameter->mutable_uniform()->set_high(function.high[k]);
  }

  if (method.method == Method::kRandom) {
    spec.mutable_random_search()->set_n_experiments(trials);
    spec.mutable_metric()->set_name("loss");
    spec.mutable_metric()->set_optimization(v1::MINIMIZE);
    return spec;
  }

  // One random trial per dimension plus one, and at least 5. The rest use
  // the study-file defaults, except the acquisition for EI.
  const int n_initial = std::max(5, function.dimensions() + 1);
  v1::BayesianOptimization* bo = spec.mutable_bo();
  bo->set_n_initial_trials(n_initial);
  bo->set_n_iterations(trials - n_initial);
  bo->mutable_metric()->set_name("loss");
  bo->mutable_metric()->set_optimization(v1::MINIMIZE);
  if (method.method == Method::kBoEi) {
    bo->mutable_utility_function()->set_acquisition_function(
        v1::BayesianOptimization::EI);
    bo->mutable_utility_function()->set_eps(0.0);
  }
  return spec;
}

// The q-th quantile with linear interpolation between order statistics
// (numpy's default). REQUIRES: values not empty.
double Quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return values[below] + fraction * (values[above] - values[below]);
}

struct Options {
  int seeds = 10;
  int trials = 100;
  std::string functions = "branin,hartmann6,levy10,rosenbrock10";
  std::string methods = "random,ucb,ei";
  std::string runner = "in-process";
  bool trace = false;
};

bool Requested(const std::string& list, const std::string& name) {
  const std::vector<std::string> names = absl::StrSplit(list, ',');
  return std::find(names.begin(), names.end(), name) != names.end();
}

int RunAll(const Options& options, StudyDriver& driver) {
  std::vector<int> checkpoints;
  for (int c : {10, 25, 50, 100}) {
    if (c < options.trials) checkpoints.push_back(c);
  }
  checkpoints.push_back(options.trials);

  std::cout << "| function | method | trials | median | q1 | q3 |\n"
            << "|---|---|---|---|---|---|\n";
  std::vector<std::string> timing_rows;
  for (const TestFunction& function : AllTestFunctions()) {
    if (!Requested(options.functions, function.name)) continue;
    for (const MethodInfo& method : kMethods) {
      if (!Requested(options.methods, method.flag)) continue;

      std::vector<std::vector<double>> best(checkpoints.size());
      std::vector<double> suggest_seconds;
      for (int seed = 1; seed <= options.seeds; ++seed) {
        absl::StatusOr<StudyRun> run = driver.Run(
            MakeSpec(function, method, seed, options.trials), function);
        if (!run.ok() ||
            run->values.size() < static_cast<size_t>(options.trials)) {
          std::cerr << function.name << " " << method.label << " seed " << seed
                    << " failed: "
                    << (run.ok() ? absl::StrCat("only ", run->values.size(),
                                                " trials")
                                 : run.status().ToString())
                    << "\n";
          return 1;
        }
        for (size_t c = 0; c < checkpoints.size(); ++c) {
          best[c].push_back(*std::min_element(
              run->values.begin(), run->values.begin() + checkpoints[c]));
        }
        suggest_seconds.insert(suggest_seconds.end(),
                               run->suggest_seconds.begin(),
                               run->suggest_seconds.end());
      }

      for (size_t c = 0; c < checkpoints.size(); ++c) {
        std::cout << absl::StrFormat(
            "| %s (min %g) | %s | %d | %.4g | %.4g | %.4g |\n", function.name,
            function.minimum, method.label, checkpoints[c],
            Quantile(best[c], 0.5), Quantile(best[c], 0.25),
            Quantile(best[c], 0.75));
      }
      std::cout.flush();
      timing_rows.push_back(
          absl::StrFormat("| %s | %s | %.1f | %.1f |\n", function.name,
                          method.label, 1e3 * Quantile(suggest_seconds, 0.5),
                          1e3 * *std::max_element(suggest_seconds.begin(),
                                                  suggest_seconds.end())));
    }
  }

  std::cout << "\nWall time of one suggestion (" << options.runner
            << "), over all seeds:\n\n"
            << "| function | method | median ms | max ms |\n"
            << "|---|---|---|---|\n";
  for (const std::string& row : timing_rows) std::cout << row;
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{
      "Compares Bayesian optimisation with random search on test functions."};
  Options options;
  app.add_option("--seeds", options.seeds, "Run seeds 1..N")
      ->check(CLI::PositiveNumber);
  app.add_option("--trials", options.trials, "Trials per study (at least 12)")
      ->check(CLI::Range(12, 100000));
  app.add_option("--functions", options.functions,
                 "Comma-separated test functions: branin, hartmann6, levy10, "
                 "rosenbrock10");
  app.add_option("--methods", options.methods,
                 "Comma-separated methods: random, ucb (the BO defaults), ei");
  app.add_option("--runner", options.runner,
                 "How studies run: in-process (the Algorithm directly) or "
                 "service (an augur server on 127.0.0.1 over gRPC)")
      ->check(CLI::IsMember({"in-process", "service"}));
  app.add_flag("--trace", options.trace,
               "In-process only: print every trial's value and every stored "
               "model state to stderr");
  CLI11_PARSE(app, argc, argv);

  if (options.runner == "service") {
    absl::StatusOr<std::unique_ptr<ServiceDriver>> driver =
        ServiceDriver::Start();
    if (!driver.ok()) {
      std::cerr << "cannot start the augur server: " << driver.status() << "\n";
      return 1;
    }
    return RunAll(options, **driver);
  }
  InProcessDriver driver(options.trace ? &std::cerr : nullptr);
  return RunAll(options, driver);
}

}  // namespace
}  // namespace augur::bench

int main(int argc, char** argv) { return augur::bench::Main(argc, argv); }
