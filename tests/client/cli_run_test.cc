// `augur run` end to end: the built binary runs real trial processes on a
// temporary directory and database, and the results are read back through
// `augur show --format json`.

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "client/runner/command_template.h"
#include "client/runner/trial_process.h"
#include "gtest/gtest.h"
#include "tests/client/cli_test_util.h"

namespace augur {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::CountTrialsInState;
using testing::ExpectAugurError;
using testing::RunAugur;
using testing::ShowStudy;
using testing::TempDirectory;
using testing::WriteFile;

void CopyQuickExample(const fs::path& to) {
  const fs::path from = fs::path(AUGUR_SOURCE_DIR) / "examples" / "quick";
  fs::copy(from / "polyaxonfile.yml", to / "polyaxonfile.yml");
  fs::copy(from / "quick.sh", to / "quick.sh");
}

TEST(CliRun, QuickExampleEndToEnd) {
  TempDirectory directory;
  CopyQuickExample(directory.path());

  const CliResult run =
      RunAugur(directory.path(), "run polyaxonfile.yml --db test.db");

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("12/12 done"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("best trial"), std::string::npos) << run.out;

  const nlohmann::json shown = ShowStudy(directory.path(), "quick");
  ASSERT_FALSE(shown.is_discarded());
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  ASSERT_EQ(shown["trials"].size(), 12u);
  EXPECT_EQ(CountTrialsInState(shown, "SUCCEEDED"), 12);

  const nlohmann::json& best = shown["trials"][0];
  EXPECT_EQ(best["parameters"]["x"], 1);
  EXPECT_DOUBLE_EQ(best["parameters"]["y"].get<double>(), 0.5);
  EXPECT_NEAR(best["objective_value"].get<double>(), 1.0 / 3, 1e-6);
  EXPECT_EQ(shown["study"]["best_trial_id"], best["id"]);
  ASSERT_EQ(best["measurements"].size(), 3u);
  EXPECT_EQ(best["measurements"][2]["step"], 2);

  const fs::path trial_directory = directory.path() / "augur-runs" / "quick" /
                                   std::to_string(best["id"].get<int64_t>());
  EXPECT_EQ(testing::ReadFile(trial_directory / "stdout.log"),
            "step=0 loss=1.000000\nstep=1 loss=0.500000\nstep=2 loss=0.333333\n");
  EXPECT_TRUE(fs::exists(trial_directory / "stderr.log"));
}

TEST(CliRun, CompletedStudyRunsNoMoreTrials) {
  TempDirectory directory;
  CopyQuickExample(directory.path());
  ASSERT_EQ(RunAugur(directory.path(), "run polyaxonfile.yml --db test.db")
                .exit_code,
            0);

  const CliResult again =
      RunAugur(directory.path(), "run polyaxonfile.yml --db test.db");

  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("continuing study quick"), std::string::npos)
      << again.err;
  EXPECT_EQ(ShowStudy(directory.path(), "quick")["trials"].size(), 12u);
}

TEST(CliRun, FailedTrialKeepsExitStatusAndStderr) {
  TempDirectory directory;
  WriteFile(directory.path() / "fail.yml", R"yaml(
kind: group
hptuning:
  matrix:
    code: {values: [3, 0]}
run:
  cmd: echo first >&2; echo "broken {{ code }}" >&2; exit {{ code }}
)yaml");

  const CliResult run = RunAugur(directory.path(), "run fail.yml --db test.db");

  EXPECT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json shown = ShowStudy(directory.path(), "fail");
  ASSERT_EQ(shown["trials"].size(), 2u);
  for (const auto& trial : shown["trials"]) {
    if (trial["parameters"]["code"] == 3) {
      EXPECT_EQ(trial["state"], "FAILED");
      const std::string message = trial["message"];
      EXPECT_NE(message.find("exit status 3"), std::string::npos) << message;
      EXPECT_NE(message.find("first\nbroken 3"), std::string::npos) << message;
    } else {
      EXPECT_EQ(trial["state"], "SUCCEEDED");
    }
  }
}

