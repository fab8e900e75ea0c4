#include "core/algorithms/hyperband.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "augur/v1/augur.pb.h"
#include "core/algorithms/hyperband_schedule.h"
#include "core/space/value.h"
#include "core/study_config.h"
#include "gtest/gtest.h"

namespace augur {
namespace {

std::vector<std::pair<int64_t, double>> RungTable(
    const HyperbandBracket& bracket) {
  std::vector<std::pair<int64_t, double>> table;
  for (const HyperbandRung& rung : bracket.rungs) {
    table.emplace_back(rung.num_trials, rung.resource);
  }
  return table;
}

TEST(HyperbandSchedule, MatchesTableForR81Eta3) {
  auto schedule = HyperbandSchedule::Create(81, 3);
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  EXPECT_EQ(schedule->s_max(), 4);
  ASSERT_EQ(schedule->brackets().size(), 5u);

  using Table = std::vector<std::pair<int64_t, double>>;
  EXPECT_EQ(RungTable(schedule->brackets()[0]),
            (Table{{81, 1}, {27, 3}, {9, 9}, {3, 27}, {1, 81}}));
  EXPECT_EQ(RungTable(schedule->brackets()[1]),
            (Table{{34, 3}, {11, 9}, {3, 27}, {1, 81}}));
  EXPECT_EQ(RungTable(schedule->brackets()[2]),
            (Table{{15, 9}, {5, 27}, {1, 81}}));
  EXPECT_EQ(RungTable(schedule->brackets()[3]), (Table{{8, 27}, {2, 81}}));
  EXPECT_EQ(RungTable(schedule->brackets()[4]), (Table{{5, 81}}));
  EXPECT_EQ(schedule->total_trials(), 206);
}

TEST(HyperbandSchedule, CountsTrialsPerResourceForR81Eta3) {
  auto schedule = HyperbandSchedule::Create(81, 3);
  ASSERT_TRUE(schedule.ok());
  std::map<double, int64_t> per_resource;
  for (const HyperbandBracket& bracket : schedule->brackets()) {
    for (const HyperbandRung& rung : bracket.rungs) {
      per_resource[rung.resource] += rung.num_trials;
    }
  }
  EXPECT_EQ(per_resource[1], 81);
  EXPECT_EQ(per_resource[3], 61);
  EXPECT_EQ(per_resource[9], 35);
  EXPECT_EQ(per_resource[27], 19);
  EXPECT_EQ(per_resource[81], 10);
}

TEST(HyperbandSchedule, R243Eta3HasSixBrackets) {
  auto schedule = HyperbandSchedule::Create(243, 3);
  ASSERT_TRUE(schedule.ok());
  EXPECT_EQ(schedule->s_max(), 5);
  EXPECT_EQ(schedule->brackets().size(), 6u);
  EXPECT_EQ(schedule->brackets().front().rungs.front().resource, 1.0);
}

TEST(HyperbandSchedule, LastRungRunsAtMaxIter) {
  auto schedule = HyperbandSchedule::Create(100, 3);
  ASSERT_TRUE(schedule.ok());
  EXPECT_EQ(schedule->s_max(), 4);
  for (const HyperbandBracket& bracket : schedule->brackets()) {
    EXPECT_EQ(bracket.rungs.back().resource, 100.0) << "bracket s=" << bracket.s;
    EXPECT_EQ(static_cast<int>(bracket.rungs.size()), bracket.s + 1);
  }
}

TEST(HyperbandSchedule, FloatResources) {
  auto schedule = HyperbandSchedule::Create(10, 3);
  ASSERT_TRUE(schedule.ok());
  EXPECT_EQ(schedule->s_max(), 2);
  const HyperbandBracket& first = schedule->brackets().front();
  ASSERT_EQ(first.rungs.size(), 3u);
  EXPECT_EQ(first.rungs[0].num_trials, 9);
  EXPECT_DOUBLE_EQ(first.rungs[0].resource, 10.0 / 9.0);
  EXPECT_DOUBLE_EQ(first.rungs[1].resource, 10.0 / 3.0);
  EXPECT_DOUBLE_EQ(first.rungs[2].resource, 10.0);
}

TEST(HyperbandSchedule, RejectsInvalidOptions) {
  EXPECT_FALSE(HyperbandSchedule::Create(0.5, 3).ok());
  EXPECT_FALSE(HyperbandSchedule::Create(81, 1).ok());
  EXPECT_FALSE(HyperbandSchedule::Create(81, 0.5).ok());
}

// ---------------------------------------------------------------------------
// The algorithm, driven through a simulated study.

v1::StudySpec HyperbandSpec(double max_iter, double eta, bool maximize,
                            bool discrete = false) {
  v1::StudySpec spec;
  spec.set_name("hb");
  spec.set_seed(7);
  spec.set_concurrency(1000);
  v1::ParameterSpec* lr = spec.add_parameters();
  lr->set_name("lr");
  if (discrete) {
    for (int k = 0; k < 4; ++k) {
      lr->mutable_values()->add_values()->set_int_value(k);
    }
  } else {
    lr->mutable_uniform()->set_low(0.0);
    lr->mutable_uniform()->set_high(1.0);
  }
  v1::Hyperband* hyperband = spec.mutable_hyperband();
  hyperband->set_max_iter(max_iter);
  hyperband->set_eta(eta);
  hyperband->mutable_resource()->set_name("epochs");
  hyperband->mutable_resource()->set_type(v1::Hyperband::INT);
  hyperband->mutable_metric()->set_name("accuracy");
  hyperband->mutable_metric()->set_optimization(maximize ? v1::MAXIMIZE
                                                         : v1::MINIMIZE);
  hyperband->set_resume(true);
  return spec;
}

// A study history the test completes by hand, as a trial store would.
class SimulatedStudy {
 public:
  explicit SimulatedStudy(const v1::StudySpec& spec) {
    auto config = StudyConfig::Create(spec);
    EXPECT_TRUE(config.ok()) << config.status();
    config_ = std::make_unique<StudyConfig>(*std::move(config));
    auto algorithm = Hyperband::Create(*config_);
    EXPECT_TRUE(algorithm.ok()) << algorithm.status();
    algorithm_ = *std::move(algorithm);
  }

