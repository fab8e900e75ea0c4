#include "core/study_config.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/test_util.h"

namespace augur {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kMatrix[] = R"pb(
  name: "study"
  parameters {
    name: "lr"
    values { values { double_value: 0.1 } values { double_value: 0.01 } }
  }
  parameters {
    name: "layers"
    range { start: 1 stop: 4 step: 1 integer: true }
  }
)pb";

absl::StatusOr<StudyConfig> Create(const std::string& extra) {
  return StudyConfig::Create(ParseStudy(std::string(kMatrix) + extra));
}

// Returns the error message of Create(extra), or "" when it is valid.
std::string CreateError(const std::string& extra) {
  const absl::StatusOr<StudyConfig> config = Create(extra);
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(config.status().message());
}

TEST(StudyConfig, GridByDefault) {
  const absl::StatusOr<StudyConfig> config = Create("");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->algorithm(), AlgorithmKind::kGrid);
  EXPECT_EQ(config->initial_budget(), 6);
  EXPECT_EQ(config->concurrency(), 1);
  EXPECT_FALSE(config->objective().has_value());
  EXPECT_TRUE(config->declared_metrics().empty());
  EXPECT_TRUE(config->notes().empty());
}

TEST(StudyConfig, GridBudgetTruncatedToNExperiments) {
  EXPECT_EQ(Create("grid_search { n_experiments: 4 }")->initial_budget(), 4);
  EXPECT_EQ(Create("grid_search { n_experiments: 40 }")->initial_budget(), 6);
}

TEST(StudyConfig, GridRejectsDistributions) {
  const std::string error = CreateError(
      "parameters { name: 'dropout' uniform { low: 0 high: 0.5 } } grid_search {}");
  EXPECT_THAT(error, HasSubstr("matrix.dropout: grid search cannot enumerate uniform"));
  EXPECT_THAT(CreateError("parameters { name: 'act' pvalues { entries { value { string_value: "
                          "'a' } probability: 1 } } }"),
              HasSubstr("matrix.act: grid search cannot enumerate pvalues"));
}

TEST(StudyConfig, GridTooLargeNeedsNExperiments) {
  std::string matrix = "name: 's' ";
  for (int i = 0; i < 7; ++i) {
    matrix += "parameters { name: 'p" + std::to_string(i) +
              "' range { start: 0 stop: 1000 step: 1 integer: true } } ";
  }
  const absl::StatusOr<StudyConfig> whole = StudyConfig::Create(ParseStudy(matrix));
  ASSERT_FALSE(whole.ok());
  EXPECT_THAT(whole.status().message(), HasSubstr("set grid_search.n_experiments"));

  const absl::StatusOr<StudyConfig> truncated =
      StudyConfig::Create(ParseStudy(matrix + "grid_search { n_experiments: 10 }"));
  ASSERT_TRUE(truncated.ok()) << truncated.status();
  EXPECT_EQ(truncated->initial_budget(), 10);
}

TEST(StudyConfig, RandomNeedsNExperiments) {
  EXPECT_THAT(CreateError("random_search {}"),
              HasSubstr("random_search.n_experiments is 0"));
  EXPECT_THAT(CreateError("random_search { n_experiments: -3 }"),
              HasSubstr("random_search.n_experiments is -3"));
}

TEST(StudyConfig, RandomCappedAtDistinctPointsWithNote) {
  const absl::StatusOr<StudyConfig> config = Create("random_search { n_experiments: 50 }");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->initial_budget(), 6);
  EXPECT_THAT(config->notes(), ElementsAre("random_search.n_experiments 50 capped at 6, the "
                                           "number of distinct points"));
}

TEST(StudyConfig, RandomCapCountsDuplicatesOnce) {
  const absl::StatusOr<StudyConfig> config = StudyConfig::Create(ParseStudy(R"pb(
    name: "s"
    parameters {
      name: "a"
      values {
        values { int_value: 1 }
        values { int_value: 1 }
        values { int_value: 2 }
        values { int_value: 2 }
      }
    }
    random_search { n_experiments: 10 }
  )pb"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->initial_budget(), 2);
  EXPECT_THAT(config->notes(),
              ElementsAre("random_search.n_experiments 10 capped at 2, the number of distinct "
                          "points"));
}

TEST(StudyConfig, RandomNotCappedInContinuousSpace) {
  const absl::StatusOr<StudyConfig> config =
      Create("parameters { name: 'd' uniform { low: 0 high: 1 } } "
             "random_search { n_experiments: 50 }");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->initial_budget(), 50);
  EXPECT_TRUE(config->notes().empty());
}