TEST(CliRun, ParameterValuesCannotInjectShell) {
  TempDirectory directory;
  WriteFile(directory.path() / "inject.yml", R"yaml(
kind: group
hptuning:
  matrix:
    value:
      values: ["a; touch injected1", "$(touch injected2)", "`touch injected3`",
               "x' ; touch injected4 ; '", "plain"]
run:
  cmd: printf 'value=%s\n' {{ value }} > "$AUGUR_OUTPUT_DIR/value.txt"
)yaml");

  const CliResult run =
      RunAugur(directory.path(), "run inject.yml --db test.db");

  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json shown = ShowStudy(directory.path(), "inject");
  EXPECT_EQ(CountTrialsInState(shown, "SUCCEEDED"), 5);
  for (const char* name : {"injected1", "injected2", "injected3", "injected4"}) {
    EXPECT_FALSE(fs::exists(directory.path() / name)) << name;
  }
  for (const auto& trial : shown["trials"]) {
    const fs::path file = directory.path() / "augur-runs" / "inject" /
                          std::to_string(trial["id"].get<int64_t>()) /
                          "value.txt";
    EXPECT_EQ(testing::ReadFile(file),
              "value=" + trial["parameters"]["value"].get<std::string>() + "\n");
  }
}

TEST(CliRun, ExportsTrialEnvironment) {
  TempDirectory directory;
  WriteFile(directory.path() / "env.yml", R"yaml(
kind: group
name: env-study
hptuning:
  matrix:
    lr: {values: [0.5]}
    act: {values: [relu]}
params:
  epochs: 3
run:
  cmd: >-
    printf '%s\n' "$AUGUR_PARAMS" "$POLYAXON_PARAMS" "$AUGUR_TRIAL_ID"
    "$AUGUR_STUDY" "$AUGUR_OUTPUT_DIR" "$PYTHONUNBUFFERED" "$PWD"
    "${AUGUR_RESUME_FROM-unset}" {{ epochs }} > env.txt;
    test -n "$AUGUR_ADDRESS"
)yaml");

  const CliResult run = RunAugur(directory.path(), "run env.yml --db test.db");

  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json shown = ShowStudy(directory.path(), "env-study");
  ASSERT_EQ(shown["trials"].size(), 1u);
  const int64_t id = shown["trials"][0]["id"];
  EXPECT_EQ(shown["trials"][0]["state"], "SUCCEEDED");

  // run.cmd runs in the study file's directory.
  const std::string lines = testing::ReadFile(directory.path() / "env.txt");
  const std::string params = R"json({"lr": 0.5, "act": "relu", "epochs": 3})json";
  const fs::path output =
      fs::absolute(directory.path() / "augur-runs" / "env-study" /
                   std::to_string(id));
  EXPECT_EQ(lines, params + "\n" + params + "\n" + std::to_string(id) +
                       "\nenv-study\n" + output.string() + "\n1\n" +
                       directory.path().string() + "\nunset\n3\n");
}

TEST(CliRun, StopDecisionStopsTrials) {
  TempDirectory directory;
  WriteFile(directory.path() / "stop.yml", R"yaml(
kind: group
hptuning:
  concurrency: 2
  metric: {name: loss, optimization: minimize}
  early_stopping:
    - {metric: loss, value: 1, optimization: minimize}
  matrix:
    x: {values: [1, 5]}
run:
  cmd: echo loss={{ x }}; sleep 20; echo never
)yaml");

  const auto start = std::chrono::steady_clock::now();
  const CliResult run = RunAugur(directory.path(),
                                 "run stop.yml --db test.db --stop-grace 2");
  const auto elapsed = std::chrono::steady_clock::now() - start;

  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_LT(elapsed, std::chrono::seconds(15));
  const nlohmann::json shown = ShowStudy(directory.path(), "stop");
  EXPECT_EQ(shown["study"]["state"], "STOPPED");
  ASSERT_EQ(shown["trials"].size(), 2u);
  EXPECT_EQ(CountTrialsInState(shown, "STOPPED"), 2) << shown.dump(2);
  for (const auto& trial : shown["trials"]) {
    const fs::path log = directory.path() / "augur-runs" / "stop" /
                         std::to_string(trial["id"].get<int64_t>()) /
                         "stdout.log";
    EXPECT_EQ(testing::ReadFile(log).find("never"), std::string::npos);
  }
}

