#include "core/algorithms/grid_search.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

constexpr char kGrid[] = R"pb(
  name: "grid"
  parameters { name: "a" values { values { int_value: 1 } values { int_value: 2 } } }
  parameters { name: "b" linspace { start: 0 stop: 1 num: 3 } }
)pb";

TEST(GridSearch, FileOrderFirstParameterSlowest) {
  const StudyConfig config = MakeConfig(kGrid);
  StudyView view;
  view.config = &config;
  const GridSearch grid(config);

  const absl::StatusOr<SuggestResult> result = grid.Suggest(view, 10);
  ASSERT_TRUE(result.ok()) << result.status();
  std::vector<std::string> points;
  for (const Suggestion& s : result->suggestions) points.push_back(Join(s.point));
  EXPECT_EQ(points, (std::vector<std::string>{"1 0.0 ", "1 0.5 ", "1 1.0 ", "2 0.0 ", "2 0.5 ",
                                              "2 1.0 "}));
  EXPECT_EQ(result->reason, v1::EXHAUSTED);
  EXPECT_THAT(result->message, HasSubstr("all 6 points"));
  EXPECT_EQ(result->suggestions[4].algorithm_state, "grid index=4");
}

TEST(GridSearch, ResumesFromStoredIndex) {
  const StudyConfig config = MakeConfig(kGrid);
  StudyView view;
  view.config = &config;
  const GridSearch grid(config);

  std::vector<std::string> points;
  for (int call = 0; call < 6; ++call) {
    const absl::StatusOr<SuggestResult> result = grid.Suggest(view, 1);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->suggestions.size(), 1u);
    EXPECT_EQ(result->reason, v1::COMPLETE);
    points.push_back(Join(result->suggestions[0].point));
    AddTrials(result->suggestions, view);
  }
  EXPECT_EQ(points.front(), "1 0.0 ");
  EXPECT_EQ(points.back(), "2 1.0 ");

  const absl::StatusOr<SuggestResult> done = grid.Suggest(view, 1);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->suggestions.empty());
  EXPECT_EQ(done->reason, v1::EXHAUSTED);
}

TEST(GridSearch, TruncatesToNExperiments) {
  const StudyConfig config = MakeConfig(std::string(kGrid) + "grid_search { n_experiments: 4 }");
  StudyView view;
  view.config = &config;
  const GridSearch grid(config);

  const absl::StatusOr<SuggestResult> result = grid.Suggest(view, 10);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->suggestions.size(), 4u);
  EXPECT_EQ(Join(result->suggestions[3].point), "2 0.0 ");
  EXPECT_EQ(result->reason, v1::EXHAUSTED);
  EXPECT_THAT(result->message, HasSubstr("first 4 grid points"));
}

TEST(GridSearch, LargerBudgetFromViewContinues) {
  const StudyConfig config = MakeConfig(std::string(kGrid) + "grid_search { n_experiments: 2 }");
  StudyView view;
  view.config = &config;
  const GridSearch grid(config);
  AddTrials(grid.Suggest(view, 10)->suggestions, view);
  ASSERT_EQ(view.trials.size(), 2u);

  view.budget = 5;  // ResumeStudy raised the budget.
  const absl::StatusOr<SuggestResult> result = grid.Suggest(view, 10);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->suggestions.size(), 3u);
  EXPECT_EQ(result->suggestions[0].algorithm_state, "grid index=2");
  EXPECT_EQ(Join(result->suggestions[0].point), "1 1.0 ");
}

TEST(GridSearch, SkipsPointsHeldByUserTrials) {
  const StudyConfig config = MakeConfig(kGrid);
  StudyView view;
  view.config = &config;
  AddUserTrial({int64_t{1}, 0.5}, view);
  const GridSearch grid(config);

  const absl::StatusOr<SuggestResult> result = grid.Suggest(view, 10);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->suggestions.size(), 5u);
  for (const Suggestion& s : result->suggestions) EXPECT_NE(Join(s.point), "1 0.5 ");
}

TEST(GridSearch, HugeGridWithTenExperimentsIsInstant) {
  // Four parameters of a million values each: 10^24 points, more than
  // INT64_MAX; n_experiments keeps the first 10.
  std::string text = "name: 'huge' grid_search { n_experiments: 10 } ";
  for (int i = 0; i < 4; ++i) {
    text += "parameters { name: 'p" + std::to_string(i) +
            "' range { start: 0 stop: 1000000 step: 1 integer: true } } ";
  }
  const auto start = std::chrono::steady_clock::now();
  const StudyConfig config = MakeConfig(text);
  StudyView view;
  view.config = &config;
  const GridSearch grid(config);
  const absl::StatusOr<SuggestResult> result = grid.Suggest(view, 100);
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->suggestions.size(), 10u);
  EXPECT_EQ(Join(result->suggestions[9].point), "0 0 0 9 ");
  EXPECT_EQ(result->reason, v1::EXHAUSTED);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 1000);
}

TEST(GridSearch, TrillionPointGrid) {
  // 10^12 points fit in int64: the whole grid is the budget, and a call
  // still costs only what it returns.
  std::string text = "name: 'trillion' ";
  for (int i = 0; i < 4; ++i) {
    text += "parameters { name: 'p" + std::to_string(i) +
            "' range { start: 0 stop: 1000 step: 1 integer: true } } ";
  }
  const StudyConfig config = MakeConfig(text + "grid_search { n_experiments: 10 }");
  EXPECT_EQ(config.space().grid_size(), int64_t{1000000000000});
  EXPECT_EQ(config.initial_budget(), 10);

  StudyView view;
  view.config = &config;
  const absl::StatusOr<SuggestResult> result = GridSearch(config).Suggest(view, 100);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->suggestions.size(), 10u);

  const StudyConfig whole = MakeConfig(text);
  EXPECT_EQ(whole.initial_budget(), int64_t{1000000000000});
  StudyView whole_view;
  whole_view.config = &whole;
  whole_view.trials.resize(1);
  whole_view.trials[0].algorithm_state = "grid index=999999999998";
  const absl::StatusOr<SuggestResult> last = GridSearch(whole).Suggest(whole_view, 5);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->suggestions.size(), 1u);
  EXPECT_EQ(Join(last->suggestions[0].point), "999 999 999 999 ");
}

TEST(CreateAlgorithm, GridAndRandom) {
  const absl::StatusOr<std::unique_ptr<Algorithm>> grid = CreateAlgorithm(MakeConfig(kGrid));
  ASSERT_TRUE(grid.ok()) << grid.status();
  EXPECT_NE(dynamic_cast<const GridSearch*>(grid->get()), nullptr);

  const absl::StatusOr<std::unique_ptr<Algorithm>> random =
      CreateAlgorithm(MakeConfig(std::string(kGrid) + "random_search { n_experiments: 3 }"));
  ASSERT_TRUE(random.ok()) << random.status();
  EXPECT_EQ(dynamic_cast<const GridSearch*>(random->get()), nullptr);
}

}  // namespace
}  // namespace augur
