// A Hyperband study run end to end by `augur run`: the built binary runs a
// shell trial script per trial, and the trials are read back through
// `augur show --format json`.

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "gtest/gtest.h"
#include "tests/client/cli_test_util.h"

namespace augur {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::RunAugur;
using testing::TempDirectory;
using testing::WriteFile;

// The trial script: `sh trial.sh X EPOCHS`. It records the resume variables
// in resume.txt, starts from the epoch count in the parent's checkpoint.txt
// when AUGUR_RESUME_DIR is set (and fails when that file is missing),
// prints `step=N accuracy=V` for the remaining epochs with
// V = X / 100 + N / 1000, and writes its own checkpoint.txt at the end.
constexpr char kTrialScript[] = R"sh(set -eu
x="$1"
epochs="$2"
printf '%s\n' "${AUGUR_RESUME_FROM-unset}" "${AUGUR_RESUME_DIR-unset}" \
  > "$AUGUR_OUTPUT_DIR/resume.txt"
step=0
if [ -n "${AUGUR_RESUME_DIR-}" ]; then
  step=$(cat "$AUGUR_RESUME_DIR/checkpoint.txt")
fi
while [ "$step" -lt "$epochs" ]; do
  awk -v x="$x" -v step="$step" \
    'BEGIN { printf "step=%d accuracy=%.4f\n", step, x / 100 + step / 1000 }'
  step=$((step + 1))
done
echo "$epochs" > "$AUGUR_OUTPUT_DIR/checkpoint.txt"
)sh";

// Hyperband with max_iter 9 and eta 3: 9@1 3@3 1@9, then 5@3 1@9, then 3@9,
// 22 trials in all.
std::string StudyFile(bool resume) {
  return std::string(R"yaml(
kind: group
name: hb-cli
hptuning:
  concurrency: 2
  seed: 11
  hyperband:
    max_iter: 9
    eta: 3
    resource: {name: epochs, type: int}
    metric: {name: accuracy, optimization: maximize}
    resume: )yaml") +
         (resume ? "true" : "false") + R"yaml(
  matrix:
    x: {range: 0:20:1}
run:
  cmd: sh trial.sh {{ x }} {{ epochs }}
)yaml";
}

// Runs the study with `augur run` in `directory` and returns the study as
// `augur show --format json` prints it.
nlohmann::json RunStudy(const fs::path& directory, bool resume) {
  WriteFile(directory / "trial.sh", kTrialScript);
  WriteFile(directory / "hb.yml", StudyFile(resume));

  const CliResult run = RunAugur(directory, "run hb.yml --db test.db");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("22 done"), std::string::npos) << run.err;

  const CliResult show =
      RunAugur(directory, "show hb-cli --db test.db --format json");
  EXPECT_EQ(show.exit_code, 0) << show.err;
  return nlohmann::json::parse(show.out, nullptr, /*allow_exceptions=*/false);
}

fs::path TrialDirectory(const fs::path& directory, int64_t id) {
  return fs::absolute(directory / "augur-runs" / "hb-cli" / std::to_string(id));
}

std::map<int64_t, nlohmann::json> TrialsById(const nlohmann::json& shown) {
  std::map<int64_t, nlohmann::json> trials;
  for (const auto& trial : shown["trials"]) {
    trials[trial["id"].get<int64_t>()] = trial;
  }
  return trials;
}