  StudyView View() const {
    StudyView view;
    view.config = config_.get();
    view.seed = 7;
    view.trials = trials_;
    return view;
  }

  // Asks for `count` trials and stores them as ACTIVE.
  SuggestResult Ask(int count) {
    auto result = algorithm_->Suggest(View(), count);
    EXPECT_TRUE(result.ok()) << result.status();
    for (const Suggestion& suggestion : result->suggestions) {
      TrialRecord trial;
      trial.id = static_cast<int64_t>(trials_.size()) + 1;
      trial.state = v1::ACTIVE;
      trial.point = suggestion.point;
      trial.parent_id = suggestion.parent_id;
      trial.algorithm_state = suggestion.algorithm_state;
      trials_.push_back(trial);
      resources_[trial.id] = std::get<int64_t>(suggestion.injected.at(0).second);
      resume_[trial.id] = suggestion.resume_from_parent;
    }
    return *result;
  }

  void Finish(int64_t id, v1::TrialState state, std::optional<double> value) {
    TrialRecord& trial = trials_.at(id - 1);
    trial.state = state;
    if (value.has_value()) trial.latest_metrics["accuracy"] = *value;
  }

  std::vector<TrialRecord>& trials() { return trials_; }
  int64_t resource(int64_t id) const { return resources_.at(id); }
  bool resume(int64_t id) const { return resume_.at(id); }