// Starts `augur run` as a background process and waits until `count`
// trials have written their stdout.log.
std::unique_ptr<TrialProcess> StartRunInBackground(const fs::path& directory,
                                                   const std::string& study,
                                                   int count) {
  TrialProcessOptions options;
  options.command = "exec " + ShellQuote(AUGUR_CLI_PATH) +
                    " run " + study + ".yml --db test.db --stop-grace 2";
  options.working_directory = directory.string();
  options.stdout_path = (directory / "runner.out").string();
  options.stderr_path = (directory / "runner.err").string();
  auto process = TrialProcess::Start(options);
  EXPECT_TRUE(process.ok()) << process.status();
  if (!process.ok()) return nullptr;

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    (*process)->ReadLines();
    int started = 0;
    const fs::path runs = directory / "augur-runs" / study;
    if (fs::exists(runs)) {
      for (const auto& entry : fs::directory_iterator(runs)) {
        started += fs::exists(entry.path() / "started");
      }
    }
    if (started >= count) return *std::move(process);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "trials did not start: "
                << testing::ReadFile(directory / "runner.err");
  return nullptr;
}

ExitStatus WaitForExit(TrialProcess& process) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    process.ReadLines();
    if (auto status = process.TryWait()) return *status;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "augur run did not exit";
  return ExitStatus{};
}

constexpr char kSlowStudy[] = R"yaml(
kind: group
hptuning:
  concurrency: 2
  matrix:
    x: {values: [1, 2, 3, 4]}
run:
  cmd: >-
    echo $$ > "$AUGUR_OUTPUT_DIR/pid"; touch "$AUGUR_OUTPUT_DIR/started";
    test -e fast || sleep 30
)yaml";

// Kills the process groups of the trials a killed runner left behind.
void KillLeftoverTrials(const fs::path& runs) {
  for (const auto& entry : fs::directory_iterator(runs)) {
    const std::string pid = testing::ReadFile(entry.path() / "pid");
    if (!pid.empty()) kill(-std::stoi(pid), SIGKILL);
  }
}

TEST(CliRun, InterruptMarksTrialsFailedAndResumes) {
  TempDirectory directory;
  WriteFile(directory.path() / "slow.yml", kSlowStudy);
  auto runner = StartRunInBackground(directory.path(), "slow", 2);
  ASSERT_NE(runner, nullptr);

  kill(runner->pid(), SIGINT);
  const ExitStatus exit = WaitForExit(*runner);

  EXPECT_EQ(exit.exit_code, 130)
      << testing::ReadFile(directory.path() / "runner.err");
  nlohmann::json shown = ShowStudy(directory.path(), "slow");
  EXPECT_EQ(shown["study"]["state"], "ACTIVE");
  ASSERT_EQ(shown["trials"].size(), 2u);
  for (const auto& trial : shown["trials"]) {
    EXPECT_EQ(trial["state"], "FAILED");
    EXPECT_EQ(trial["message"], "runner interrupted");
  }

  // A new run continues the study with the two points left.
  WriteFile(directory.path() / "fast", "");
  const CliResult again = RunAugur(directory.path(), "run slow.yml --db test.db");

  EXPECT_EQ(again.exit_code, 0) << again.err;
  shown = ShowStudy(directory.path(), "slow");
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  EXPECT_EQ(CountTrialsInState(shown, "FAILED"), 2);
  EXPECT_EQ(CountTrialsInState(shown, "SUCCEEDED"), 2);
}