// Checks the schedule's shape: every trial SUCCEEDED, 9 at 1 epoch, 8 at 3
// and 5 at 9, and each promotion continues its parent's point at a larger
// resource.
void ExpectSchedule(const nlohmann::json& shown) {
  EXPECT_EQ(shown["study"]["state"], "COMPLETED");
  ASSERT_EQ(shown["trials"].size(), 22u);

  const std::map<int64_t, nlohmann::json> trials = TrialsById(shown);
  std::map<int64_t, int> per_resource;
  int promoted = 0;
  for (const auto& [id, trial] : trials) {
    EXPECT_EQ(trial["state"], "SUCCEEDED") << trial.dump();
    const int64_t epochs = trial["parameters"]["epochs"];
    ++per_resource[epochs];
    if (trial["parent_id"].is_null()) continue;

    ++promoted;
    const nlohmann::json& parent = trials.at(trial["parent_id"].get<int64_t>());
    EXPECT_EQ(trial["parameters"]["x"], parent["parameters"]["x"]) << id;
    EXPECT_EQ(epochs, 3 * parent["parameters"]["epochs"].get<int64_t>()) << id;
  }
  EXPECT_EQ(per_resource, (std::map<int64_t, int>{{1, 9}, {3, 8}, {9, 5}}));
  // 3 + 1 promotions in the first bracket, 1 in the second.
  EXPECT_EQ(promoted, 5);
}

TEST(CliHyperband, ResumeExportsParentToPromotedTrials) {
  TempDirectory directory;
  const nlohmann::json shown = RunStudy(directory.path(), /*resume=*/true);
  ASSERT_FALSE(shown.is_discarded());
  ExpectSchedule(shown);

  for (const auto& [id, trial] : TrialsById(shown)) {
    const std::string resume =
        testing::ReadFile(TrialDirectory(directory.path(), id) / "resume.txt");
    const int64_t epochs = trial["parameters"]["epochs"];
    if (trial["parent_id"].is_null()) {
      EXPECT_EQ(resume, "unset\nunset\n") << "trial " << id;
      ASSERT_EQ(trial["measurements"].size(), static_cast<size_t>(epochs));
      EXPECT_EQ(trial["measurements"][0]["step"], 0) << "trial " << id;
      continue;
    }

    // The promoted trial trains only the epochs its parent did not run.
    const int64_t parent_id = trial["parent_id"];
    EXPECT_EQ(resume, std::to_string(parent_id) + "\n" +
                          TrialDirectory(directory.path(), parent_id).string() +
                          "\n")
        << "trial " << id;
    const int64_t parent_epochs = epochs / 3;
    ASSERT_EQ(trial["measurements"].size(),
              static_cast<size_t>(epochs - parent_epochs))
        << "trial " << id;
    EXPECT_EQ(trial["measurements"][0]["step"], parent_epochs)
        << "trial " << id;
  }
}

TEST(CliHyperband, NoResumeStartsPromotedTrialsFresh) {
  TempDirectory directory;
  const nlohmann::json shown = RunStudy(directory.path(), /*resume=*/false);
  ASSERT_FALSE(shown.is_discarded());
  ExpectSchedule(shown);

  for (const auto& [id, trial] : TrialsById(shown)) {
    const std::string resume =
        testing::ReadFile(TrialDirectory(directory.path(), id) / "resume.txt");
    EXPECT_EQ(resume, "unset\nunset\n") << "trial " << id;
    const int64_t epochs = trial["parameters"]["epochs"];
    ASSERT_EQ(trial["measurements"].size(), static_cast<size_t>(epochs))
        << "trial " << id;
    EXPECT_EQ(trial["measurements"][0]["step"], 0) << "trial " << id;
  }
}

TEST(CliHyperband, RunCommandMayNotUseUnknownResource) {
  TempDirectory directory;
  std::string file = StudyFile(/*resume=*/true);
  const std::string placeholder = "{{ epochs }}";
  file.replace(file.find(placeholder), placeholder.size(), "{{ epoch }}");
  WriteFile(directory.path() / "hb.yml", file);

  const CliResult run = RunAugur(directory.path(), "run hb.yml --db test.db");

  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("{{ epoch }}"), std::string::npos) << run.err;
  const size_t known = run.err.find("known");
  ASSERT_NE(known, std::string::npos) << run.err;
  EXPECT_NE(run.err.find("epochs", known), std::string::npos)
      << "the message lists the resource among the known names: " << run.err;
}

}  // namespace
}  // namespace augur
