#include "core/algorithms/random_search.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/test_util.h"

namespace augur {
namespace {

using ::testing::HasSubstr;

StudyConfig MakeConfig(const std::string& text) {
  absl::StatusOr<StudyConfig> config = StudyConfig::Create(ParseStudy(text));
  EXPECT_TRUE(config.ok()) << config.status();
  return *std::move(config);
}

std::string Join(const Point& point) {
  std::string out;
  for (const Value& value : point) out += FormatValue(value) + " ";
  return out;
}

// Runs the search one suggestion per call until it stops, storing each
// suggestion as a trial, and returns the points in order.
std::vector<std::string> RunOneByOne(const RandomSearch& search, StudyView& view,
                                     int max_calls = 1000) {
  std::vector<std::string> points;
  for (int call = 0; call < max_calls; ++call) {
    const absl::StatusOr<SuggestResult> result = search.Suggest(view, 1);
    EXPECT_TRUE(result.ok()) << result.status();
    if (result->suggestions.empty()) break;
    points.push_back(Join(result->suggestions[0].point));
    AddTrials(result->suggestions, view);
  }
  return points;
}

constexpr char kContinuous[] = R"pb(
  name: "random"
  parameters { name: "lr" loguniform { low: -9.21 high: -2.3 } }
  parameters {
    name: "batch"
    values { values { int_value: 16 } values { int_value: 32 } values { int_value: 64 } }
  }
  random_search { n_experiments: 5 }
)pb";

TEST(RandomSearch, GoldenDrawsForSeed42) {
  const StudyConfig config = MakeConfig(kContinuous);
  StudyView view;
  view.config = &config;
  view.seed = 42;
  const absl::StatusOr<SuggestResult> result = RandomSearch(config).Suggest(view, 3);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->suggestions.size(), 3u);
  EXPECT_EQ(Join(result->suggestions[0].point), "0.0005617015881847857 32 ");
  EXPECT_EQ(Join(result->suggestions[1].point), "0.0033316598291345772 16 ");
  EXPECT_EQ(Join(result->suggestions[2].point), "0.00046239635460211813 64 ");
  EXPECT_EQ(result->suggestions[2].algorithm_state, "random draw=2");
  EXPECT_EQ(result->reason, v1::COMPLETE);
}

TEST(RandomSearch, SameDrawsOneByOneOrBatched) {
  const StudyConfig config = MakeConfig(kContinuous);
  StudyView batched;
  batched.config = &config;
  batched.seed = 7;
  const absl::StatusOr<SuggestResult> result = RandomSearch(config).Suggest(batched, 5);
  ASSERT_TRUE(result.ok()) << result.status();
  std::vector<std::string> all;
  for (const Suggestion& s : result->suggestions) all.push_back(Join(s.point));

  StudyView one_by_one;
  one_by_one.config = &config;
  one_by_one.seed = 7;
  EXPECT_EQ(RunOneByOne(RandomSearch(config), one_by_one), all);
  EXPECT_EQ(all.size(), 5u);
}

TEST(RandomSearch, SeedChangesDraws) {
  const StudyConfig config = MakeConfig(kContinuous);
  StudyView a;
  a.config = &config;
  a.seed = 1;
  StudyView b = a;
  b.seed = 2;
  EXPECT_NE(RunOneByOne(RandomSearch(config), a), RunOneByOne(RandomSearch(config), b));
}

TEST(RandomSearch, StopsAtBudget) {
  const StudyConfig config = MakeConfig(kContinuous);
  StudyView view;
  view.config = &config;
  const RandomSearch search(config);
  EXPECT_EQ(RunOneByOne(search, view).size(), 5u);

  const absl::StatusOr<SuggestResult> done = search.Suggest(view, 1);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->suggestions.empty());
  EXPECT_EQ(done->reason, v1::EXHAUSTED);
  EXPECT_THAT(done->message, HasSubstr("all 5 trials of its budget"));

  view.budget = 8;  // ResumeStudy raised the budget.
  EXPECT_EQ(RunOneByOne(search, view).size(), 3u);
}

TEST(RandomSearch, UserTrialsDoNotCountAgainstBudget) {
  const StudyConfig config = MakeConfig(kContinuous);
  StudyView view;
  view.config = &config;
  AddUserTrial({0.001, int64_t{16}}, view);
  EXPECT_EQ(RunOneByOne(RandomSearch(config), view).size(), 5u);
}

TEST(RandomSearch, SkipsPointsOfExistingTrials) {
  const StudyConfig config = MakeConfig(kContinuous);
  StudyView fresh;
  fresh.config = &config;
  fresh.seed = 42;
  const Point first = RandomSearch(config).Suggest(fresh, 1)->suggestions[0].point;

  StudyView view = fresh;
  AddUserTrial(first, view);  // AddTrial queued draw 0's point.
  const absl::StatusOr<SuggestResult> result = RandomSearch(config).Suggest(view, 1);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->suggestions.size(), 1u);
  EXPECT_EQ(result->suggestions[0].algorithm_state, "random draw=1");
  EXPECT_NE(PointKey(result->suggestions[0].point), PointKey(first));
}