TEST(StudyConfig, MetricBecomesObjective) {
  const absl::StatusOr<StudyConfig> config =
      Create("metric { name: 'loss' optimization: MINIMIZE } metrics: 'accuracy' "
             "early_stopping { metric: 'accuracy' value: 0.99 optimization: MAXIMIZE } "
             "metrics: 'loss'");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->objective().has_value());
  EXPECT_EQ(config->objective()->name, "loss");
  EXPECT_FALSE(config->objective()->maximize);
  EXPECT_THAT(config->declared_metrics(), ElementsAre("loss", "accuracy"));
}

TEST(StudyConfig, MetricNeedsNameAndOptimization) {
  EXPECT_THAT(CreateError("metric { optimization: MAXIMIZE }"),
              HasSubstr("metric.name is missing"));
  EXPECT_THAT(CreateError("metric { name: 'loss' }"),
              HasSubstr("metric.optimization is missing for metric loss"));
  EXPECT_THAT(CreateError("metrics: ''"), HasSubstr("metrics[0] is empty"));
}

TEST(StudyConfig, HyperbandValidation) {
  const std::string valid_tail =
      " resource { name: 'epochs' type: INT } metric { name: 'acc' optimization: MAXIMIZE } }";
  const absl::StatusOr<StudyConfig> config =
      Create("hyperband { max_iter: 81 eta: 3" + valid_tail);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->algorithm(), AlgorithmKind::kHyperband);
  EXPECT_EQ(config->objective()->name, "acc");
  EXPECT_EQ(config->initial_budget(), 0);

  EXPECT_THAT(CreateError("hyperband { max_iter: 81 eta: 1" + valid_tail),
              HasSubstr("hyperband.eta is 1.0; eta must be greater than 1"));
  EXPECT_THAT(CreateError("hyperband { max_iter: 0 eta: 3" + valid_tail),
              HasSubstr("hyperband.max_iter is 0.0"));
  EXPECT_THAT(CreateError("hyperband { max_iter: 81 eta: 3 metric { name: 'acc' optimization: "
                          "MAXIMIZE } }"),
              HasSubstr("hyperband.resource.name is missing"));
  EXPECT_THAT(CreateError("hyperband { max_iter: 81 eta: 3 resource { name: 'lr' } "
                          "metric { name: 'acc' optimization: MAXIMIZE } }"),
              HasSubstr("hyperband.resource.name lr is also a matrix parameter"));
  EXPECT_THAT(CreateError("hyperband { max_iter: 81 eta: 3 resource { name: 'epochs' } }"),
              HasSubstr("hyperband.metric.name is missing"));
  EXPECT_THAT(CreateError("hyperband { max_iter: 81 eta: 3 resource { name: 'epochs' } "
                          "metric { name: 'acc' } }"),
              HasSubstr("hyperband.metric.optimization is missing"));
}

TEST(StudyConfig, HyperbandMetricMustMatchStudyMetric) {
  EXPECT_THAT(CreateError("hyperband { max_iter: 9 eta: 3 resource { name: 'epochs' } "
                          "metric { name: 'acc' optimization: MAXIMIZE } } "
                          "metric { name: 'loss' optimization: MINIMIZE }"),
              HasSubstr("metric loss differs from hyperband.metric acc"));
}

TEST(StudyConfig, BayesianValidation) {
  const std::string metric = " metric { name: 'acc' optimization: MAXIMIZE }";
  const absl::StatusOr<StudyConfig> config =
      Create("bo { n_initial_trials: 3 n_iterations: 10" + metric + " }");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->algorithm(), AlgorithmKind::kBayesian);
  EXPECT_EQ(config->initial_budget(), 6);
  EXPECT_THAT(config->notes(), ElementsAre(HasSubstr("capped at 6")));

  EXPECT_THAT(CreateError("bo { n_initial_trials: 1 n_iterations: 10" + metric + " }"),
              HasSubstr("bo.n_initial_trials is 1; it must be at least 2"));
  EXPECT_THAT(CreateError("bo { n_initial_trials: 3 n_iterations: -1" + metric + " }"),
              HasSubstr("bo.n_iterations is -1"));
  EXPECT_THAT(CreateError("bo { n_initial_trials: 3 n_iterations: 5 }"),
              HasSubstr("bo.metric.name is missing"));
  EXPECT_THAT(CreateError("parameters { name: 'd' normal { loc: 0 scale: 1 } } "
                          "bo { n_initial_trials: 3 n_iterations: 5" + metric + " }"),
              HasSubstr("matrix.d: normal is not supported by bo"));
  EXPECT_THAT(CreateError("parameters { name: 'a' pvalues { entries { value { int_value: 1 } "
                          "probability: 1 } } } bo { n_initial_trials: 3 n_iterations: 5" +
                          metric + " }"),
              HasSubstr("matrix.a: pvalues is not supported by bo"));
  EXPECT_EQ(CreateError("parameters { name: 'd' qloguniform { low: 0 high: 3 q: 1 } } "
                        "bo { n_initial_trials: 3 n_iterations: 5" + metric + " }"),
            "");
}

