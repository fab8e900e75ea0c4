#include "client/cli/validate_report.h"

#include <string>

#include "core/spec/polyaxonfile.h"
#include "gtest/gtest.h"

namespace augur {
namespace {

std::string Summary(const std::string& yaml) {
  auto file = LoadPolyaxonfile(yaml, "stem");
  EXPECT_TRUE(file.ok()) << file.status();
  if (!file.ok()) return "";
  auto config = StudyConfig::Create(file->spec);
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? RenderStudyFileSummary(*config) : "";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RenderStudyFileSummary, ListsGridValuesAndSize) {
  const std::string text = Summary(R"yaml(
kind: group
hptuning:
  matrix:
    lr: {logspace: -4:-1:4}
    units: {range: 10:600:50}
    kernel: {values: [rbf, linear]}
run:
  cmd: train --lr {{ lr }}
)yaml");

  EXPECT_TRUE(Contains(text, "study:       stem\n")) << text;
  EXPECT_TRUE(Contains(text, "algorithm:   grid_search (whole grid)")) << text;
  EXPECT_TRUE(Contains(
      text,
      "start=-4.0 stop=-1.0 num=4 base=10.0 -> 4 values: 0.0001, 0.001, "
      "0.01, 0.1"))
      << text;
  EXPECT_TRUE(Contains(text, "12 values: 10, 60, 110, 160, 210, ..., 560"))
      << text;
  EXPECT_TRUE(Contains(text, "2 values: rbf, linear")) << text;
  EXPECT_TRUE(Contains(text, "space:       96 grid points")) << text;
  EXPECT_TRUE(Contains(text, "budget:      96 trials")) << text;
  EXPECT_TRUE(Contains(text, "objective:   none")) << text;
  EXPECT_TRUE(Contains(text, "run.cmd:     train --lr {{ lr }}")) << text;
}

TEST(RenderStudyFileSummary, DescribesDistributions) {
  const std::string text = Summary(R"yaml(
kind: group
name: rs
hptuning:
  seed: 3
  random_search: {n_experiments: 20}
  metric: {name: loss, optimization: minimize}
  matrix:
    lr: {loguniform: [-9, -2]}
    act: {pvalues: [[relu, 0.2], [tanh, 0.8]]}
)yaml");

  EXPECT_TRUE(Contains(text, "random_search (n_experiments=20)")) << text;
  EXPECT_TRUE(Contains(text, "loguniform  low=-9.0 high=-2.0, continuous"))
      << text;
  EXPECT_TRUE(Contains(text, "draws one of relu (p=0.2), tanh (p=0.8)"))
      << text;
  EXPECT_TRUE(Contains(text, "space:       continuous (loguniform lr)"))
      << text;
  EXPECT_TRUE(Contains(text, "seed:        3")) << text;
  EXPECT_TRUE(Contains(text, "objective:   minimize loss")) << text;
}

TEST(RenderStudyFileSummary, ShowsHyperbandBrackets) {
  const std::string text = Summary(R"yaml(
kind: group
hptuning:
  hyperband:
    max_iter: 81
    eta: 3
    resource: {name: epochs, type: int}
    metric: {name: loss, optimization: minimize}
  matrix:
    lr: {uniform: [0, 1]}
)yaml");

  EXPECT_TRUE(Contains(text, "bracket s=4: 81@1 27@3 9@9 3@27 1@81")) << text;
  EXPECT_TRUE(Contains(text, "bracket s=0: 5@81")) << text;
  EXPECT_TRUE(Contains(text, "budget:      206 trials over all brackets"))
      << text;
}

TEST(SpaceSizeText, CountsDistinctPointsOfPValues) {
  v1::ParameterSpec spec;
  spec.set_name("act");
  for (const char* value : {"relu", "tanh"}) {
    auto* entry = spec.mutable_pvalues()->add_entries();
    entry->mutable_value()->set_string_value(value);
    entry->set_probability(0.5);
  }
  google::protobuf::RepeatedPtrField<v1::ParameterSpec> specs;
  *specs.Add() = spec;
  auto space = SearchSpace::Create(specs);
  ASSERT_TRUE(space.ok()) << space.status();

  EXPECT_EQ(SpaceSizeText(*space),
            "2 distinct points (not a grid: pvalues draws its values)");
}

}  // namespace
}  // namespace augur
