// The --where filter and --sort order of `augur show`, on trials where some
// metrics are missing.

#include "client/cli/trial_query.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace augur {
namespace {

v1::Value IntValue(int64_t value) {
  v1::Value proto;
  proto.set_int_value(value);
  return proto;
}

v1::Value DoubleValue(double value) {
  v1::Value proto;
  proto.set_double_value(value);
  return proto;
}

v1::Value StringValue(const std::string& value) {
  v1::Value proto;
  proto.set_string_value(value);
  return proto;
}

struct TrialData {
  int64_t id;
  v1::TrialState state;
  double lr;
  std::string kernel;
  // Negative means the trial never reported the metric.
  double accuracy;
  double loss;
};

v1::Trial MakeTrial(const TrialData& data) {
  v1::Trial trial;
  trial.set_id(data.id);
  trial.set_state(data.state);
  v1::Parameter* lr = trial.add_parameters();
  lr->set_name("lr");
  *lr->mutable_value() = DoubleValue(data.lr);
  v1::Parameter* kernel = trial.add_parameters();
  kernel->set_name("kernel");
  *kernel->mutable_value() = StringValue(data.kernel);
  v1::Parameter* layers = trial.add_parameters();
  layers->set_name("layers");
  *layers->mutable_value() = IntValue(data.id % 3);
  if (data.accuracy >= 0) {
    v1::Metric* metric = trial.add_latest_metrics();
    metric->set_name("accuracy");
    metric->set_value(data.accuracy);
    trial.set_objective_value(data.accuracy);
  }
  if (data.loss >= 0) {
    v1::Metric* metric = trial.add_latest_metrics();
    metric->set_name("loss");
    metric->set_value(data.loss);
  }
  return trial;
}

// Trials 1..5: 3 lacks accuracy, 4 lacks loss, 5 is PENDING with neither.
class TrialQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    study_.set_name("svm");
    study_.mutable_spec()->mutable_metric()->set_name("accuracy");
    study_.mutable_spec()->mutable_metric()->set_optimization(v1::MAXIMIZE);
    study_.mutable_spec()->add_metrics("loss");
    for (const TrialData& data : std::vector<TrialData>{
             {1, v1::SUCCEEDED, 0.1, "rbf", 0.91, 0.30},
             {2, v1::SUCCEEDED, 0.01, "linear", 0.85, 0.40},
             {3, v1::FAILED, 0.001, "rbf", -1, 0.90},
             {4, v1::SUCCEEDED, 0.01, "rbf", 0.95, -1},
             {5, v1::PENDING, 0.1, "poly", -1, -1},
         }) {
      trials_.push_back(MakeTrial(data));
    }
    names_ = CollectTrialKeyNames(study_, trials_);
  }

  // Returns the ids of the trials that `where` keeps, in order.
  std::vector<int64_t> Filter(const std::string& where) {
    auto conditions = ParseTrialFilter(where, names_);
    EXPECT_TRUE(conditions.ok()) << conditions.status();
    std::vector<int64_t> ids;
    if (!conditions.ok()) return ids;
    for (const v1::Trial& trial : trials_) {
      if (MatchesFilter(trial, *conditions, study_.spec()))
        ids.push_back(trial.id());
    }
    return ids;
  }

  // Returns the ids in the order `sort` gives.
  std::vector<int64_t> Sort(const std::string& sort) {
    auto keys = ParseTrialSort(sort, names_);
    EXPECT_TRUE(keys.ok()) << keys.status();
    std::vector<v1::Trial> sorted = trials_;
    if (keys.ok()) SortTrials(sorted, *keys, study_.spec());
    std::vector<int64_t> ids;
    for (const v1::Trial& trial : sorted) ids.push_back(trial.id());
    return ids;
  }

  std::string FilterError(const std::string& where) {
    auto conditions = ParseTrialFilter(where, names_);
    EXPECT_FALSE(conditions.ok()) << where;
    return std::string(conditions.status().message());
  }

  v1::Study study_;
  std::vector<v1::Trial> trials_;
  TrialKeyNames names_;
};

TEST_F(TrialQueryTest, CollectsNamesFromSpecAndTrials) {
  EXPECT_EQ(names_.parameters,
            (std::vector<std::string>{"lr", "kernel", "layers"}));
  EXPECT_EQ(names_.metrics, (std::vector<std::string>{"accuracy", "loss"}));
}

