// Reviewing, restarting and resuming studies through the built `augur`
// binary: validate, show --where/--sort, add, restart, resume and compare
// against real trial processes on a temporary database.

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "tests/client/cli_test_util.h"

namespace augur {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::RunAugur;
using testing::TempDirectory;
using testing::WriteFile;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

nlohmann::json ShowJson(const fs::path& directory, const std::string& args) {
  const CliResult show =
      RunAugur(directory, "show " + args + " --db test.db --format json");
  EXPECT_EQ(show.exit_code, 0) << show.err;
  return nlohmann::json::parse(show.out, nullptr, /*allow_exceptions=*/false);
}

std::vector<int64_t> TrialIds(const nlohmann::json& shown) {
  std::vector<int64_t> ids;
  for (const auto& trial : shown["trials"])
    ids.push_back(trial["id"].get<int64_t>());
  return ids;
}

// How many trials of `shown` hold each value of parameter x.
std::map<int64_t, int> CountPoints(const nlohmann::json& shown) {
  std::map<int64_t, int> counts;
  for (const auto& trial : shown["trials"])
    ++counts[trial["parameters"]["x"].get<int64_t>()];
  return counts;
}

// Returns the cells after `label` on the first table line that starts with
// it, joined by " | " (cells are separated by two or more spaces).
std::string Cells(const std::string& text, const std::string& label) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(label + "  ", 0) != 0) continue;
    std::string rest = line.substr(label.size());
    std::string cells;
    size_t i = rest.find_first_not_of(' ');
    while (i != std::string::npos) {
      size_t end = rest.find("  ", i);
      if (!cells.empty()) cells += " | ";
      cells += rest.substr(
          i, end == std::string::npos ? std::string::npos : end - i);
      i = end == std::string::npos ? end : rest.find_first_not_of(' ', end);
    }
    return cells;
  }
  return "no line starts with " + label;
}

int CountState(const nlohmann::json& shown, const std::string& state) {
  int count = 0;
  for (const auto& trial : shown["trials"]) count += trial["state"] == state;
  return count;
}

// Six trials; x = 1 never reports acc, so filters and sorts meet a missing
// metric. Final values: loss 0.5 / 0.2 / 0.3 and acc none / 0.22 / 0.33 for
// x = 1 / 2 / 3, each x once with kernel rbf (odd ids) and once linear.
constexpr char kMixedStudy[] = R"yaml(
kind: group
name: mixed
hptuning:
  metric: {name: loss, optimization: minimize}
  metrics: [acc]
  matrix:
    x: {values: [1, 2, 3]}
    kernel: {values: [rbf, linear]}
run:
  cmd: >-
    echo step=0 loss={{ x }};
    if [ {{ x }} -gt 1 ]; then echo step=1 loss=0.{{ x }} acc=0.{{ x }}{{ x }};
    else echo step=1 loss=0.5; fi
)yaml";

class CliShowQuery : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(directory_.path() / "mixed.yml", kMixedStudy);
    const CliResult run =
        RunAugur(directory_.path(), "run mixed.yml --db test.db");
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }

  TempDirectory directory_;
};