TEST(CliRun, RestartFailsTrialsLeftActive) {
  TempDirectory directory;
  WriteFile(directory.path() / "slow.yml", kSlowStudy);
  auto runner = StartRunInBackground(directory.path(), "slow", 2);
  ASSERT_NE(runner, nullptr);

  // SIGKILL leaves no chance to clean up: both trials stay ACTIVE.
  kill(runner->pid(), SIGKILL);
  WaitForExit(*runner);
  KillLeftoverTrials(directory.path() / "augur-runs" / "slow");
  WriteFile(directory.path() / "fast", "");
  const CliResult run = RunAugur(directory.path(), "run slow.yml --db test.db");

  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("runner restarted"), std::string::npos) << run.err;
  const nlohmann::json shown = ShowStudy(directory.path(), "slow");
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  EXPECT_EQ(CountTrialsInState(shown, "FAILED"), 2);
  EXPECT_EQ(CountTrialsInState(shown, "SUCCEEDED"), 2);
  for (const auto& trial : shown["trials"]) {
    if (trial["state"] == "FAILED") {
      EXPECT_EQ(trial["message"], "runner restarted");
    }
  }
}

TEST(CliRun, StoppedStudyStopsRunningTrials) {
  TempDirectory directory;
  // One trial reports on stdout (the stop comes back from ReportMetric), the
  // other stays silent (the runner's study check stops it).
  WriteFile(directory.path() / "halt.yml", R"yaml(
kind: group
hptuning:
  concurrency: 2
  matrix:
    verbose: {values: [1, 0]}
run:
  cmd: >-
    touch "$AUGUR_OUTPUT_DIR/started";
    i=0; while [ $i -lt 300 ]; do
    [ {{ verbose }} = 1 ] && echo "loss=$i"; sleep 0.1; i=$((i+1)); done
)yaml");
  auto runner = StartRunInBackground(directory.path(), "halt", 2);
  ASSERT_NE(runner, nullptr);

  const auto start = std::chrono::steady_clock::now();
  const CliResult stop = RunAugur(directory.path(),
                                  "stop halt --db test.db --reason 'enough'");
  const ExitStatus exit = WaitForExit(*runner);

  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_EQ(exit.exit_code, 0)
      << testing::ReadFile(directory.path() / "runner.err");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  const nlohmann::json shown = ShowStudy(directory.path(), "halt");
  EXPECT_EQ(shown["study"]["state"], "STOPPED");
  EXPECT_EQ(CountTrialsInState(shown, "STOPPED"), 2) << shown.dump(2);
}

TEST(CliRun, InvalidFileNamesTheProblem) {
  TempDirectory directory;
  WriteFile(directory.path() / "bad.yml", R"yaml(
kind: group
hptuning:
  matrix:
    lr: {values: [0.1], linspace: 0:1:3}
run:
  cmd: echo {{ lr }}
)yaml");

  const CliResult run = RunAugur(directory.path(), "run bad.yml --db test.db");

  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("bad.yml"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("lr"), std::string::npos) << run.err;
}

TEST(CliRun, UnknownPlaceholderIsAnError) {
  TempDirectory directory;
  WriteFile(directory.path() / "typo.yml", R"yaml(
kind: group
hptuning:
  matrix:
    lr: {values: [0.1]}
run:
  cmd: echo {{ learning_rate }}
)yaml");

  ExpectAugurError(directory.path(), "run typo.yml --db test.db",
                   "learning_rate");
}

TEST(CliRun, MissingFileIsAnError) {
  TempDirectory directory;

  ExpectAugurError(directory.path(), "run missing.yml --db test.db",
                   "missing.yml");
}

}  // namespace
}  // namespace augur
