#include "client/cli/study_compare.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace augur {
namespace {

v1::StudySpec SpecWithMatrix(const std::string& name) {
  v1::StudySpec spec;
  spec.set_name(name);
  spec.set_concurrency(2);
  v1::ParameterSpec* c = spec.add_parameters();
  c->set_name("C");
  c->mutable_linspace()->set_start(0.5);
  c->mutable_linspace()->set_stop(1.5);
  c->mutable_linspace()->set_num(3);
  spec.mutable_metric()->set_name("accuracy");
  spec.mutable_metric()->set_optimization(v1::MAXIMIZE);
  return spec;
}

v1::Study StudyWithBest(const std::string& name, double c,
                        const std::string& kernel) {
  v1::Study study;
  study.set_name(name);
  *study.mutable_spec() = SpecWithMatrix(name);
  v1::Trial* best = study.mutable_best_trial();
  best->set_id(7);
  best->set_objective_value(0.9);
  v1::Parameter* c_parameter = best->add_parameters();
  c_parameter->set_name("C");
  c_parameter->mutable_value()->set_double_value(c);
  if (!kernel.empty()) {
    v1::Parameter* kernel_parameter = best->add_parameters();
    kernel_parameter->set_name("kernel");
    kernel_parameter->mutable_value()->set_string_value(kernel);
  }
  return study;
}

TEST(FlattenStudySpec, UsesDottedPathsAndMatrixNames) {
  v1::StudySpec spec = SpecWithMatrix("a");
  spec.mutable_random_search()->set_n_experiments(10);
  v1::Parameter* fixed = spec.add_params();
  fixed->set_name("epochs");
  fixed->mutable_value()->set_int_value(5);

  const auto settings = FlattenStudySpec(spec);

  EXPECT_EQ(settings.count("name"), 0u);
  EXPECT_EQ(settings.at("concurrency"), "2");
  EXPECT_EQ(settings.at("random_search.n_experiments"), "10");
  EXPECT_EQ(settings.at("metric.name"), "accuracy");
  EXPECT_EQ(settings.at("matrix.C"),
            "linspace start=0.5 stop=1.5 num=3 -> 3 values: 0.5, 1, 1.5");
  EXPECT_EQ(settings.at("params.epochs"), "5");
}

TEST(DifferingBestParameters, ListsChangedAndMissingValues) {
  const std::vector<v1::Study> studies = {StudyWithBest("a", 1.0, "rbf"),
                                          StudyWithBest("b", 1.0, ""),
                                          StudyWithBest("c", 1.5, "rbf")};

  EXPECT_EQ(DifferingBestParameters(studies),
            (std::vector<std::string>{"C", "kernel"}));
}

TEST(DifferingBestParameters, IgnoresStudiesWithoutBestTrial) {
  v1::Study empty;
  empty.set_name("empty");
  const std::vector<v1::Study> studies = {StudyWithBest("a", 1.0, "rbf"), empty,
                                          StudyWithBest("b", 1.0, "rbf")};

  EXPECT_TRUE(DifferingBestParameters(studies).empty());
}

TEST(RenderStudyComparison, MarksDifferencesSideBySide) {
  std::vector<v1::Study> studies = {StudyWithBest("a", 1.0, "rbf"),
                                    StudyWithBest("b", 1.5, "rbf")};
  studies[1].mutable_spec()->set_concurrency(4);
  studies[0].set_budget(3);
  studies[0].set_succeeded_trials(2);

  const std::string text = RenderStudyComparison(studies);

  EXPECT_NE(text.find("trials / budget  2 / 3"), std::string::npos) << text;
  EXPECT_NE(text.find("(* differs: C)"), std::string::npos) << text;
  EXPECT_NE(text.find("C *"), std::string::npos) << text;
  EXPECT_NE(text.find("concurrency  2  4"), std::string::npos) << text;
  EXPECT_EQ(text.find("metric.name"), std::string::npos)
      << "equal settings are left out";
}

}  // namespace
}  // namespace augur