TEST_F(CliShowQuery, WhereSkipsTrialsWithoutMetric) {
  const nlohmann::json above =
      ShowJson(directory_.path(), "mixed --where 'acc > 0.25'");
  const nlohmann::json rbf = ShowJson(
      directory_.path(), "mixed --where 'acc > 0.1 and kernel == rbf'");
  const nlohmann::json no_acc =
      ShowJson(directory_.path(), "mixed --where 'acc != 0.22'");
  const nlohmann::json loss =
      ShowJson(directory_.path(), "mixed --where 'loss<0.4, x >= 2'");

  EXPECT_EQ(TrialIds(above), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(TrialIds(rbf), (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(TrialIds(no_acc), (std::vector<int64_t>{5, 6}))
      << "trials 1 and 2 lack acc";
  EXPECT_EQ(TrialIds(loss), (std::vector<int64_t>{3, 4, 5, 6}));
  EXPECT_EQ(above["study"]["trial_counts"]["succeeded"], 6)
      << "the summary covers every trial";
}

TEST_F(CliShowQuery, SortPutsMissingMetricLast) {
  const CliResult csv = RunAugur(
      directory_.path(), "show mixed --db test.db --format csv --sort -acc");
  const nlohmann::json by_kernel =
      ShowJson(directory_.path(), "mixed --sort kernel,-x");

  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out,
            "trial,state,x,kernel,acc,loss,objective,message\n"
            "5,SUCCEEDED,3,rbf,0.33,0.3,0.3,\n"
            "6,SUCCEEDED,3,linear,0.33,0.3,0.3,\n"
            "3,SUCCEEDED,2,rbf,0.22,0.2,0.2,\n"
            "4,SUCCEEDED,2,linear,0.22,0.2,0.2,\n"
            "1,SUCCEEDED,1,rbf,,0.5,0.5,\n"
            "2,SUCCEEDED,1,linear,,0.5,0.5,\n");
  EXPECT_EQ(TrialIds(by_kernel), (std::vector<int64_t>{6, 4, 2, 5, 3, 1}));
}

TEST_F(CliShowQuery, CsvRowPerMeasurement) {
  const CliResult rows =
      RunAugur(directory_.path(),
               "show mixed --db test.db --format csv --csv-rows measurement "
               "--where 'id <= 3' --sort id");

  ASSERT_EQ(rows.exit_code, 0) << rows.err;
  EXPECT_EQ(rows.out,
            "trial,state,x,kernel,step,acc,loss\n"
            "1,SUCCEEDED,1,rbf,0,,1.0\n"
            "1,SUCCEEDED,1,rbf,1,,0.5\n"
            "2,SUCCEEDED,1,linear,0,,1.0\n"
            "2,SUCCEEDED,1,linear,1,,0.5\n"
            "3,SUCCEEDED,2,rbf,0,,2.0\n"
            "3,SUCCEEDED,2,rbf,1,0.22,0.2\n");
  EXPECT_TRUE(Contains(rows.err, "3 of 6 trials match --where id <= 3"))
      << rows.err;
}

TEST_F(CliShowQuery, BadExpressionNamesToken) {
  const CliResult unknown = RunAugur(
      directory_.path(), "show mixed --db test.db --where 'accuracy > 0.9'");
  const CliResult bad_sort =
      RunAugur(directory_.path(), "show mixed --db test.db --sort -speed");

  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(Contains(unknown.err,
                       "\"accuracy\": unknown key; use one of state, id, "
                       "objective, x, kernel, loss, acc"))
      << unknown.err;
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(bad_sort.exit_code, 1);
  EXPECT_TRUE(Contains(bad_sort.err, "--sort: at position 1 \"speed\""))
      << bad_sort.err;
}

// --- validate ----------------------------------------------------------------

TEST(CliValidate, PrintsStudyWithoutRunning) {
  TempDirectory directory;
  WriteFile(directory.path() / "study.yml", kMixedStudy);

  const CliResult result = RunAugur(directory.path(), "validate study.yml");

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Contains(result.out, "study:       mixed\n")) << result.out;
  EXPECT_TRUE(Contains(result.out, "objective:   minimize loss\n"))
      << result.out;
  EXPECT_TRUE(Contains(result.out, "x       values  3 values: 1, 2, 3"))
      << result.out;
  EXPECT_TRUE(Contains(result.out, "kernel  values  2 values: rbf, linear"))
      << result.out;
  EXPECT_TRUE(Contains(result.out, "space:       6 grid points\n"))
      << result.out;
  EXPECT_TRUE(Contains(result.out, "study.yml is valid\n")) << result.out;
  EXPECT_FALSE(fs::exists(directory.path() / "augur.db"))
      << "validate creates no database";
  EXPECT_FALSE(fs::exists(directory.path() / "augur-runs"))
      << "validate runs no trial";
}

TEST(CliValidate, InvalidFileExitsTwoWithLine) {
  TempDirectory directory;
  WriteFile(directory.path() / "bad.yml", R"yaml(kind: group
hptuning:
  concurrency: 2
  matrix:
    lr: {linspace: 1:0:5}
)yaml");
  WriteFile(directory.path() / "typo.yml", R"yaml(kind: group
hptuning:
  concurency: 2
  matrix:
    lr: {values: [1]}
)yaml");

  const CliResult bad = RunAugur(directory.path(), "validate bad.yml");
  const CliResult typo = RunAugur(directory.path(), "validate typo.yml");
  const CliResult missing = RunAugur(directory.path(), "validate missing.yml");

  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(Contains(bad.err, "bad.yml: line 5")) << bad.err;
  EXPECT_TRUE(Contains(bad.err, "lr")) << bad.err;
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_TRUE(Contains(typo.err, "line 3")) << typo.err;
  EXPECT_TRUE(Contains(typo.err, "concurency")) << typo.err;
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(Contains(missing.err, "cannot read the study file missing.yml"))
      << missing.err;
}

// --- add, restart, resume
// --------------------------------------------------------

// Records AUGUR_RESUME_FROM of each trial in its output directory.
constexpr char kResumeStudy[] = R"yaml(
kind: group
name: grid
hptuning:
  metric: {name: loss, optimization: minimize}
  matrix:
    x: {values: [1, 2, 3, 4]}
run:
  cmd: >-
    echo "${AUGUR_RESUME_FROM:-none}" > "$AUGUR_OUTPUT_DIR/resume_from";
    echo loss={{ x }}
)yaml";

