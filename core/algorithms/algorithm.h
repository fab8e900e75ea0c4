#ifndef AUGUR_CORE_ALGORITHMS_ALGORITHM_H_
#define AUGUR_CORE_ALGORITHMS_ALGORITHM_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "core/space/value.h"
#include "core/study_config.h"

namespace augur {

// One trial of a study as an algorithm reads it: a read-only copy of the
// trial store's row.
struct TrialRecord {
  int64_t id = 0;
  v1::TrialState state = v1::TRIAL_STATE_UNSPECIFIED;
  // Parameter values in matrix order, one per search-space parameter. Fixed
  // `params` and injected resources are not part of it.
  Point point;
  std::optional<int64_t> parent_id;
  // Measurements in step order.
  std::vector<v1::Measurement> measurements;
  // Latest value of every metric name ever reported.
  std::map<std::string, double> latest_metrics;
  // The objective metric's final value, when known.
  std::optional<double> objective_value;
  // Opaque bookkeeping the algorithm attached when it created the trial
  // (a random draw index, a Hyperband bracket and rung); empty for trials
  // created by AddTrial or RestartTrial.
  std::string algorithm_state;
};

// Everything a suggestion may depend on: the validated config, the effective
// seed, the budget and the full trial history in id order.
struct StudyView {
  const StudyConfig* config = nullptr;
  int64_t seed = 0;
  // Trials the algorithm may create in all; 0 when the space decides.
  int64_t budget = 0;
  std::vector<TrialRecord> trials;
  // Opaque study-wide state an algorithm stored earlier (for example fitted
  // kernel hyperparameters); empty at first.
  std::string algorithm_state;
};

// A new trial for the server to create.
struct Suggestion {
  Point point;
  std::optional<int64_t> parent_id;
  bool resume_from_parent = false;
  // Extra values to pass to the trial beside the point, such as the
  // Hyperband resource.
  std::vector<std::pair<std::string, Value>> injected;
  std::string algorithm_state;
};

struct SuggestResult {
  std::vector<Suggestion> suggestions;
  // Why fewer suggestions than requested came back: COMPLETE when all did,
  // EXHAUSTED when the algorithm has nothing left to try, or a reason to wait.
  v1::SuggestionReason reason = v1::COMPLETE;
  std::string message;
  // When set, replaces the view's study-wide algorithm state.
  std::optional<std::string> new_study_state;
};

// A search algorithm: an ask/tell optimiser whose result is a pure function
// of the StudyView. It keeps nothing between calls, so a restarted server
// continues a study exactly where it stopped.
//
// Thread safety: Suggest is const and may be called concurrently.
class Algorithm {
 public:
  virtual ~Algorithm() = default;

  // Returns up to `count` new suggestions given the view. Never returns a
  // point already held by a trial of the view unless that trial was created
  // by AddTrial or RestartTrial. An INTERNAL error means a bug.
  virtual absl::StatusOr<SuggestResult> Suggest(const StudyView& view,
                                                int count) const = 0;
};

// Creates the algorithm that `config` names. Returns UNIMPLEMENTED for an
// algorithm this build does not provide.
absl::StatusOr<std::unique_ptr<Algorithm>> CreateAlgorithm(
    const StudyConfig& config);

}  // namespace augur

#endif  // AUGUR_CORE_ALGORITHMS_ALGORITHM_H_
