// Early stopping, trial timeouts and the failure limit through a real
// `augur run`: the built binary runs real trial processes on a temporary
// directory and database, and the results are read back through
// `augur show --format json`.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "gtest/gtest.h"
#include "tests/client/cli_test_util.h"

namespace augur {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::CountTrialsInState;
using testing::RunAugur;
using testing::ShowStudy;
using testing::TempDirectory;
using testing::WriteFile;

std::string TrialStdout(const fs::path& directory, const std::string& study,
                        const nlohmann::json& trial) {
  return testing::ReadFile(directory / "augur-runs" / study /
                           std::to_string(trial["id"].get<int64_t>()) /
                           "stdout.log");
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs `augur run FILE` with a 1 s stop grace period and returns the result
// and how long it took.
CliResult TimedRun(const fs::path& directory, const std::string& file,
                   std::chrono::steady_clock::duration* elapsed) {
  const auto start = std::chrono::steady_clock::now();
  CliResult run =
      RunAugur(directory, "run " + file + " --db test.db --stop-grace 1");
  *elapsed = std::chrono::steady_clock::now() - start;
  return run;
}

// The trial ignores SIGTERM (its sleep inherits the ignored signal), so only
// the SIGKILL after the grace period ends it.
TEST(RunStopping, ThresholdKillsTrialThatIgnoresSigterm) {
  TempDirectory directory;
  WriteFile(directory.path() / "stubborn.yml", R"yaml(
kind: group
hptuning:
  concurrency: 1
  metric: {name: accuracy, optimization: maximize}
  early_stopping:
    - {metric: accuracy, value: 0.9, optimization: maximize}
  matrix:
    x: {values: [1, 2, 3]}
run:
  cmd: trap '' TERM; echo accuracy=0.95; sleep 30; echo never
)yaml");

  std::chrono::steady_clock::duration elapsed{};
  const CliResult run = TimedRun(directory.path(), "stubborn.yml", &elapsed);

  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_LT(elapsed, std::chrono::seconds(15)) << "the trial was waited for";
  const nlohmann::json shown = ShowStudy(directory.path(), "stubborn");
  ASSERT_FALSE(shown.is_discarded());
  EXPECT_EQ(shown["study"]["state"], "STOPPED");
  EXPECT_TRUE(Contains(shown["study"]["state_reason"].get<std::string>(),
                       "accuracy = 0.95"))
      << shown["study"]["state_reason"];
  ASSERT_EQ(shown["trials"].size(), 1u) << "no trial starts after the stop";
  EXPECT_EQ(shown["trials"][0]["state"], "STOPPED");
  EXPECT_FALSE(Contains(
      TrialStdout(directory.path(), "stubborn", shown["trials"][0]), "never"));
}

// run.cmd starts the program without `exec`, so SIGTERM kills the shell
// first. The program's own handler must still get the grace period to save
// its checkpoint before the runner ends the trial.
TEST(RunStopping, GracePeriodOutlivesShell) {
  TempDirectory directory;
  WriteFile(directory.path() / "saver.sh", R"sh(
trap 'sleep 0.3; echo saved > "$AUGUR_OUTPUT_DIR/checkpoint"; exit 0' TERM
echo accuracy=0.95
while true; do sleep 0.1; done
)sh");
  WriteFile(directory.path() / "saver.yml", R"yaml(
kind: group
hptuning:
  concurrency: 1
  metric: {name: accuracy, optimization: maximize}
  early_stopping:
    - {metric: accuracy, value: 0.9, optimization: maximize}
  matrix:
    x: {values: [1, 2]}
run:
  cmd: sh saver.sh; echo after
)yaml");

  const CliResult run = RunAugur(directory.path(),
                                 "run saver.yml --db test.db --stop-grace 5");

  EXPECT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json shown = ShowStudy(directory.path(), "saver");
  ASSERT_FALSE(shown.is_discarded());
  ASSERT_EQ(shown["trials"].size(), 1u);
  EXPECT_EQ(shown["trials"][0]["state"], "STOPPED");
  const fs::path checkpoint = directory.path() / "augur-runs" / "saver" /
                              std::to_string(shown["trials"][0]["id"].get<int64_t>()) /
                              "checkpoint";
  EXPECT_TRUE(fs::exists(checkpoint)) << "the trial was killed before it saved";
}

// Trial x=2 prints nothing at all, so only the runner's periodic ShouldStop
// call can tell it that trial x=1 stopped the study.
TEST(RunStopping, SilentTrialStopsWithStudy) {
  TempDirectory directory;
  WriteFile(directory.path() / "quiet.yml", R"yaml(
kind: group
hptuning:
  concurrency: 2
  metric: {name: loss, optimization: minimize}
  early_stopping:
    - {metric: loss, value: 0.05, optimization: minimize}
  matrix:
    x: {values: [1, 2]}
run:
  cmd: if [ {{ x }} = 1 ]; then sleep 1; echo loss=0.01; fi; sleep 30; echo never
)yaml");

  std::chrono::steady_clock::duration elapsed{};
  const CliResult run = TimedRun(directory.path(), "quiet.yml", &elapsed);

  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_LT(elapsed, std::chrono::seconds(15));
  const nlohmann::json shown = ShowStudy(directory.path(), "quiet");
  ASSERT_FALSE(shown.is_discarded());
  EXPECT_EQ(shown["study"]["state"], "STOPPED");
  ASSERT_EQ(shown["trials"].size(), 2u);
  EXPECT_EQ(CountTrialsInState(shown, "STOPPED"), 2) << shown.dump(2);
  for (const auto& trial : shown["trials"]) {
    EXPECT_FALSE(
        Contains(TrialStdout(directory.path(), "quiet", trial), "never"));
  }
}

// The trial prints nothing for three times its trial_timeout. The runner's
// periodic ShouldStop calls keep it alive, so it succeeds.
TEST(RunStopping, RunnerKeepsSilentTrialAlive) {
  TempDirectory directory;
  WriteFile(directory.path() / "slow.yml", R"yaml(
kind: group
hptuning:
  concurrency: 1
  trial_timeout: 1
  metric: {name: loss, optimization: minimize}
  matrix:
    x: {values: [1]}
run:
  cmd: sleep 3; echo loss={{ x }}
)yaml");

  std::chrono::steady_clock::duration elapsed{};
  const CliResult run = TimedRun(directory.path(), "slow.yml", &elapsed);

  EXPECT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json shown = ShowStudy(directory.path(), "slow");
  ASSERT_FALSE(shown.is_discarded());
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  ASSERT_EQ(shown["trials"].size(), 1u);
  EXPECT_EQ(shown["trials"][0]["state"], "SUCCEEDED")
      << shown["trials"][0]["message"];
}

TEST(RunStopping, FailingTrialsFailStudyAtMaxFailedTrials) {
  TempDirectory directory;
  WriteFile(directory.path() / "broken.yml", R"yaml(
kind: group
hptuning:
  concurrency: 1
  max_failed_trials: 2
  matrix:
    x: {values: [1, 2, 3, 4, 5]}
run:
  cmd: echo "cannot train x={{ x }}" >&2; exit 1
)yaml");

  std::chrono::steady_clock::duration elapsed{};
  const CliResult run = TimedRun(directory.path(), "broken.yml", &elapsed);

  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(Contains(run.err, "max_failed_trials")) << run.err;
  const nlohmann::json shown = ShowStudy(directory.path(), "broken");
  ASSERT_FALSE(shown.is_discarded());
  EXPECT_EQ(shown["study"]["state"], "FAILED");
  EXPECT_TRUE(Contains(shown["study"]["state_reason"].get<std::string>(),
                       "2 trials failed"))
      << shown["study"]["state_reason"];
  EXPECT_EQ(shown["trials"].size(), 2u) << "no trial starts after the failure";
  EXPECT_EQ(CountTrialsInState(shown, "FAILED"), 2);
  EXPECT_TRUE(Contains(shown["trials"][0]["message"].get<std::string>(),
                       "cannot train x=1"))
      << shown["trials"][0]["message"];
}

// A training script in the style of the blog post's: one line per epoch
// with accuracy and loss, from a table per learning rate, then a line that
// only a trial that was not stopped prints.
constexpr char kTrainScript[] = R"py(
import argparse
import time

CURVES = {
    # lr: [(accuracy, loss) per epoch]
    "0.1": [(0.50, 0.90), (0.60, 0.50)],
    "0.2": [(0.60, 0.50), (0.80, 0.20), (ACCURACY_HIT, LOSS_HIT),
            (0.95, 0.01), (0.96, 0.01), (0.97, 0.01)],
    "0.3": [(0.99, 0.001)],
}

parser = argparse.ArgumentParser()
parser.add_argument("--lr", required=True)
args = parser.parse_args()
for epoch, (accuracy, loss) in enumerate(CURVES[args.lr]):
    print(f"epoch={epoch} accuracy={accuracy} loss={loss}", flush=True)
    time.sleep(0.2 if epoch < 2 else 2)
print("finished all epochs", flush=True)
)py";

constexpr char kBlogStudy[] = R"yaml(
---
version: 1
kind: group
name: blog
settings:
  concurrency: 1
  matrix:
    lr:
      values: [0.1, 0.2, 0.3]
  early_stopping:
    - metric: accuracy
      value: 0.9
      optimization: maximize
    - metric: loss
      value: 0.05
      optimization: minimize
run:
  cmd: /usr/bin/python3 train.py --lr={{ lr }}
)yaml";