TEST(CliAdd, QueuedAndImportedPointsRunOnce) {
  TempDirectory directory;
  WriteFile(directory.path() / "grid.yml", kResumeStudy);
  ASSERT_EQ(
      RunAugur(directory.path(), "create grid.yml --db test.db").exit_code, 0);

  const CliResult imported =
      RunAugur(directory.path(),
               "add grid --db test.db --param x=3 --import --metric loss=0.5");
  const CliResult queued =
      RunAugur(directory.path(), "add grid --db test.db --param x=2");
  const CliResult outside =
      RunAugur(directory.path(), "add grid --db test.db --param x=9");
  const CliResult metric_without_import = RunAugur(
      directory.path(), "add grid --db test.db --param x=1 --metric loss=1");
  const CliResult run = RunAugur(directory.path(), "run grid.yml --db test.db");

  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out,
            "imported trial 1 into study grid as SUCCEEDED: x=3 -> loss=0.5\n");
  ASSERT_EQ(queued.exit_code, 0) << queued.err;
  EXPECT_EQ(queued.out, "queued trial 2 in study grid as PENDING: x=2\n");
  EXPECT_EQ(outside.exit_code, 1);
  EXPECT_TRUE(Contains(outside.err, "value 9")) << outside.err;
  EXPECT_NE(metric_without_import.exit_code, 0);
  ASSERT_EQ(run.exit_code, 0) << run.err;

  const nlohmann::json shown = ShowJson(directory.path(), "grid --sort id");
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  EXPECT_EQ(CountPoints(shown),
            (std::map<int64_t, int>{{1, 1}, {2, 1}, {3, 1}, {4, 1}}));
  EXPECT_EQ(shown["trials"][1]["parameters"]["x"], 2)
      << "the queued trial keeps its id";
  EXPECT_EQ(shown["trials"][1]["state"], "SUCCEEDED");
  EXPECT_EQ(shown["study"]["best_trial_id"], 1)
      << "the imported loss 0.5 is the best";
  EXPECT_FALSE(fs::exists(directory.path() / "augur-runs" / "grid" / "1"))
      << "an imported trial never runs";
}

