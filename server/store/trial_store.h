#ifndef AUGUR_SERVER_STORE_TRIAL_STORE_H_
#define AUGUR_SERVER_STORE_TRIAL_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "augur/v1/augur.pb.h"
#include "server/store/sqlite.h"

namespace augur {

// The creator of a trial. Only kAlgorithm trials count against a study's
// budget.
enum class TrialOrigin : int {
  kAlgorithm = 1,  // GetSuggestions asked the study's algorithm.
  kAdded = 2,      // AddTrial queued given parameters as PENDING.
  kImported = 3,   // AddTrial imported a finished result.
  kRestarted = 4,  // RestartTrial reran an old trial's parameters.
};

// One row of the `studies` table.
struct StudyRow {
  int64_t id = 0;
  std::string name;
  // The spec exactly as the user sent it (without a drawn seed).
  v1::StudySpec spec;
  v1::StudyState state = v1::STUDY_ACTIVE;
  std::string state_reason;
  // The effective seed: the spec's, or the one drawn at creation.
  int64_t seed = 0;
  // Trials the algorithm may create in all; 0 when the space decides.
  int64_t budget = 0;
  std::vector<std::string> notes;
  std::optional<v1::StopTrigger> stop_trigger;
  // Opaque study-wide state of the algorithm.
  std::string algorithm_state;
  // Set once the algorithm returned EXHAUSTED or the budget ran out, so the
  // study completes when its last trial ends. ResumeStudy clears it.
  bool exhausted = false;
  int64_t create_time_ms = 0;
};

// One row of the `trials` table.
struct TrialRow {
  int64_t id = 0;
  int64_t study_id = 0;
  v1::TrialState state = v1::PENDING;
  TrialOrigin origin = TrialOrigin::kAlgorithm;
  // The matrix point in matrix order, then injected values (such as a
  // Hyperband resource), then the spec's fixed `params`.
  std::vector<v1::Parameter> parameters;
  // Identifies the matrix point exactly (see PointKey in core/space/value.h).
  std::string point_key;
  // The client holding the trial while it is ACTIVE; kept after it ends.
  std::string client_id;
  std::optional<int64_t> parent_id;
  bool resume_from_parent = false;
  std::string algorithm_state;
  std::optional<double> objective_value;
  std::string message;
  // Milliseconds since the Unix epoch; 0 when the event has not happened.
  int64_t create_time_ms = 0;
  int64_t start_time_ms = 0;
  int64_t end_time_ms = 0;
  // The last call about this trial (for trial_timeout).
  int64_t last_seen_ms = 0;
};

// The query layer of the trial store: every read and write of studies,
// trials and measurements, each one bound-parameter SQL statement. Exists
// only inside TrialStore::Transact, so every call runs in one transaction.
//
// Lookups return NOT_FOUND with a message naming the study or trial; other
// errors come from SQLite (UNAVAILABLE when locked, INTERNAL otherwise).
class StoreTransaction {
 public:
  explicit StoreTransaction(Database& db) : db_(db) {}

  // Studies.
  absl::StatusOr<std::optional<StudyRow>> FindStudy(const std::string& name);
  absl::StatusOr<StudyRow> GetStudy(const std::string& name);
  absl::StatusOr<StudyRow> GetStudyById(int64_t id);
  // All studies by creation order.
  absl::StatusOr<std::vector<StudyRow>> ListStudies();
  // Inserts `study` and sets its id. INTERNAL when the name is taken.
  absl::Status InsertStudy(StudyRow& study);
  // Writes the mutable columns: state, state_reason, budget, notes,
  // stop_trigger, algorithm_state and exhausted.
  absl::Status UpdateStudy(const StudyRow& study);

  // Trials.
  // Inserts `trial` and sets its id. Ids increase and are never reused.
  absl::Status InsertTrial(TrialRow& trial);
  absl::StatusOr<TrialRow> GetTrial(int64_t id);
  // Writes the mutable columns: state, client_id, algorithm_state,
  // objective_value, message, start/end/last-seen times.
  absl::Status UpdateTrial(const TrialRow& trial);
  // The study's trials in id order, only those in `states` unless it is
  // empty.
  absl::StatusOr<std::vector<TrialRow>> ListTrials(
      int64_t study_id, const std::vector<v1::TrialState>& states = {});
  // The number of the study's trials in each state.
  absl::StatusOr<std::map<v1::TrialState, int64_t>> CountTrialsByState(
      int64_t study_id);
  // The number of the study's trials that `origin` created.
  absl::StatusOr<int64_t> CountTrialsByOrigin(int64_t study_id,
                                              TrialOrigin origin);

  // Measurements and latest metric values.
  absl::StatusOr<std::optional<v1::Measurement>> FindMeasurement(
      int64_t trial_id, int64_t step);
  // INTERNAL when (trial, step) already exists.
  absl::Status InsertMeasurement(int64_t trial_id,
                                 const v1::Measurement& measurement);
  // The trial's measurements in step order.
  absl::StatusOr<std::vector<v1::Measurement>> ListMeasurements(
      int64_t trial_id);
  // Measurements of every trial of the study, by trial id, in step order.
  absl::StatusOr<std::map<int64_t, std::vector<v1::Measurement>>>
  ListMeasurementsOfStudy(int64_t study_id);
  // Stores `value` as the latest value of metric `name` unless a value from
  // a higher step is already stored, so late retries of old steps do not
  // overwrite newer values.
  absl::Status RecordLatestMetric(int64_t trial_id, const std::string& name,
                                  double value, int64_t step);
  // The trial's latest metric values, by name.
  absl::StatusOr<std::map<std::string, double>> ListLatestMetrics(
      int64_t trial_id);
  // Latest metric values of every trial of the study, by trial id.
  absl::StatusOr<std::map<int64_t, std::map<std::string, double>>>
  ListLatestMetricsOfStudy(int64_t study_id);

 private:
  Database& db_;
};

// The SQLite trial store: one connection to one database file, migrated to
// the current schema on open.
//
// Thread safety: thread-safe. Transact serialises the callers of one
// TrialStore; separate TrialStores (or processes) on the same file are
// serialised by SQLite's write lock.
class TrialStore {
 public:
  // Opens or creates the database at `path` and migrates it. Errors are
  // those of Database::Open and ApplyMigrations.
  static absl::StatusOr<std::unique_ptr<TrialStore>> Open(
      const std::string& path);

  // Runs `body` in one write transaction (see RunInTransaction): commits
  // when it returns OK, rolls back otherwise, and returns its status or the
  // commit's error.
  absl::Status Transact(absl::FunctionRef<absl::Status(StoreTransaction&)> body)
      ABSL_LOCKS_EXCLUDED(mu_);

  const std::string& path() const { return path_; }

 private:
  TrialStore(std::unique_ptr<Database> db, std::string path)
      : path_(std::move(path)), db_(std::move(db)) {}

  // Immutable after construction.
  const std::string path_;

  absl::Mutex mu_;
  std::unique_ptr<Database> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace augur

#endif  // AUGUR_SERVER_STORE_TRIAL_STORE_H_
