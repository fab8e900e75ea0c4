// Bayesian optimisation studies run end to end by `augur run`: the built
// binary runs a shell trial script per trial, and the trials are read back
// through `augur show --format json`.

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "tests/client/cli_test_util.h"

namespace augur {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::RunAugur;
using testing::TempDirectory;
using testing::WriteFile;

// The trial script: `sh trial.sh X LR OPTIMIZER` prints one line
// `loss=V` with V = (X - 0.7)^2 + (ln LR + 5)^2 / 10, plus 0.5 unless
// OPTIMIZER is adam.
constexpr char kTrialScript[] = R"sh(set -eu
awk -v x="$1" -v lr="$2" -v optimizer="$3" 'BEGIN {
  loss = (x - 0.7) ^ 2 + (log(lr) + 5) ^ 2 / 10
  if (optimizer != "adam") loss += 0.5
  printf "loss=%.9f\n", loss
}'
)sh";

double ExpectedLoss(double x, double lr, const std::string& optimizer) {
  const double loss =
      (x - 0.7) * (x - 0.7) + (std::log(lr) + 5) * (std::log(lr) + 5) / 10;
  return optimizer == "adam" ? loss : loss + 0.5;
}

// 4 random trials, then 8 from the model, two at a time.
constexpr char kStudyFile[] = R"yaml(
kind: group
name: bo-cli
hptuning:
  concurrency: 2
  seed: 5
  bo:
    n_initial_trials: 4
    n_iterations: 8
    metric: {name: loss, optimization: minimize}
    utility_function:
      acquisition_function: ucb
      kappa: 2.576
  matrix:
    x: {uniform: -2:2}
    lr: {loguniform: -9.2:-2.3}
    optimizer: {values: [sgd, adam]}
run:
  cmd: sh trial.sh {{ x }} {{ lr }} {{ optimizer }}
)yaml";

nlohmann::json ShowJson(const fs::path& directory, const std::string& study) {
  const CliResult show =
      RunAugur(directory, "show " + study + " --db test.db --format json");
  EXPECT_EQ(show.exit_code, 0) << show.err;
  return nlohmann::json::parse(show.out, nullptr, /*allow_exceptions=*/false);
}

TEST(CliBo, RunsBudgetWithDistinctPoints) {
  TempDirectory directory;
  WriteFile(directory.path() / "trial.sh", kTrialScript);
  WriteFile(directory.path() / "bo.yml", kStudyFile);

  const CliResult run = RunAugur(directory.path(), "run bo.yml --db test.db");

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("best trial"), std::string::npos) << run.out;
  const nlohmann::json shown = ShowJson(directory.path(), "bo-cli");
  ASSERT_FALSE(shown.is_discarded());
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  ASSERT_EQ(shown["trials"].size(), 12u);

  std::set<std::string> points;
  double best = INFINITY;
  for (const auto& trial : shown["trials"]) {
    EXPECT_EQ(trial["state"], "SUCCEEDED") << trial.dump();
    const nlohmann::json& parameters = trial["parameters"];
    const double x = parameters["x"];
    const double lr = parameters["lr"];
    const std::string optimizer = parameters["optimizer"];
    EXPECT_GE(x, -2.0);
    EXPECT_LT(x, 2.0);
    EXPECT_GE(lr, std::exp(-9.2) * (1 - 1e-12));
    EXPECT_LE(lr, std::exp(-2.3) * (1 + 1e-12));
    EXPECT_TRUE(optimizer == "sgd" || optimizer == "adam") << optimizer;

    ASSERT_TRUE(trial["objective_value"].is_number()) << trial.dump();
    const double loss = trial["objective_value"];
    EXPECT_NEAR(loss, ExpectedLoss(x, lr, optimizer), 1e-6) << trial.dump();
    best = std::min(best, loss);
    points.insert(parameters.dump());
  }
  EXPECT_EQ(points.size(), 12u);

  // `show` lists the best trial first.
  EXPECT_EQ(shown["study"]["best_trial_id"], shown["trials"][0]["id"]);
  EXPECT_DOUBLE_EQ(shown["trials"][0]["objective_value"].get<double>(), best);
}

// A space of 6 points with a budget of 10: the study suggests each point
// once and completes when the space is used up.
TEST(CliBo, CompletesWhenSpaceIsExhausted) {
  TempDirectory directory;
  WriteFile(directory.path() / "small.yml", R"yaml(
kind: group
name: bo-small
hptuning:
  concurrency: 2
  seed: 3
  bo:
    n_initial_trials: 2
    n_iterations: 8
    metric: {name: loss, optimization: minimize}
  matrix:
    a: {values: [1, 2, 3]}
    b: {values: [red, blue]}
run:
  cmd: echo "loss={{ a }}"
)yaml");

  const CliResult run =
      RunAugur(directory.path(), "run small.yml --db test.db");

  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json shown = ShowJson(directory.path(), "bo-small");
  ASSERT_FALSE(shown.is_discarded());
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  ASSERT_EQ(shown["trials"].size(), 6u);
  std::set<std::pair<int64_t, std::string>> points;
  for (const auto& trial : shown["trials"]) {
    EXPECT_EQ(trial["state"], "SUCCEEDED") << trial.dump();
    points.emplace(trial["parameters"]["a"].get<int64_t>(),
                   trial["parameters"]["b"].get<std::string>());
  }
  EXPECT_EQ(points.size(), 6u);
}

}  // namespace
}  // namespace augur