constexpr char kDiscrete[] = R"pb(
  name: "discrete"
  parameters {
    name: "a"
    values { values { int_value: 1 } values { int_value: 2 } values { int_value: 3 } }
  }
  parameters { name: "b" range { start: 0 stop: 4 step: 1 integer: true } }
  random_search { n_experiments: 50 }
)pb";

TEST(RandomSearch, DiscreteCapReachedWithUniquePoints) {
  const StudyConfig config = MakeConfig(kDiscrete);
  EXPECT_EQ(config.initial_budget(), 12);
  ASSERT_EQ(config.notes().size(), 1u);
  EXPECT_EQ(config.notes()[0],
            "random_search.n_experiments 50 capped at 12, the number of distinct points");

  StudyView view;
  view.config = &config;
  view.seed = 42;
  const std::vector<std::string> points = RunOneByOne(RandomSearch(config), view);
  EXPECT_EQ(points.size(), 12u);
  EXPECT_EQ(std::set<std::string>(points.begin(), points.end()).size(), 12u);
}

TEST(RandomSearch, DuplicateValuesNeverLoopForever) {
  // Nine copies of 1 and one 2: distinct points are 2, and draws of 2 are
  // rare, so the search relies on its bounded fallback to reach the cap.
  const StudyConfig config = MakeConfig(R"pb(
    name: "dups"
    parameters {
      name: "a"
      values {
        values { int_value: 1 } values { int_value: 1 } values { int_value: 1 }
        values { int_value: 1 } values { int_value: 1 } values { int_value: 1 }
        values { int_value: 1 } values { int_value: 1 } values { int_value: 1 }
        values { int_value: 2 }
      }
    }
    random_search { n_experiments: 10 }
  )pb");
  EXPECT_EQ(config.initial_budget(), 2);

  StudyView view;
  view.config = &config;
  view.seed = 3;
  std::vector<std::string> points = RunOneByOne(RandomSearch(config), view);
  std::sort(points.begin(), points.end());
  EXPECT_EQ(points, (std::vector<std::string>{"1 ", "2 "}));
}

TEST(RandomSearch, RarePValuesReachTheCap) {
  const StudyConfig config = MakeConfig(R"pb(
    name: "rare"
    parameters {
      name: "act"
      pvalues {
        entries { value { string_value: "relu" } probability: 0.999999 }
        entries { value { string_value: "tanh" } probability: 0.000001 }
        entries { value { string_value: "never" } probability: 0 }
      }
    }
    random_search { n_experiments: 5 }
  )pb");
  EXPECT_EQ(config.initial_budget(), 2);

  StudyView view;
  view.config = &config;
  const absl::StatusOr<SuggestResult> result = RandomSearch(config).Suggest(view, 5);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->suggestions.size(), 2u);
  EXPECT_EQ(Join(result->suggestions[0].point), "relu ");
  EXPECT_EQ(Join(result->suggestions[1].point), "tanh ");
  EXPECT_EQ(result->suggestions[1].algorithm_state, "random distinct_point=1");
  EXPECT_EQ(result->reason, v1::EXHAUSTED);

  // The draw counter did not move past the fallback, so one-by-one calls
  // make the same suggestions.
  StudyView one_by_one;
  one_by_one.config = &config;
  EXPECT_EQ(RunOneByOne(RandomSearch(config), one_by_one),
            (std::vector<std::string>{"relu ", "tanh "}));
}

TEST(RandomSearch, SpaceSmallerThanBudgetAfterUserTrials) {
  // The user queued 3 of the 4 points. Only one new point is left, so the
  // search ends after it, below its cap of 4.
  const StudyConfig config = MakeConfig(R"pb(
    name: "small"
    parameters { name: "a" values { values { int_value: 1 } values { int_value: 2 } } }
    parameters { name: "b" values { values { bool_value: true } values { bool_value: false } } }
    random_search { n_experiments: 4 }
  )pb");
  StudyView view;
  view.config = &config;
  AddUserTrial({int64_t{1}, true}, view);
  AddUserTrial({int64_t{1}, false}, view);
  AddUserTrial({int64_t{2}, true}, view);

  const absl::StatusOr<SuggestResult> result = RandomSearch(config).Suggest(view, 4);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->suggestions.size(), 1u);
  EXPECT_EQ(Join(result->suggestions[0].point), "2 false ");
  EXPECT_EQ(result->reason, v1::EXHAUSTED);
  EXPECT_THAT(result->message, HasSubstr("all 4 distinct points"));
}

TEST(RandomSearch, NarrowContinuousSpaceEndsWithoutLooping) {
  // quniform [0, 1) with q = 0.5 has only the values 0, 0.5 and 1.
  const StudyConfig config = MakeConfig(R"pb(
    name: "narrow"
    parameters { name: "x" quniform { low: 0 high: 1 q: 0.5 } }
    random_search { n_experiments: 20 }
  )pb");
  StudyView view;
  view.config = &config;
  std::vector<std::string> points = RunOneByOne(RandomSearch(config), view);
  std::sort(points.begin(), points.end());
  EXPECT_EQ(points, (std::vector<std::string>{"0.0 ", "0.5 ", "1.0 "}));

  const absl::StatusOr<SuggestResult> done = RandomSearch(config).Suggest(view, 1);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->reason, v1::EXHAUSTED);
  EXPECT_THAT(done->message, HasSubstr("found no unused point"));
}

}  // namespace
}  // namespace augur