TEST(CliRestart, ResumeFlagReachesTrialEnvironment) {
  TempDirectory directory;
  WriteFile(directory.path() / "grid.yml", kResumeStudy);
  ASSERT_EQ(RunAugur(directory.path(), "run grid.yml --db test.db").exit_code,
            0);

  const CliResult resumed =
      RunAugur(directory.path(), "restart 2 --resume --db test.db");
  const CliResult fresh = RunAugur(directory.path(), "restart 3 --db test.db");
  const CliResult active = RunAugur(directory.path(), "restart 5 --db test.db");
  const CliResult run = RunAugur(directory.path(), "resume grid --db test.db");

  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(resumed.out,
            "queued trial 5 in study grid as PENDING: restarts trial 2 (x=2), "
            "resuming from "
            "its checkpoint\n");
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_TRUE(Contains(fresh.out, "restarts trial 3 (x=3), starting fresh"))
      << fresh.out;
  EXPECT_EQ(active.exit_code, 1) << "trial 5 has not ended yet";
  EXPECT_TRUE(Contains(active.err, "PENDING")) << active.err;
  ASSERT_EQ(run.exit_code, 0) << run.err;

  const fs::path runs = directory.path() / "augur-runs" / "grid";
  EXPECT_EQ(testing::ReadFile(runs / "5" / "resume_from"), "2\n");
  EXPECT_EQ(testing::ReadFile(runs / "6" / "resume_from"), "none\n");
  EXPECT_EQ(testing::ReadFile(runs / "2" / "resume_from"), "none\n");
  const nlohmann::json shown =
      ShowJson(directory.path(), "grid --where 'id >= 5' --sort id");
  ASSERT_EQ(shown["trials"].size(), 2u);
  EXPECT_EQ(shown["trials"][0]["parent_id"], 2);
  EXPECT_EQ(shown["trials"][0]["resume_from_parent"], true);
  EXPECT_EQ(shown["trials"][0]["state"], "SUCCEEDED");
  EXPECT_EQ(shown["trials"][1]["parent_id"], 3);
  EXPECT_EQ(shown["trials"][1]["resume_from_parent"], false);
}

// Trials wait until the file `fast` exists, so that a run can be
// interrupted while they are running.
constexpr char kSlowStudy[] = R"yaml(
kind: group
name: slow
hptuning:
  concurrency: 2
  matrix:
    x: {values: [1, 2, 3, 4, 5, 6]}
run:
  cmd: >-
    touch "$AUGUR_OUTPUT_DIR/started";
    test -e fast || sleep 30
)yaml";