TEST_F(TrialQueryTest, MetricComparisonSkipsMissingValues) {
  EXPECT_EQ(Filter("accuracy > 0.9"), (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(Filter("accuracy <= 0.9"), (std::vector<int64_t>{2}));
  EXPECT_EQ(Filter("loss != 0.3"), (std::vector<int64_t>{2, 3}))
      << "a trial without loss matches no condition on loss, != included";
}

TEST_F(TrialQueryTest, ParameterComparisons) {
  EXPECT_EQ(Filter("lr <= 0.01"), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(Filter("lr == 1e-2"), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(Filter("kernel == rbf"), (std::vector<int64_t>{1, 3, 4}));
  EXPECT_EQ(Filter("kernel != 'rbf'"), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(Filter("layers = 1"), (std::vector<int64_t>{1, 4}));
}

TEST_F(TrialQueryTest, StateIsCaseInsensitive) {
  EXPECT_EQ(Filter("state == SUCCEEDED"), (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(Filter("state != succeeded"), (std::vector<int64_t>{3, 5}));
}

TEST_F(TrialQueryTest, AndAndCommasJoinConditions) {
  EXPECT_EQ(Filter("kernel == rbf and accuracy > 0.9"),
            (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(Filter("kernel==rbf,accuracy>0.9, lr<0.1"),
            (std::vector<int64_t>{4}));
  EXPECT_EQ(Filter("state == SUCCEEDED AND loss < 0.35"),
            (std::vector<int64_t>{1}));
}

TEST_F(TrialQueryTest, PrefixedAndSpecialKeys) {
  EXPECT_EQ(Filter("metric.loss >= 0.4"), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Filter("params.kernel == poly"), (std::vector<int64_t>{5}));
  EXPECT_EQ(Filter("id > 3"), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(Filter("objective >= 0.91"), (std::vector<int64_t>{1, 4}));
}

TEST_F(TrialQueryTest, ErrorsNameTheBadToken) {
  EXPECT_NE(FilterError("acuracy > 0.9").find("\"acuracy\": unknown key"),
            std::string::npos);
  EXPECT_NE(FilterError("accuracy 0.9").find("\"0.9\": expected an operator"),
            std::string::npos);
  EXPECT_NE(FilterError("accuracy > 0.9 or lr < 1").find("\"or\""),
            std::string::npos);
  EXPECT_NE(FilterError("kernel > rbf").find("\"rbf\": not a number"),
            std::string::npos);
  EXPECT_NE(FilterError("accuracy == high").find("\"high\": not a number"),
            std::string::npos);
  EXPECT_NE(FilterError("state == DONE").find("\"DONE\": not a trial state"),
            std::string::npos);
  EXPECT_NE(FilterError("state > SUCCEEDED").find("only == and !="),
            std::string::npos);
  EXPECT_NE(FilterError("accuracy >").find("ends after \">\""),
            std::string::npos);
  EXPECT_NE(FilterError("accuracy > 0.9 and").find("ends after \"and\""),
            std::string::npos);
  EXPECT_NE(FilterError("kernel == 'rbf").find("no closing '"),
            std::string::npos);
  EXPECT_NE(FilterError("param.depth == 1").find("no parameter \"depth\""),
            std::string::npos);
  EXPECT_NE(FilterError("accuracy => 0.9").find("\"=>\""), std::string::npos);
}

TEST_F(TrialQueryTest, ErrorGivesPosition) {
  EXPECT_NE(FilterError("lr < 1, kernal == rbf").find("position 9"),
            std::string::npos);
}

TEST_F(TrialQueryTest, NameOfParameterAndMetricIsAmbiguous) {
  v1::Metric* metric = trials_[0].add_latest_metrics();
  metric->set_name("lr");
  metric->set_value(0.5);
  names_ = CollectTrialKeyNames(study_, trials_);

  EXPECT_NE(FilterError("lr > 0").find("write param.lr or metric.lr"),
            std::string::npos);
  EXPECT_EQ(Filter("metric.lr > 0"), (std::vector<int64_t>{1}));
}

TEST_F(TrialQueryTest, SortPutsMissingValuesLast) {
  EXPECT_EQ(Sort("accuracy"), (std::vector<int64_t>{2, 1, 4, 3, 5}));
  EXPECT_EQ(Sort("-accuracy"), (std::vector<int64_t>{4, 1, 2, 3, 5}));
  EXPECT_EQ(Sort("-loss"), (std::vector<int64_t>{3, 2, 1, 4, 5}));
}

TEST_F(TrialQueryTest, SortBySeveralKeysIsStable) {
  EXPECT_EQ(Sort("lr,-accuracy"), (std::vector<int64_t>{3, 4, 2, 1, 5}));
  EXPECT_EQ(Sort("kernel"), (std::vector<int64_t>{2, 5, 1, 3, 4}));
  EXPECT_EQ(Sort("+state"), (std::vector<int64_t>{3, 5, 1, 2, 4}));
}

TEST_F(TrialQueryTest, SortRejectsUnknownKey) {
  auto keys = ParseTrialSort("-accuracy,speed", names_);
  ASSERT_FALSE(keys.ok());
  EXPECT_NE(keys.status().message().find("\"speed\": unknown key"),
            std::string::npos)
      << keys.status();
  EXPECT_FALSE(ParseTrialSort("accuracy,,lr", names_).ok());
}

}  // namespace
}  // namespace augur
