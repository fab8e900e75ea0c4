// Loads every study file under examples/ the way `augur run` does, so that an
// example that stops validating fails the build's tests.
//
// AUGUR_EXAMPLES_DIR, set by CMake, is the absolute path of examples/. A study
// file is any file under it whose name starts with "polyaxonfile" and ends in
// .yml or .yaml. Files for the Kubernetes runner are loaded too: validating
// one needs no cluster.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "augur/v1/augur.pb.h"
#include "core/space/parameter.h"
#include "core/space/search_space.h"
#include "core/space/value.h"
#include "core/spec/polyaxonfile.h"
#include "core/study_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#ifndef AUGUR_EXAMPLES_DIR
#error "AUGUR_EXAMPLES_DIR must name the examples/ directory"
#endif

namespace augur {
namespace {

namespace fs = std::filesystem;

const fs::path& ExamplesDir() {
  static const fs::path* const dir = new fs::path(AUGUR_EXAMPLES_DIR);
  return *dir;
}

bool IsStudyFile(const fs::path& path) {
  const std::string name = path.filename().string();
  const std::string extension = path.extension().string();
  return name.rfind("polyaxonfile", 0) == 0 &&
         (extension == ".yml" || extension == ".yaml");
}

// Returns the study files under examples/, relative to it, sorted.
std::vector<std::string> StudyFiles() {
  std::vector<std::string> files;
  for (const fs::directory_entry& entry :
       fs::recursive_directory_iterator(ExamplesDir())) {
    if (entry.is_regular_file() && IsStudyFile(entry.path())) {
      files.push_back(entry.path().lexically_relative(ExamplesDir()).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<StudyFile> LoadExample(const std::string& relative) {
  const fs::path path = ExamplesDir() / relative;
  return LoadPolyaxonfile(ReadFile(path), path.stem().string());
}

// The algorithm that a directory's name announces.
const std::map<std::string, AlgorithmKind>& AlgorithmByDirectoryName() {
  static const auto* const algorithms = new std::map<std::string, AlgorithmKind>{
      {"grid", AlgorithmKind::kGrid},
      {"random", AlgorithmKind::kRandom},
      {"early_stopping", AlgorithmKind::kRandom},
      {"hyperband", AlgorithmKind::kHyperband},
      {"bo", AlgorithmKind::kBayesian},
      // Examples named after their data rather than their algorithm.
      {"digits", AlgorithmKind::kRandom},
      {"quick", AlgorithmKind::kGrid},
  };
  return *algorithms;
}

// Returns the algorithm announced by the nearest directory of `relative`
// that AlgorithmByDirectoryName lists, or nullopt.
std::optional<AlgorithmKind> ExpectedAlgorithm(const std::string& relative) {
  const fs::path path(relative);
  std::vector<std::string> directories;
  for (const fs::path& part : path.parent_path()) {
    directories.push_back(part.string());
  }
  for (auto it = directories.rbegin(); it != directories.rend(); ++it) {
    const auto found = AlgorithmByDirectoryName().find(*it);
    if (found != AlgorithmByDirectoryName().end()) return found->second;
  }
  return std::nullopt;
}

const char* AlgorithmName(AlgorithmKind kind) {
  switch (kind) {
    case AlgorithmKind::kGrid:
      return "grid";
    case AlgorithmKind::kRandom:
      return "random";
    case AlgorithmKind::kHyperband:
      return "hyperband";
    case AlgorithmKind::kBayesian:
      return "bo";
  }
  return "unknown";
}

std::vector<double> NumericValues(const Parameter& parameter) {
  std::vector<double> values;
  for (int64_t i = 0; i < parameter.size(); ++i) {
    values.push_back(std::get<double>(parameter.ValueAt(i)));
  }
  return values;
}

TEST(Examples, FindsTheBlogExamples) {
  const std::vector<std::string> files = StudyFiles();

  for (const char* name : {"blog/grid/polyaxonfile.yml",
                           "blog/random/polyaxonfile.yml",
                           "blog/hyperband/polyaxonfile.yml",
                           "blog/bo/polyaxonfile.yml",
                           "blog/early_stopping/polyaxonfile.yml"}) {
    EXPECT_THAT(files, ::testing::Contains(name))
        << "missing under " << ExamplesDir();
  }
}

TEST(Examples, EveryStudyFileLoads) {
  const std::vector<std::string> files = StudyFiles();
  ASSERT_FALSE(files.empty()) << "no study file under " << ExamplesDir();

  for (const std::string& relative : files) {
    SCOPED_TRACE(relative);
    const absl::StatusOr<StudyFile> file = LoadExample(relative);
    EXPECT_TRUE(file.ok()) << file.status();
  }
}

TEST(Examples, EveryStudyFileHasExpectedAlgorithm) {
  for (const std::string& relative : StudyFiles()) {
    SCOPED_TRACE(relative);
    const std::optional<AlgorithmKind> expected = ExpectedAlgorithm(relative);
    ASSERT_TRUE(expected.has_value())
        << "no directory of " << relative
        << " names an algorithm; add the directory to "
           "AlgorithmByDirectoryName in this test";

    const absl::StatusOr<StudyFile> file = LoadExample(relative);
    ASSERT_TRUE(file.ok()) << file.status();
    const absl::StatusOr<StudyConfig> config = StudyConfig::Create(file->spec);
    ASSERT_TRUE(config.ok()) << config.status();
    EXPECT_EQ(config->algorithm(), *expected)
        << "the file's algorithm is " << AlgorithmName(config->algorithm())
        << ", its directory names " << AlgorithmName(*expected);
  }
}

TEST(Examples, BlogExamplesUseSettingsLayout) {
  for (const std::string& relative : StudyFiles()) {
    if (relative.rfind("blog/", 0) != 0) continue;
    SCOPED_TRACE(relative);

    const std::string text = ReadFile(ExamplesDir() / relative);
    EXPECT_NE(text.find("\nsettings:\n"), std::string::npos);
    EXPECT_EQ(text.find("\nhptuning:"), std::string::npos);
  }
}

TEST(Examples, BlogEarlyStoppingHasBothThresholds) {
  const absl::StatusOr<StudyFile> file =
      LoadExample("blog/early_stopping/polyaxonfile.yml");
  ASSERT_TRUE(file.ok()) << file.status();
  const auto& rules = file->spec.early_stopping();
  ASSERT_EQ(rules.size(), 2);

  EXPECT_EQ(rules[0].metric(), "accuracy");
  EXPECT_DOUBLE_EQ(rules[0].value(), 0.9);
  EXPECT_EQ(rules[0].optimization(), v1::MAXIMIZE);
  EXPECT_EQ(rules[1].metric(), "loss");
  EXPECT_DOUBLE_EQ(rules[1].value(), 0.05);
  EXPECT_EQ(rules[1].optimization(), v1::MINIMIZE);
}

TEST(Examples, BlogHyperbandInjectsIntResource) {
  const absl::StatusOr<StudyFile> file =
      LoadExample("blog/hyperband/polyaxonfile.yml");
  ASSERT_TRUE(file.ok()) << file.status();
  const v1::Hyperband& hyperband = file->spec.hyperband();

  EXPECT_DOUBLE_EQ(hyperband.max_iter(), 81);
  EXPECT_DOUBLE_EQ(hyperband.eta(), 3);
  EXPECT_EQ(hyperband.resource().name(), "num_steps");
  EXPECT_EQ(hyperband.resource().type(), v1::Hyperband::INT);
  EXPECT_NE(file->spec.run().cmd().find("{{ num_steps }}"), std::string::npos);
}

// The blog's `logspace: 0.01:0.1:5` takes start and stop as exponents of 10,
// so it spans 10^0.01 to 10^0.1, about 1.023 to 1.259.
TEST(Examples, BlogLogspaceSpansPowersOfTenNearOne) {
  const absl::StatusOr<StudyFile> file =
      LoadExample("blog/grid/polyaxonfile.yml");
  ASSERT_TRUE(file.ok()) << file.status();
  const absl::StatusOr<SearchSpace> space =
      SearchSpace::Create(file->spec.parameters());
  ASSERT_TRUE(space.ok()) << space.status();
  ASSERT_EQ(space->IndexOf("lr"), 0);

  const std::vector<double> lr = NumericValues(space->parameters()[0]);
  ASSERT_EQ(lr.size(), 5u);
  for (size_t i = 0; i < lr.size(); ++i) {
    EXPECT_NEAR(lr[i], std::pow(10.0, 0.01 + 0.0225 * i), 1e-12) << "i=" << i;
  }
  EXPECT_NEAR(lr.front(), 1.0233, 1e-4);
  EXPECT_NEAR(lr.back(), 1.2589, 1e-4);
}

TEST(Examples, BlogEarlyStoppingLogspaceSpansHundredthToTenth) {
  const absl::StatusOr<StudyFile> file =
      LoadExample("blog/early_stopping/polyaxonfile.yml");
  ASSERT_TRUE(file.ok()) << file.status();
  const absl::StatusOr<SearchSpace> space =
      SearchSpace::Create(file->spec.parameters());
  ASSERT_TRUE(space.ok()) << space.status();
  ASSERT_EQ(space->IndexOf("lr"), 0);

  const std::vector<double> lr = NumericValues(space->parameters()[0]);
  ASSERT_EQ(lr.size(), 5u);
  EXPECT_NEAR(lr[0], 0.01, 1e-15);
  EXPECT_NEAR(lr[2], std::sqrt(10.0) / 100.0, 1e-15);
  EXPECT_NEAR(lr[4], 0.1, 1e-15);
}

}  // namespace
}  // namespace augur