// Writes the blog study and a script whose lr=0.2 trial reports
// `accuracy_hit` and `loss_hit` at its third epoch.
void WriteBlogStudy(const fs::path& directory, const std::string& accuracy_hit,
                    const std::string& loss_hit) {
  std::string script = kTrainScript;
  script.replace(script.find("ACCURACY_HIT"), 12, accuracy_hit);
  script.replace(script.find("LOSS_HIT"), 8, loss_hit);
  WriteFile(directory / "train.py", script);
  WriteFile(directory / "blog.yml", kBlogStudy);
}

// Checks that the blog study stopped at the third epoch of trial lr=0.2 on
// `metric`, without running lr=0.3 or the rest of lr=0.2.
void ExpectStoppedEarly(const fs::path& directory, const std::string& metric) {
  const nlohmann::json shown = ShowStudy(directory, "blog");
  ASSERT_FALSE(shown.is_discarded());
  EXPECT_EQ(shown["study"]["state"], "STOPPED");
  const std::string reason = shown["study"]["state_reason"].get<std::string>();
  EXPECT_TRUE(Contains(reason, "reported " + metric)) << reason;
  EXPECT_TRUE(Contains(reason, "at step 2")) << reason;

  ASSERT_EQ(shown["trials"].size(), 2u) << shown.dump(2);
  EXPECT_EQ(shown["trials"][0]["state"], "SUCCEEDED");
  EXPECT_EQ(shown["trials"][1]["state"], "STOPPED");
  const std::string output = TrialStdout(directory, "blog", shown["trials"][1]);
  EXPECT_FALSE(Contains(output, "finished all epochs")) << output;
  EXPECT_FALSE(Contains(output, "epoch=3")) << output;
}

TEST(RunStopping, BlogAccuracyThresholdStopsEarly) {
  TempDirectory directory;
  WriteBlogStudy(directory.path(), "0.91", "0.1");

  std::chrono::steady_clock::duration elapsed{};
  const CliResult run = TimedRun(directory.path(), "blog.yml", &elapsed);

  EXPECT_EQ(run.exit_code, 0) << run.err;
  ExpectStoppedEarly(directory.path(), "accuracy");
}

TEST(RunStopping, BlogLossThresholdStopsEarly) {
  TempDirectory directory;
  WriteBlogStudy(directory.path(), "0.85", "0.04");

  std::chrono::steady_clock::duration elapsed{};
  const CliResult run = TimedRun(directory.path(), "blog.yml", &elapsed);

  EXPECT_EQ(run.exit_code, 0) << run.err;
  ExpectStoppedEarly(directory.path(), "loss");
}

}  // namespace
}  // namespace augur