 private:
  std::unique_ptr<StudyConfig> config_;
  std::unique_ptr<Hyperband> algorithm_;
  std::vector<TrialRecord> trials_;
  std::map<int64_t, int64_t> resources_;
  std::map<int64_t, bool> resume_;
};

// A metric value derived from the point, so promotions are predictable.
double Score(const TrialRecord& trial) { return std::get<double>(trial.point[0]); }

TEST(Hyperband, RunsWholeScheduleR81Eta3) {
  SimulatedStudy study(HyperbandSpec(81, 3, /*maximize=*/true));
  std::map<int64_t, int64_t> per_resource;

  for (int round = 0; round < 1000; ++round) {
    SuggestResult result = study.Ask(100);
    if (result.reason == v1::EXHAUSTED && result.suggestions.empty()) break;
    ASSERT_FALSE(result.suggestions.empty()) << result.message;
    for (TrialRecord& trial : study.trials()) {
      if (trial.state == v1::ACTIVE) {
        study.Finish(trial.id, v1::SUCCEEDED, Score(trial));
      }
    }
  }

  for (const TrialRecord& trial : study.trials()) {
    per_resource[study.resource(trial.id)] += 1;
  }
  EXPECT_EQ(study.trials().size(), 206u);
  EXPECT_EQ(per_resource[1], 81);
  EXPECT_EQ(per_resource[3], 61);
  EXPECT_EQ(per_resource[9], 35);
  EXPECT_EQ(per_resource[27], 19);
  EXPECT_EQ(per_resource[81], 10);
}

TEST(Hyperband, WaitsForRungThenPromotesBest) {
  SimulatedStudy study(HyperbandSpec(9, 3, /*maximize=*/true));
  // s_max = 2: the first bracket runs 9@1, 3@3, 1@9.
  SuggestResult first = study.Ask(20);
  ASSERT_EQ(first.suggestions.size(), 9u);
  EXPECT_EQ(first.reason, v1::WAITING_FOR_RUNG);

  for (int64_t id = 1; id <= 8; ++id) {
    study.Finish(id, v1::SUCCEEDED, Score(study.trials()[id - 1]));
  }
  SuggestResult waiting = study.Ask(5);
  EXPECT_TRUE(waiting.suggestions.empty());
  EXPECT_EQ(waiting.reason, v1::WAITING_FOR_RUNG);
  EXPECT_NE(waiting.message.find("1 still running"), std::string::npos)
      << waiting.message;

  study.Finish(9, v1::SUCCEEDED, Score(study.trials()[8]));
  std::vector<int64_t> by_score = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::sort(by_score.begin(), by_score.end(), [&](int64_t a, int64_t b) {
    return Score(study.trials()[a - 1]) > Score(study.trials()[b - 1]);
  });

  SuggestResult promoted = study.Ask(5);
  ASSERT_EQ(promoted.suggestions.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    const Suggestion& suggestion = promoted.suggestions[k];
    EXPECT_EQ(suggestion.parent_id, by_score[k]);
    EXPECT_TRUE(suggestion.resume_from_parent);
    EXPECT_EQ(std::get<int64_t>(suggestion.injected[0].second), 3);
    EXPECT_TRUE(SameValue(suggestion.point[0],
                          study.trials()[by_score[k] - 1].point[0]));
  }
}

TEST(Hyperband, MinimizePromotesLowestAndBreaksTiesById) {
  SimulatedStudy study(HyperbandSpec(9, 3, /*maximize=*/false));
  study.Ask(9);
  // Trials 4 and 2 tie at the lowest value; 7 is next.
  const std::map<int64_t, double> values = {{1, 0.9}, {2, 0.1}, {3, 0.8},
                                            {4, 0.1}, {5, 0.7}, {6, 0.6},
                                            {7, 0.2}, {8, 0.5}, {9, 0.4}};
  for (const auto& [id, value] : values) {
    study.Finish(id, v1::SUCCEEDED, value);
  }
  SuggestResult promoted = study.Ask(3);
  ASSERT_EQ(promoted.suggestions.size(), 3u);
  EXPECT_EQ(promoted.suggestions[0].parent_id, 2);
  EXPECT_EQ(promoted.suggestions[1].parent_id, 4);
  EXPECT_EQ(promoted.suggestions[2].parent_id, 7);
}

TEST(Hyperband, PromotesOnlySucceededTrialsWithMetric) {
  SimulatedStudy study(HyperbandSpec(9, 3, /*maximize=*/true));
  study.Ask(9);
  // Only trials 3 and 8 succeeded with the metric; 1 succeeded without it;
  // the best values belong to failed and stopped trials.
  for (int64_t id = 1; id <= 9; ++id) {
    if (id == 3) {
      study.Finish(id, v1::SUCCEEDED, 0.5);
    } else if (id == 8) {
      study.Finish(id, v1::SUCCEEDED, 0.6);
    } else if (id == 1) {
      study.Finish(id, v1::SUCCEEDED, std::nullopt);
    } else if (id % 2 == 0) {
      study.Finish(id, v1::FAILED, 0.99);
    } else {
      study.Finish(id, v1::STOPPED, 0.98);
    }
  }
  SuggestResult promoted = study.Ask(5);
  ASSERT_EQ(promoted.suggestions.size(), 2u);
  EXPECT_EQ(promoted.suggestions[0].parent_id, 8);
  EXPECT_EQ(promoted.suggestions[1].parent_id, 3);
}

TEST(Hyperband, RungWhereEveryTrialFailedMovesOn) {
  SimulatedStudy study(HyperbandSpec(9, 3, /*maximize=*/true));
  study.Ask(9);
  for (int64_t id = 1; id <= 9; ++id) study.Finish(id, v1::FAILED, std::nullopt);

  // The first bracket ends; the next bracket (s=1: 5@3, 1@9) starts.
  SuggestResult next = study.Ask(10);
  ASSERT_EQ(next.suggestions.size(), 5u);
  for (const Suggestion& suggestion : next.suggestions) {
    EXPECT_FALSE(suggestion.parent_id.has_value());
    EXPECT_EQ(std::get<int64_t>(suggestion.injected[0].second), 3);
  }
}

TEST(Hyperband, RespectsCountDuringPromotions) {
  SimulatedStudy study(HyperbandSpec(27, 3, /*maximize=*/true));
  study.Ask(27);
  for (int64_t id = 1; id <= 27; ++id) {
    study.Finish(id, v1::SUCCEEDED, Score(study.trials()[id - 1]));
  }
  // Nine promotions are due; a caller with room for two gets two at a time.
  std::set<int64_t> parents;
  for (int round = 0; round < 5; ++round) {
    SuggestResult result = study.Ask(2);
    EXPECT_LE(result.suggestions.size(), 2u);
    for (const Suggestion& suggestion : result.suggestions) {
      EXPECT_TRUE(parents.insert(*suggestion.parent_id).second);
    }
  }
  EXPECT_EQ(parents.size(), 9u);
}

TEST(Hyperband, NoConfigurationRepeatedAcrossBrackets) {
  SimulatedStudy study(HyperbandSpec(27, 3, /*maximize=*/true));
  for (int round = 0; round < 100; ++round) {
    SuggestResult result = study.Ask(50);
    if (result.reason == v1::EXHAUSTED && result.suggestions.empty()) break;
    for (TrialRecord& trial : study.trials()) {
      if (trial.state == v1::ACTIVE) {
        study.Finish(trial.id, v1::SUCCEEDED, Score(trial));
      }
    }
  }
  std::set<std::string> new_points;
  int64_t new_configurations = 0;
  for (const TrialRecord& trial : study.trials()) {
    if (trial.parent_id.has_value()) continue;
    ++new_configurations;
    new_points.insert(PointKey(trial.point));
  }
  EXPECT_GT(new_configurations, 27);
  EXPECT_EQ(static_cast<int64_t>(new_points.size()), new_configurations);
}

TEST(Hyperband, CapsFirstRungAtDistinctPoints) {
  SimulatedStudy study(HyperbandSpec(9, 3, /*maximize=*/true, /*discrete=*/true));
  SuggestResult first = study.Ask(20);
  // The space has four points, so the first rung (9 configurations) runs 4.
  ASSERT_EQ(first.suggestions.size(), 4u);
  std::set<std::string> points;
  for (const Suggestion& suggestion : first.suggestions) {
    points.insert(PointKey(suggestion.point));
  }
  EXPECT_EQ(points.size(), 4u);
}

TEST(Hyperband, SameHistoryGivesSameSuggestions) {
  SimulatedStudy study(HyperbandSpec(27, 3, /*maximize=*/true));
  study.Ask(27);
  for (int64_t id = 1; id <= 27; ++id) {
    study.Finish(id, v1::SUCCEEDED, Score(study.trials()[id - 1]));
  }
  SimulatedStudy restarted(HyperbandSpec(27, 3, /*maximize=*/true));
  restarted.trials() = study.trials();

  SuggestResult a = study.Ask(4);
  SuggestResult b = restarted.Ask(4);
  ASSERT_EQ(a.suggestions.size(), b.suggestions.size());
  for (size_t k = 0; k < a.suggestions.size(); ++k) {
    EXPECT_EQ(a.suggestions[k].parent_id, b.suggestions[k].parent_id);
    EXPECT_EQ(a.suggestions[k].algorithm_state, b.suggestions[k].algorithm_state);
  }
}

}  // namespace
}  // namespace augur
