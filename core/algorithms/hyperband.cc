#include "core/algorithms/hyperband.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "core/space/value.h"
#include "core/status_macros.h"

namespace augur {
namespace {

constexpr absl::string_view kStatePrefix = "hyperband";

// A trial's position in the schedule, parsed from its algorithm_state.
struct Position {
  int bracket = 0;  // Index into HyperbandSchedule::brackets().
  int rung = 0;
  std::optional<int64_t> draw;
  std::optional<int64_t> parent;
};

std::string FormatState(const Position& position) {
  std::string state = absl::StrCat(kStatePrefix, " bracket=", position.bracket,
                                   " rung=", position.rung);
  if (position.draw.has_value()) absl::StrAppend(&state, " draw=", *position.draw);
  if (position.parent.has_value()) {
    absl::StrAppend(&state, " parent=", *position.parent);
  }
  return state;
}

// Returns nullopt for trials Hyperband did not create (AddTrial,
// RestartTrial, or a state it cannot read).
std::optional<Position> ParseState(absl::string_view state) {
  std::vector<absl::string_view> fields =
      absl::StrSplit(state, ' ', absl::SkipEmpty());
  if (fields.empty() || fields[0] != kStatePrefix) return std::nullopt;

  Position position;
  bool has_bracket = false;
  bool has_rung = false;
  for (size_t k = 1; k < fields.size(); ++k) {
    std::pair<absl::string_view, absl::string_view> field =
        absl::StrSplit(fields[k], absl::MaxSplits('=', 1));
    int64_t number = 0;
    if (!absl::SimpleAtoi(field.second, &number)) return std::nullopt;
    if (field.first == "bracket") {
      position.bracket = static_cast<int>(number);
      has_bracket = true;
    } else if (field.first == "rung") {
      position.rung = static_cast<int>(number);
      has_rung = true;
    } else if (field.first == "draw") {
      position.draw = number;
    } else if (field.first == "parent") {
      position.parent = number;
    }
  }
  if (!has_bracket || !has_rung) return std::nullopt;
  return position;
}

bool IsFinished(v1::TrialState state) {
  return state == v1::SUCCEEDED || state == v1::FAILED ||
         state == v1::STOPPED;
}

// The trials of one rung, and the history facts the schedule walk needs.
struct History {
  // trials[bracket][rung], each in id order.
  std::map<std::pair<int, int>, std::vector<const TrialRecord*>> rungs;
  absl::flat_hash_set<std::string> study_points;
  std::map<int, absl::flat_hash_set<std::string>> bracket_points;
  int64_t next_draw = 0;
};

History LoadHistory(const StudyView& view) {
  History history;
  for (const TrialRecord& trial : view.trials) {
    const std::string key = PointKey(trial.point);
    history.study_points.insert(key);

    std::optional<Position> position = ParseState(trial.algorithm_state);
    if (!position.has_value()) continue;
    history.rungs[{position->bracket, position->rung}].push_back(&trial);
    if (position->rung == 0) history.bracket_points[position->bracket].insert(key);
    if (position->draw.has_value()) {
      history.next_draw = std::max(history.next_draw, *position->draw + 1);
    }
  }
  return history;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Hyperband>> Hyperband::Create(
    const StudyConfig& config) {
  const v1::Hyperband& options = config.spec().hyperband();
  AUGUR_ASSIGN_OR_RETURN(
      HyperbandSchedule schedule,
      HyperbandSchedule::Create(options.max_iter(), options.eta()));
  return std::unique_ptr<Hyperband>(new Hyperband(config, std::move(schedule)));
}

Hyperband::Hyperband(const StudyConfig& config, HyperbandSchedule schedule)
    : config_(config), schedule_(std::move(schedule)) {}

namespace {

// Walks the schedule and fills `result` for one Suggest call. Kept apart
// from the class so the steps read top to bottom.
class SuggestPass {
 public:
  SuggestPass(const StudyConfig& config, const HyperbandSchedule& schedule,
              const StudyView& view, int count)
      : config_(config),
        options_(config.spec().hyperband()),
        schedule_(schedule),
        view_(view),
        count_(count),
        history_(LoadHistory(view)),
        distinct_points_(config.space().distinct_count()) {}

  SuggestResult Run() {
    const std::vector<HyperbandBracket>& brackets = schedule_.brackets();
    for (int b = 0; b < static_cast<int>(brackets.size()); ++b) {
      if (!RunBracket(b, brackets[b])) return std::move(result_);
    }
    result_.reason = v1::EXHAUSTED;
    result_.message = absl::StrCat("every Hyperband bracket has finished (",
                                   brackets.size(), " brackets)");
    return std::move(result_);
  }

 private:
  // Returns true when bracket `b` has finished, false when the caller must
  // stop walking (suggestions made, or waiting for a rung).
  bool RunBracket(int b, const HyperbandBracket& bracket) {
    std::vector<const TrialRecord*> promoted_from;
    for (int i = 0; i < static_cast<int>(bracket.rungs.size()); ++i) {
      const std::vector<const TrialRecord*>& trials = TrialsOf(b, i);
      const int64_t target = i == 0 ? FirstRungSize(bracket)
                                    : static_cast<int64_t>(promoted_from.size());
      if (target == 0) return true;

      if (static_cast<int64_t>(trials.size()) < target) {
        if (i == 0) {
          AddNewConfigurations(b, bracket, target - trials.size());
        } else {
          AddPromotions(b, i, bracket, promoted_from, trials);
        }
        if (static_cast<int>(result_.suggestions.size()) >= count_) {
          result_.reason = v1::COMPLETE;
          return false;
        }
        return Wait(b, i, trials.size() + result_.suggestions.size(), 0);
      }

      const int64_t running = CountRunning(trials);
      if (running > 0) return Wait(b, i, trials.size(), running);

      if (i + 1 < static_cast<int>(bracket.rungs.size())) {
        promoted_from = Rank(trials, bracket.rungs[i + 1].num_trials);
      }
    }
    return true;
  }

  const std::vector<const TrialRecord*>& TrialsOf(int b, int i) const {
    static const std::vector<const TrialRecord*> kNone;
    auto it = history_.rungs.find({b, i});
    return it == history_.rungs.end() ? kNone : it->second;
  }

  int64_t FirstRungSize(const HyperbandBracket& bracket) const {
    const int64_t n = bracket.rungs.front().num_trials;
    return distinct_points_.has_value() ? std::min(n, *distinct_points_) : n;
  }

  static int64_t CountRunning(const std::vector<const TrialRecord*>& trials) {
    return std::count_if(trials.begin(), trials.end(),
                         [](const TrialRecord* trial) {
                           return !IsFinished(trial->state);
                         });
  }

  bool Wait(int b, int i, int64_t created, int64_t running) {
    const HyperbandBracket& bracket = schedule_.brackets()[b];
    result_.reason = v1::WAITING_FOR_RUNG;
    result_.message = absl::StrCat(
        "waiting for rung ", i, " of bracket s=", bracket.s, " (", created,
        " trials at resource ", bracket.rungs[i].resource, ", ",
        running > 0 ? absl::StrCat(running, " still running")
                    : std::string("all handed out"),
        ") before promoting");
    return false;
  }

  // The best SUCCEEDED trials with the metric, at most `limit`.
  std::vector<const TrialRecord*> Rank(
      const std::vector<const TrialRecord*>& trials, int64_t limit) const {
    const std::string& metric = options_.metric().name();
    const bool maximize = options_.metric().optimization() != v1::MINIMIZE;

    std::vector<std::pair<double, const TrialRecord*>> ranked;
    for (const TrialRecord* trial : trials) {
      if (trial->state != v1::SUCCEEDED) continue;
      auto it = trial->latest_metrics.find(metric);
      if (it == trial->latest_metrics.end()) continue;
      ranked.emplace_back(it->second, trial);
    }
    std::sort(ranked.begin(), ranked.end(),
              [maximize](const auto& a, const auto& b) {
                if (a.first != b.first) {
                  return maximize ? a.first > b.first : a.first < b.first;
                }
                return a.second->id < b.second->id;
              });

    std::vector<const TrialRecord*> best;
    for (const auto& [value, trial] : ranked) {
      if (static_cast<int64_t>(best.size()) >= limit) break;
      best.push_back(trial);
    }
    return best;
  }

  void AddNewConfigurations(int b, const HyperbandBracket& bracket,
                            int64_t missing) {
    absl::flat_hash_set<std::string>& in_bracket = history_.bracket_points[b];
    while (missing > 0 && static_cast<int>(result_.suggestions.size()) < count_) {
      std::optional<std::pair<int64_t, Point>> drawn = NextConfiguration(in_bracket);
      if (!drawn.has_value()) return;

      const std::string key = PointKey(drawn->second);
      in_bracket.insert(key);
      history_.study_points.insert(key);

      Position position{b, 0, drawn->first, std::nullopt};
      Suggestion suggestion;
      suggestion.point = std::move(drawn->second);
      suggestion.injected.emplace_back(options_.resource().name(),
                                       ResourceValue(bracket.rungs[0].resource));
      suggestion.algorithm_state = FormatState(position);
      result_.suggestions.push_back(std::move(suggestion));
      --missing;
    }
  }

  // Draws until a point new to the bracket appears, preferring points new to
  // the whole study while the space has any. Returns the draw index used.
  std::optional<std::pair<int64_t, Point>> NextConfiguration(
      const absl::flat_hash_set<std::string>& in_bracket) {
    const bool study_has_unused =
        !distinct_points_.has_value() ||
        static_cast<int64_t>(history_.study_points.size()) < *distinct_points_;
    const int64_t max_attempts =
        distinct_points_.has_value() ? 64 * *distinct_points_ + 1024 : 1 << 20;

    for (int64_t attempt = 0; attempt < max_attempts; ++attempt) {
      const int64_t draw = history_.next_draw++;
      Point point = config_.space().SamplePoint(view_.seed, draw);
      const std::string key = PointKey(point);
      if (in_bracket.contains(key)) continue;
      if (study_has_unused && history_.study_points.contains(key)) continue;
      return std::make_pair(draw, std::move(point));
    }

    // Random draws keep missing the few unused points of a discrete space:
    // take the first unused distinct point instead, which is still a pure
    // function of the history.
    const int64_t last_draw = history_.next_draw - 1;
    const int64_t size = distinct_points_.value_or(0);
    for (int64_t index = 0; index < size; ++index) {
      Point point = config_.space().DistinctPoint(index);
      const std::string key = PointKey(point);
      if (in_bracket.contains(key)) continue;
      if (study_has_unused && history_.study_points.contains(key)) continue;
      return std::make_pair(last_draw, std::move(point));
    }
    return std::nullopt;
  }

  void AddPromotions(int b, int i, const HyperbandBracket& bracket,
                     const std::vector<const TrialRecord*>& promoted_from,
                     const std::vector<const TrialRecord*>& existing) {
    absl::flat_hash_set<int64_t> done;
    for (const TrialRecord* trial : existing) {
      if (trial->parent_id.has_value()) done.insert(*trial->parent_id);
    }

    for (const TrialRecord* parent : promoted_from) {
      if (static_cast<int>(result_.suggestions.size()) >= count_) return;
      if (done.contains(parent->id)) continue;

      Position position{b, i, std::nullopt, parent->id};
      Suggestion suggestion;
      suggestion.point = parent->point;
      suggestion.parent_id = parent->id;
      suggestion.resume_from_parent = options_.resume();
      suggestion.injected.emplace_back(options_.resource().name(),
                                       ResourceValue(bracket.rungs[i].resource));
      suggestion.algorithm_state = FormatState(position);
      result_.suggestions.push_back(std::move(suggestion));
    }
  }

  // An int resource is rounded half away from zero, as std::round does.
  Value ResourceValue(double resource) const {
    if (options_.resource().type() == v1::Hyperband::FLOAT) return resource;
    return static_cast<int64_t>(std::round(resource));
  }

  const StudyConfig& config_;
  const v1::Hyperband& options_;
  const HyperbandSchedule& schedule_;
  const StudyView& view_;
  const int count_;
  History history_;
  const std::optional<int64_t> distinct_points_;
  SuggestResult result_;
};

}  // namespace

absl::StatusOr<SuggestResult> Hyperband::Suggest(const StudyView& view,
                                                 int count) const {
  if (count <= 0) return SuggestResult{};
  return SuggestPass(config_, schedule_, view, count).Run();
}

}  // namespace augur