TEST(StudyConfig, BayesianUtilityFunction) {
  const std::string head = "bo { n_initial_trials: 3 n_iterations: 5 metric { name: 'acc' "
                           "optimization: MAXIMIZE } utility_function { ";
  EXPECT_EQ(CreateError(head + "} }"), "");
  EXPECT_EQ(CreateError(head + "acquisition_function: UCB kappa: 2.576 } }"), "");
  EXPECT_THAT(CreateError(head + "acquisition_function: UCB } }"),
              HasSubstr("bo.utility_function.kappa is missing; ucb needs kappa"));
  EXPECT_THAT(CreateError(head + "acquisition_function: EI } }"),
              HasSubstr("bo.utility_function.eps is missing; ei and poi need eps"));
  EXPECT_THAT(CreateError(head + "acquisition_function: POI } }"),
              HasSubstr("bo.utility_function.eps is missing"));
  EXPECT_EQ(CreateError(head + "acquisition_function: EI eps: 0.01 } }"), "");
  EXPECT_THAT(CreateError(head + "acquisition_function: UCB kappa: -1 } }"),
              HasSubstr("bo.utility_function.kappa is -1.0"));
  EXPECT_THAT(CreateError(head + "gaussian_process { nu: 0 } } }"),
              HasSubstr("gaussian_process.nu is 0.0"));
  EXPECT_THAT(CreateError(head + "gaussian_process { length_scale: -1 } } }"),
              HasSubstr("gaussian_process.length_scale is -1.0"));
  EXPECT_THAT(CreateError(head + "gaussian_process { n_restarts_optimizer: -1 } } }"),
              HasSubstr("n_restarts_optimizer is -1"));
  EXPECT_THAT(CreateError(head + "n_warmup: 0 } }"),
              HasSubstr("bo.utility_function.n_warmup is 0"));
  EXPECT_EQ(CreateError(head + "gaussian_process { kernel: MATERN nu: 1.9 } } }"), "");
}

TEST(StudyConfig, EarlyStoppingValidation) {
  EXPECT_THAT(CreateError("early_stopping { value: 0.9 optimization: MAXIMIZE }"),
              HasSubstr("early_stopping[0].metric is missing"));
  EXPECT_THAT(CreateError("early_stopping { metric: 'acc' value: 0.9 optimization: MAXIMIZE } "
                          "early_stopping { metric: 'loss' value: 0.1 }"),
              HasSubstr("early_stopping[1].optimization is missing for metric loss"));
  EXPECT_THAT(CreateError("early_stopping { metric: 'acc' value: inf optimization: MAXIMIZE }"),
              HasSubstr("early_stopping[0].value is inf"));
  EXPECT_THAT(CreateError("early_stopping { metric: 'acc' value: 1 optimization: MAXIMIZE "
                          "policy { median { evaluation_interval: -1 min_interval: 1 "
                          "min_samples: 1 } } }"),
              HasSubstr("early_stopping[0].policy.median.evaluation_interval is -1"));
}

