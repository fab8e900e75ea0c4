#include <string>
#include <string_view>

#include "core/spec/polyaxonfile.h"
#include "core/study_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace augur {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Drops the newline after R"( so that the YAML's first line is line 1.
std::string Yaml(std::string_view text) {
  if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  return std::string(text);
}

std::string LoadError(const std::string& text) {
  const absl::StatusOr<StudyFile> file = LoadPolyaxonfile(text, "study");
  EXPECT_FALSE(file.ok()) << "loaded without error:\n" << text;
  if (file.ok()) return "";
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(file.status().message());
}

TEST(LoadPolyaxonfile, AcceptsQuickStartFile) {
  const std::string text = Yaml(R"(
---
version: 1
kind: group
hptuning:
  concurrency: 5
  random_search:
    n_experiments: 10
  matrix:
    learning_rate:
      linspace: 0.001:0.1:5
    dropout:
      values: [0.25, 0.3]
    conv_activation:
      pvalues: [[relu, 0.2], [sigmoid, 0.8]]
    epochs:
      values: [5, 10]
build:
  image: tensorflow/tensorflow:1.4.1-py3
  build_steps:
    - pip3 install --no-cache-dir -U polyaxon-client
run:
  cmd: python3 model.py --learning_rate={{ learning_rate }} --dropout={{ dropout }} --conv_activation={{ conv_activation }} --epochs={{ epochs }}
)");
  const absl::StatusOr<StudyFile> file = LoadPolyaxonfile(text, "quick-start");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->spec.name(), "quick-start");
  EXPECT_EQ(file->spec.parameters_size(), 4);

  const absl::StatusOr<StudyConfig> config = StudyConfig::Create(file->spec);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->algorithm(), AlgorithmKind::kRandom);
}

// The blog post's `logspace: 0.01:0.1:5` is valid: start and stop are
// exponents, so it spans about 1.023 to 1.259.
TEST(LoadPolyaxonfile, AcceptsBlogPostSettingsFile) {
  const std::string text = Yaml(R"(
version: 1
kind: group
settings:
  concurrency: 2
  random_search:
    n_experiments: 5
  matrix:
    lr:
      logspace: 0.01:0.1:5
    activation:
      values: [relu, sigmoid]
run:
  cmd: python3 train.py --lr={{ lr }} --activation={{ activation }}
)");
  const absl::StatusOr<StudyFile> file = LoadPolyaxonfile(text, "blog");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->spec.parameters(0).logspace().start(), 0.01);
  EXPECT_EQ(file->spec.parameters(0).logspace().num(), 5);
}

TEST(LoadPolyaxonfile, PassesParseErrorsThrough) {
  const std::string error =
      LoadError("hptuning:\n  matrix: {a: {values: [1]}}\n  seeds: 3\n");
  EXPECT_THAT(error, StartsWith("line 3: seeds: unknown key"));
}

TEST(LoadPolyaxonfile, AddsLineToMatrixError) {
  const std::string error = LoadError(Yaml(R"(
hptuning:
  matrix:
    units: {values: [16, 32]}
    lr:
      range: 5:1:1
)"));
  EXPECT_THAT(error, StartsWith("line 4: matrix.lr: "));
}

TEST(LoadPolyaxonfile, AddsLineToPValuesSumError) {
  const std::string error = LoadError(Yaml(R"(
hptuning:
  random_search: {n_experiments: 4}
  matrix:
    activation:
      pvalues: [[relu, 0.1], [sigmoid, 0.8]]
)"));
  EXPECT_THAT(error, StartsWith("line 4: matrix.activation: "));
  EXPECT_THAT(error, HasSubstr("sum"));
}

TEST(LoadPolyaxonfile, AddsLineToAlgorithmError) {
  const std::string error = LoadError(Yaml(R"(
hptuning:
  matrix: {lr: {uniform: [0, 1]}}
  hyperband:
    max_iter: 81
    eta: 1
    resource: {name: epochs, type: int}
    metric: {name: loss, optimization: minimize}
)"));
  EXPECT_THAT(error, StartsWith("line 5: hyperband.eta "));
}

TEST(LoadPolyaxonfile, AddsLineOfNearestRecordedKey) {
  const std::string error = LoadError(Yaml(R"(
hptuning:
  matrix: {lr: {uniform: [0, 1]}}
  random_search: {n_experiments: 3}
  early_stopping:
    - {metric: loss, value: 0.1, optimization: minimize}
    - {metric: accuracy, value: 0.9}
)"));
  EXPECT_THAT(error, StartsWith("line 6: early_stopping[1]"));
}

TEST(LoadPolyaxonfile, AddsLineToGridSearchError) {
  const std::string error = LoadError(Yaml(R"(
kind: group
hptuning:
  matrix:
    lr: {values: [0.1, 0.01]}
    momentum:
      uniform: [0, 1]
)"));
  EXPECT_THAT(error, StartsWith("line 5: matrix.momentum: "));
}

TEST(LoadPolyaxonfile, AddsLineToDeclarationError) {
  const std::string error = LoadError(Yaml(R"(
hptuning:
  matrix: {lr: {values: [0.1]}}
declarations:
  batch_size: 64
run:
  cmd: python train.py --lr={{ lr }} --batch={{ batch }}
)"));
  EXPECT_THAT(error, StartsWith("line 6: run.cmd"));
}

}  // namespace
}  // namespace augur
