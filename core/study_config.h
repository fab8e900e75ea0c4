#ifndef AUGUR_CORE_STUDY_CONFIG_H_
#define AUGUR_CORE_STUDY_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "core/space/search_space.h"

namespace augur {

// The metric a study optimises.
struct Objective {
  std::string name;
  bool maximize = true;
};

enum class AlgorithmKind { kGrid, kRandom, kHyperband, kBayesian };

// A validated study spec: the only form of a spec that inner code accepts.
//
// Thread safety: immutable after Create, so safe to share between threads.
class StudyConfig {
 public:
  // Validates the whole spec (search space, algorithm options, metrics,
  // stopping rules, study settings) and returns INVALID_ARGUMENT with a
  // message naming the field and the fix for the first problem found.
  static absl::StatusOr<StudyConfig> Create(const v1::StudySpec& spec);

  const v1::StudySpec& spec() const { return spec_; }
  const SearchSpace& space() const { return space_; }
  AlgorithmKind algorithm() const { return algorithm_; }

  // Maximum number of ACTIVE trials (at least 1).
  int64_t concurrency() const { return concurrency_; }

  // The metric the study optimises: `metric`, or the algorithm's own.
  const std::optional<Objective>& objective() const { return objective_; }

  // The number of trials the algorithm creates in all, before any
  // ResumeStudy raises it. Grid search: n_experiments or the whole grid,
  // at most the grid size. Random search: n_experiments; BO:
  // n_initial_trials + n_iterations; both capped at the number of distinct
  // points when every parameter has finite support, with a note. 0 for
  // Hyperband, whose schedule decides.
  int64_t initial_budget() const { return initial_budget_; }

  // Facts to report to the user, such as a capped budget.
  const std::vector<std::string>& notes() const { return notes_; }

  // The metric names the local runner records from stdout: the objective,
  // the early-stopping metrics and `metrics`. Empty means record every
  // numeric token.
  const std::vector<std::string>& declared_metrics() const {
    return declared_metrics_;
  }

 private:
  StudyConfig() = default;

  // Steps of Create, in order; each fills the members it validates.
  absl::Status ValidateAlgorithm();
  absl::Status ValidateMetrics();
  absl::Status ValidateSettings();
  absl::Status ValidateRun();
  void ComputeBudget();

  v1::StudySpec spec_;
  SearchSpace space_;
  AlgorithmKind algorithm_ = AlgorithmKind::kGrid;
  int64_t concurrency_ = 1;
  std::optional<Objective> objective_;
  int64_t initial_budget_ = 0;
  std::vector<std::string> notes_;
  std::vector<std::string> declared_metrics_;
};

}  // namespace augur

#endif  // AUGUR_CORE_STUDY_CONFIG_H_