TEST(StudyConfig, StoppingPolicyValidation) {
  const std::string metric = "metric { name: 'loss' optimization: MINIMIZE } ";
  EXPECT_EQ(CreateError(metric + "stopping_policy { truncation { percent: 25 "
                                 "evaluation_interval: 1 min_interval: 5 min_samples: 3 } }"),
            "");
  EXPECT_THAT(CreateError("stopping_policy { median { evaluation_interval: 1 min_interval: 1 "
                          "min_samples: 1 } }"),
              HasSubstr("stopping_policy applies to the study's metric, and the study has none"));
  EXPECT_THAT(CreateError(metric + "stopping_policy { truncation { percent: 0 "
                                   "evaluation_interval: 1 min_interval: 1 min_samples: 1 } }"),
              HasSubstr("stopping_policy.truncation.percent is 0.0"));
  EXPECT_THAT(CreateError(metric + "stopping_policy { truncation { percent: 120 "
                                   "evaluation_interval: 1 min_interval: 1 min_samples: 1 } }"),
              HasSubstr("stopping_policy.truncation.percent is 120.0"));
  EXPECT_EQ(CreateError(metric + "stopping_policy { diff { percent: 150 "
                                 "evaluation_interval: 1 min_interval: 1 min_samples: 1 } }"),
            "");
  // Unset interval keys read as 0 and take their defaults later.
  EXPECT_EQ(CreateError(metric + "stopping_policy { median { evaluation_interval: 2 } }"), "");
  EXPECT_THAT(CreateError(metric + "stopping_policy { median { evaluation_interval: 2 "
                                   "min_interval: -1 min_samples: 1 } }"),
              HasSubstr("stopping_policy.median.min_interval is -1"));
  EXPECT_THAT(CreateError(metric + "stopping_policy { diff { percent: 10 "
                                   "evaluation_interval: -2 min_interval: 1 min_samples: 0 } }"),
              HasSubstr("stopping_policy.diff.evaluation_interval is -2"));
}

TEST(StudyConfig, SettingsValidation) {
  EXPECT_THAT(CreateError("concurrency: -1"), HasSubstr("concurrency is -1"));
  EXPECT_EQ(Create("concurrency: 4")->concurrency(), 4);
  EXPECT_THAT(CreateError("trial_timeout_seconds: 0"), HasSubstr("trial_timeout is 0.0"));
  EXPECT_EQ(CreateError("trial_timeout_seconds: 30"), "");
  EXPECT_THAT(CreateError("max_failed_trials: 0"), HasSubstr("max_failed_trials is 0"));
  EXPECT_THAT(CreateError("runner: KUBERNETES"), HasSubstr("run.image is missing"));
  EXPECT_EQ(CreateError("runner: KUBERNETES run { image: 'trainer:1' }"), "");
}

TEST(StudyConfig, NameRequired) {
  v1::StudySpec spec = ParseStudy(kMatrix);
  spec.clear_name();
  EXPECT_THAT(StudyConfig::Create(spec).status().message(), HasSubstr("name is missing"));
}

TEST(StudyConfig, ParamsMustNotClashWithMatrix) {
  EXPECT_THAT(CreateError("params { name: 'lr' value { double_value: 0.5 } }"),
              HasSubstr("params.lr: the name is also a matrix parameter"));
  EXPECT_THAT(CreateError("params { name: 'seed' value { int_value: 1 } } "
                          "params { name: 'seed' value { int_value: 2 } }"),
              HasSubstr("params.seed: declared twice"));
  EXPECT_THAT(CreateError("params { name: 'opt' }"), HasSubstr("params.opt: the value is empty"));
  EXPECT_THAT(CreateError("hyperband { max_iter: 9 eta: 3 resource { name: 'epochs' } "
                          "metric { name: 'acc' optimization: MAXIMIZE } } "
                          "params { name: 'epochs' value { int_value: 3 } }"),
              HasSubstr("params.epochs: the name is also the hyperband resource"));
}

TEST(StudyConfig, CmdPlaceholdersMustBeKnown) {
  EXPECT_EQ(CreateError("params { name: 'data' value { string_value: '/d' } } "
                        "run { cmd: 'train --lr={{ lr }} --layers={{layers}} --data {{ data }}' }"),
            "");
  const std::string error = CreateError("run { cmd: 'train --lr={{ learning_rate }}' }");
  EXPECT_THAT(error, HasSubstr("run.cmd: the placeholder {{ learning_rate }} names no matrix "
                               "parameter"));
  EXPECT_THAT(error, HasSubstr("known names: layers, lr"));
  EXPECT_THAT(CreateError("run { cmd: 'train --lr={{ lr' }"), HasSubstr("no closing }}"));
  EXPECT_THAT(CreateError("run { cmd: 'train {{}}' }"), HasSubstr("is empty"));
  EXPECT_EQ(CreateError("hyperband { max_iter: 9 eta: 3 resource { name: 'epochs' } "
                        "metric { name: 'acc' optimization: MAXIMIZE } } "
                        "run { cmd: 'train --epochs={{ epochs }}' }"),
            "");
}

TEST(StudyConfig, InvalidParameterNamesIt) {
  EXPECT_THAT(CreateError("parameters { name: 'wd' linspace { start: 1 stop: 0 num: 3 } }"),
              HasSubstr("matrix.wd: linspace start 1.0 must be less than stop 0.0"));
}

}  // namespace
}  // namespace augur