// Waits until `count` trials of study `study` have created their `started`
// file.
bool WaitForStartedTrials(const fs::path& directory, const std::string& study,
                          int count) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const fs::path runs = directory / "augur-runs" / study;
  while (std::chrono::steady_clock::now() < deadline) {
    int started = 0;
    if (fs::exists(runs)) {
      for (const auto& entry : fs::directory_iterator(runs)) {
        started += fs::exists(entry.path() / "started");
      }
    }
    if (started >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(CliResume, InterruptedRunRunsEachPointOnce) {
  TempDirectory directory;
  WriteFile(directory.path() / "slow.yml", kSlowStudy);
  auto first = testing::StartAugur(directory.path(),
                                   "run slow.yml --db test.db --stop-grace 2");
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(WaitForStartedTrials(directory.path(), "slow", 2))
      << testing::ReadFile(directory.path() / "augur.err");

  kill(first->pid(), SIGINT);
  const ExitStatus interrupted = testing::WaitForAugur(*first);
  WriteFile(directory.path() / "fast", "");
  const CliResult again =
      RunAugur(directory.path(), "run slow.yml --db test.db");

  EXPECT_EQ(interrupted.exit_code, 130);
  EXPECT_TRUE(Contains(testing::ReadFile(directory.path() / "augur.err"),
                       "augur resume slow"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const nlohmann::json shown = ShowJson(directory.path(), "slow");
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  EXPECT_EQ(
      CountPoints(shown),
      (std::map<int64_t, int>{{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}, {6, 1}}))
      << "a FAILED trial's point counts as suggested, so it is not retried";
  EXPECT_EQ(CountState(shown, "FAILED"), 2);
  EXPECT_EQ(CountState(shown, "SUCCEEDED"), 4);
  for (const auto& trial : shown["trials"]) {
    if (trial["state"] == "FAILED") {
      EXPECT_EQ(trial["message"], "runner interrupted");
    }
  }
}

TEST(CliResume, StoppedStudyResumesWithLargerBudget) {
  TempDirectory directory;
  fs::create_directories(directory.path() / "project");
  WriteFile(directory.path() / "project" / "grid.yml", R"yaml(
kind: group
name: grid
hptuning:
  grid_search: {n_experiments: 2}
  metric: {name: loss, optimization: minimize}
  matrix:
    x: {values: [1, 2, 3, 4]}
run:
  cmd: test -e marker && echo loss={{ x }}
)yaml");
  WriteFile(directory.path() / "project" / "marker", "");
  ASSERT_EQ(
      RunAugur(directory.path(), "run project/grid.yml --db test.db").exit_code,
      0);

  const CliResult same_budget =
      RunAugur(directory.path(), "resume grid --db test.db --budget 2");
  const CliResult no_run = RunAugur(
      directory.path(), "resume grid --db test.db --budget 3 --no-run");
  const CliResult stop = RunAugur(directory.path(), "stop grid --db test.db");
  const CliResult run_stopped =
      RunAugur(directory.path(), "run project/grid.yml --db test.db");
  const CliResult resumed =
      RunAugur(directory.path(),
               "resume grid --db test.db --budget 4 --workdir project");
  const CliResult unknown =
      RunAugur(directory.path(), "resume nosuch --db test.db");

  EXPECT_EQ(same_budget.exit_code, 1);
  EXPECT_TRUE(Contains(same_budget.err, "budget 2 must be larger than 2"))
      << same_budget.err;
  ASSERT_EQ(no_run.exit_code, 0) << no_run.err;
  EXPECT_TRUE(Contains(no_run.out, "study grid is ACTIVE")) << no_run.out;
  ASSERT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_TRUE(Contains(run_stopped.err, "`augur resume grid` reopens it"))
      << run_stopped.err;
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(unknown.exit_code, 1);

  const nlohmann::json shown = ShowJson(directory.path(), "grid");
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  EXPECT_EQ(shown["study"]["budget"], 4);
  EXPECT_EQ(CountState(shown, "SUCCEEDED"), 4)
      << "run.cmd found marker in --workdir";
  EXPECT_EQ(CountPoints(shown),
            (std::map<int64_t, int>{{1, 1}, {2, 1}, {3, 1}, {4, 1}}));
}

// --- compare -----------------------------------------------------------------

TEST(CliCompare, ShowsDifferingParametersAndSettings) {
  TempDirectory directory;
  WriteFile(directory.path() / "a.yml", R"yaml(
kind: group
hptuning:
  metric: {name: loss, optimization: minimize}
  matrix:
    x: {values: [1, 2, 3]}
    y: {values: [5]}
run:
  cmd: echo loss={{ x }}
)yaml");
  WriteFile(directory.path() / "b.yml", R"yaml(
kind: group
hptuning:
  concurrency: 2
  metric: {name: loss, optimization: minimize}
  matrix:
    x: {values: [2, 3]}
    y: {values: [5]}
run:
  cmd: echo loss={{ x }}
)yaml");
  ASSERT_EQ(RunAugur(directory.path(), "run a.yml --db test.db").exit_code, 0);
  ASSERT_EQ(RunAugur(directory.path(), "run b.yml --db test.db").exit_code, 0);

  const CliResult compare =
      RunAugur(directory.path(), "compare a b --db test.db");
  const CliResult one = RunAugur(directory.path(), "compare a --db test.db");
  const CliResult unknown =
      RunAugur(directory.path(), "compare a c --db test.db");

  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_EQ(Cells(compare.out, "trials / budget"), "3 / 3 | 2 / 2")
      << compare.out;
  EXPECT_EQ(Cells(compare.out, "best trial"), "1 | 4") << compare.out;
  EXPECT_EQ(Cells(compare.out, "best value"), "1 | 2") << compare.out;
  EXPECT_TRUE(Contains(compare.out, "(* differs: x)")) << compare.out;
  EXPECT_EQ(Cells(compare.out, "x *"), "1 | 2") << compare.out;
  EXPECT_EQ(Cells(compare.out, "y"), "5 | 5") << compare.out;
  EXPECT_EQ(Cells(compare.out, "concurrency"), "0 | 2") << compare.out;
  EXPECT_EQ(Cells(compare.out, "matrix.x"),
            "values 3 values: 1, 2, 3 | values 2 values: 2, 3")
      << compare.out;
  EXPECT_FALSE(Contains(compare.out, "matrix.y")) << compare.out;
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(Contains(unknown.err, "c")) << unknown.err;
}

}  // namespace
}  // namespace augur
