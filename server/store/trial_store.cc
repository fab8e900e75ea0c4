#include "server/store/trial_store.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "server/store/migrations.h"
#include "server/store/transaction.h"

namespace augur {
namespace {

constexpr char kStudyColumns[] =
    "id, name, spec, state, state_reason, seed, budget, notes, stop_trigger, "
    "algorithm_state, exhausted, create_time_ms";

constexpr char kTrialColumns[] =
    "id, study_id, state, origin, parameters, point_key, client_id, "
    "parent_id, resume_from_parent, algorithm_state, objective_value, "
    "message, create_time_ms, start_time_ms, end_time_ms, last_seen_ms";

absl::Status CorruptColumn(absl::string_view table, int64_t id,
                           absl::string_view column) {
  return absl::InternalError(absl::StrCat("the ", column, " column of ", table,
                                          " row ", id,
                                          " cannot be decoded; the database "
                                          "is damaged or was written by "
                                          "another program"));
}

std::string EncodeNotes(const std::vector<std::string>& notes) {
  return nlohmann::json(notes).dump();
}

absl::StatusOr<StudyRow> ReadStudy(const Statement& row) {
  StudyRow study;
  study.id = row.Int(0);
  study.name = row.Text(1);
  if (!study.spec.ParseFromString(row.Bytes(2))) {
    return CorruptColumn("studies", study.id, "spec");
  }
  study.state = static_cast<v1::StudyState>(row.Int(3));
  study.state_reason = row.Text(4);
  study.seed = row.Int(5);
  study.budget = row.Int(6);

  const nlohmann::json notes =
      nlohmann::json::parse(row.Text(7), nullptr, /*allow_exceptions=*/false);
  if (!notes.is_array()) return CorruptColumn("studies", study.id, "notes");
  for (const nlohmann::json& note : notes) {
    if (!note.is_string()) return CorruptColumn("studies", study.id, "notes");
    study.notes.push_back(note.get<std::string>());
  }

  if (!row.IsNull(8)) {
    v1::StopTrigger trigger;
    if (!trigger.ParseFromString(row.Bytes(8))) {
      return CorruptColumn("studies", study.id, "stop_trigger");
    }
    study.stop_trigger = std::move(trigger);
  }
  study.algorithm_state = row.Bytes(9);
  study.exhausted = row.Int(10) != 0;
  study.create_time_ms = row.Int(11);
  return study;
}

std::string EncodeParameters(const std::vector<v1::Parameter>& parameters) {
  v1::Trial holder;
  for (const v1::Parameter& parameter : parameters) {
    *holder.add_parameters() = parameter;
  }
  return holder.SerializeAsString();
}

absl::StatusOr<TrialRow> ReadTrial(const Statement& row) {
  TrialRow trial;
  trial.id = row.Int(0);
  trial.study_id = row.Int(1);
  trial.state = static_cast<v1::TrialState>(row.Int(2));
  trial.origin = static_cast<TrialOrigin>(row.Int(3));

  v1::Trial holder;
  if (!holder.ParseFromString(row.Bytes(4))) {
    return CorruptColumn("trials", trial.id, "parameters");
  }
  trial.parameters.assign(holder.parameters().begin(),
                          holder.parameters().end());

  trial.point_key = row.Bytes(5);
  trial.client_id = row.Text(6);
  trial.parent_id = row.OptionalInt(7);
  trial.resume_from_parent = row.Int(8) != 0;
  trial.algorithm_state = row.Bytes(9);
  trial.objective_value = row.OptionalDouble(10);
  trial.message = row.Text(11);
  trial.create_time_ms = row.Int(12);
  trial.start_time_ms = row.Int(13);
  trial.end_time_ms = row.Int(14);
  trial.last_seen_ms = row.Int(15);
  return trial;
}

absl::StatusOr<v1::Measurement> ReadMeasurement(const Statement& row,
                                                int trial_column,
                                                int metrics_column) {
  v1::Measurement measurement;
  if (!measurement.ParseFromString(row.Bytes(metrics_column))) {
    return CorruptColumn("measurements", row.Int(trial_column), "metrics");
  }
  return measurement;
}

}  // namespace

// ---------------------------------------------------------------------------
// Studies

absl::StatusOr<std::optional<StudyRow>> StoreTransaction::FindStudy(
    const std::string& name) {
  AUGUR_ASSIGN_OR_RETURN(Statement query, db_.Prepare(absl::StrCat(
                                              "SELECT ", kStudyColumns,
                                              " FROM studies WHERE name = ?")));
  AUGUR_RETURN_IF_ERROR(query.Bind(name));
  AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<StudyRow>();

  AUGUR_ASSIGN_OR_RETURN(StudyRow study, ReadStudy(query));
  return std::optional<StudyRow>(std::move(study));
}

absl::StatusOr<StudyRow> StoreTransaction::GetStudy(const std::string& name) {
  AUGUR_ASSIGN_OR_RETURN(std::optional<StudyRow> study, FindStudy(name));
  if (!study.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "study \"", name,
        "\" not found; check the name (ListStudies returns every study)"));
  }
  return std::move(*study);
}

absl::StatusOr<StudyRow> StoreTransaction::GetStudyById(int64_t id) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query, db_.Prepare(absl::StrCat("SELECT ", kStudyColumns,
                                                " FROM studies WHERE id = ?")));
  AUGUR_RETURN_IF_ERROR(query.Bind(id));
  AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("study with id ", id, " not found"));
  }
  return ReadStudy(query);
}

absl::StatusOr<std::vector<StudyRow>> StoreTransaction::ListStudies() {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query, db_.Prepare(absl::StrCat("SELECT ", kStudyColumns,
                                                " FROM studies ORDER BY id")));
  std::vector<StudyRow> studies;
  while (true) {
    AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) break;
    AUGUR_ASSIGN_OR_RETURN(StudyRow study, ReadStudy(query));
    studies.push_back(std::move(study));
  }
  return studies;
}

absl::Status StoreTransaction::InsertStudy(StudyRow& study) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement insert,
      db_.Prepare("INSERT INTO studies (name, spec, state, state_reason, seed, "
                  "budget, notes, stop_trigger, algorithm_state, exhausted, "
                  "create_time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  const std::string spec = study.spec.SerializeAsString();
  std::optional<std::string> trigger;
  if (study.stop_trigger.has_value()) {
    trigger = study.stop_trigger->SerializeAsString();
  }
  std::optional<Blob> trigger_blob;
  if (trigger.has_value()) trigger_blob = Blob{*trigger};

  AUGUR_RETURN_IF_ERROR(insert.Bind(
      study.name, Blob{spec}, static_cast<int64_t>(study.state),
      study.state_reason, study.seed, study.budget, EncodeNotes(study.notes),
      trigger_blob, Blob{study.algorithm_state}, study.exhausted,
      study.create_time_ms));
  AUGUR_RETURN_IF_ERROR(insert.Run());
  study.id = db_.last_insert_rowid();
  return absl::OkStatus();
}

absl::Status StoreTransaction::UpdateStudy(const StudyRow& study) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement update,
      db_.Prepare("UPDATE studies SET state = ?, state_reason = ?, budget = ?, "
                  "notes = ?, stop_trigger = ?, algorithm_state = ?, "
                  "exhausted = ? WHERE id = ?"));
  std::optional<std::string> trigger;
  if (study.stop_trigger.has_value()) {
    trigger = study.stop_trigger->SerializeAsString();
  }
  std::optional<Blob> trigger_blob;
  if (trigger.has_value()) trigger_blob = Blob{*trigger};

  AUGUR_RETURN_IF_ERROR(
      update.Bind(static_cast<int64_t>(study.state), study.state_reason,
                  study.budget, EncodeNotes(study.notes), trigger_blob,
                  Blob{study.algorithm_state}, study.exhausted, study.id));
  AUGUR_RETURN_IF_ERROR(update.Run());
  if (db_.changes() != 1) {
    return absl::NotFoundError(
        absl::StrCat("study with id ", study.id, " not found"));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Trials

absl::Status StoreTransaction::InsertTrial(TrialRow& trial) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement insert,
      db_.Prepare("INSERT INTO trials (study_id, state, origin, parameters, "
                  "point_key, client_id, parent_id, resume_from_parent, "
                  "algorithm_state, objective_value, message, create_time_ms, "
                  "start_time_ms, end_time_ms, last_seen_ms) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  const std::string parameters = EncodeParameters(trial.parameters);
  AUGUR_RETURN_IF_ERROR(
      insert.Bind(trial.study_id, static_cast<int64_t>(trial.state),
                  static_cast<int64_t>(trial.origin), Blob{parameters},
                  Blob{trial.point_key}, trial.client_id, trial.parent_id,
                  trial.resume_from_parent, Blob{trial.algorithm_state},
                  trial.objective_value, trial.message, trial.create_time_ms,
                  trial.start_time_ms, trial.end_time_ms, trial.last_seen_ms));
  AUGUR_RETURN_IF_ERROR(insert.Run());
  trial.id = db_.last_insert_rowid();
  return absl::OkStatus();
}

absl::StatusOr<TrialRow> StoreTransaction::GetTrial(int64_t id) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query, db_.Prepare(absl::StrCat("SELECT ", kTrialColumns,
                                                " FROM trials WHERE id = ?")));
  AUGUR_RETURN_IF_ERROR(query.Bind(id));
  AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("trial ", id,
                     " not found; check the id (ListTrials returns the "
                     "trials of a study)"));
  }
  return ReadTrial(query);
}

absl::Status StoreTransaction::UpdateTrial(const TrialRow& trial) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement update,
      db_.Prepare("UPDATE trials SET state = ?, client_id = ?, "
                  "algorithm_state = ?, objective_value = ?, message = ?, "
                  "start_time_ms = ?, end_time_ms = ?, last_seen_ms = ? "
                  "WHERE id = ?"));
  AUGUR_RETURN_IF_ERROR(update.Bind(
      static_cast<int64_t>(trial.state), trial.client_id,
      Blob{trial.algorithm_state}, trial.objective_value, trial.message,
      trial.start_time_ms, trial.end_time_ms, trial.last_seen_ms, trial.id));
  AUGUR_RETURN_IF_ERROR(update.Run());
  if (db_.changes() != 1) {
    return absl::NotFoundError(absl::StrCat("trial ", trial.id, " not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TrialRow>> StoreTransaction::ListTrials(
    int64_t study_id, const std::vector<v1::TrialState>& states) {
  // The state filter runs here rather than in SQL, so the query text stays
  // fixed. A study's trials are read in one indexed scan.
  AUGUR_ASSIGN_OR_RETURN(
      Statement query,
      db_.Prepare(absl::StrCat("SELECT ", kTrialColumns,
                               " FROM trials WHERE study_id = ? ORDER BY id")));
  AUGUR_RETURN_IF_ERROR(query.Bind(study_id));

  std::vector<TrialRow> trials;
  while (true) {
    AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) break;
    const auto state = static_cast<v1::TrialState>(query.Int(2));
    bool selected = states.empty();
    for (v1::TrialState filter : states) selected = selected || filter == state;
    if (!selected) continue;

    AUGUR_ASSIGN_OR_RETURN(TrialRow trial, ReadTrial(query));
    trials.push_back(std::move(trial));
  }
  return trials;
}

absl::StatusOr<std::map<v1::TrialState, int64_t>>
StoreTransaction::CountTrialsByState(int64_t study_id) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query,
      db_.Prepare("SELECT state, COUNT(*) FROM trials WHERE study_id = ? "
                  "GROUP BY state"));
  AUGUR_RETURN_IF_ERROR(query.Bind(study_id));

  std::map<v1::TrialState, int64_t> counts;
  while (true) {
    AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) break;
    counts[static_cast<v1::TrialState>(query.Int(0))] = query.Int(1);
  }
  return counts;
}

absl::StatusOr<int64_t> StoreTransaction::CountTrialsByOrigin(
    int64_t study_id, TrialOrigin origin) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query,
      db_.Prepare("SELECT COUNT(*) FROM trials WHERE study_id = ? AND "
                  "origin = ?"));
  AUGUR_RETURN_IF_ERROR(query.Bind(study_id, static_cast<int64_t>(origin)));
  AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
  return found ? query.Int(0) : 0;
}

// ---------------------------------------------------------------------------
// Measurements and latest metric values

absl::StatusOr<std::optional<v1::Measurement>>
StoreTransaction::FindMeasurement(int64_t trial_id, int64_t step) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query, db_.Prepare("SELECT trial_id, metrics FROM measurements "
                                   "WHERE trial_id = ? AND step = ?"));
  AUGUR_RETURN_IF_ERROR(query.Bind(trial_id, step));
  AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<v1::Measurement>();

  AUGUR_ASSIGN_OR_RETURN(v1::Measurement measurement,
                         ReadMeasurement(query, 0, 1));
  return std::optional<v1::Measurement>(std::move(measurement));
}

absl::Status StoreTransaction::InsertMeasurement(
    int64_t trial_id, const v1::Measurement& measurement) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement insert,
      db_.Prepare("INSERT INTO measurements (trial_id, step, metrics) "
                  "VALUES (?, ?, ?)"));
  const std::string metrics = measurement.SerializeAsString();
  AUGUR_RETURN_IF_ERROR(
      insert.Bind(trial_id, measurement.step(), Blob{metrics}));
  return insert.Run();
}

absl::StatusOr<std::vector<v1::Measurement>> StoreTransaction::ListMeasurements(
    int64_t trial_id) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query, db_.Prepare("SELECT trial_id, metrics FROM measurements "
                                   "WHERE trial_id = ? ORDER BY step"));
  AUGUR_RETURN_IF_ERROR(query.Bind(trial_id));

  std::vector<v1::Measurement> measurements;
  while (true) {
    AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) break;
    AUGUR_ASSIGN_OR_RETURN(v1::Measurement measurement,
                           ReadMeasurement(query, 0, 1));
    measurements.push_back(std::move(measurement));
  }
  return measurements;
}

absl::StatusOr<std::map<int64_t, std::vector<v1::Measurement>>>
StoreTransaction::ListMeasurementsOfStudy(int64_t study_id) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query,
      db_.Prepare("SELECT m.trial_id, m.metrics FROM measurements AS m "
                  "JOIN trials AS t ON t.id = m.trial_id "
                  "WHERE t.study_id = ? ORDER BY m.trial_id, m.step"));
  AUGUR_RETURN_IF_ERROR(query.Bind(study_id));

  std::map<int64_t, std::vector<v1::Measurement>> measurements;
  while (true) {
    AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) break;
    AUGUR_ASSIGN_OR_RETURN(v1::Measurement measurement,
                           ReadMeasurement(query, 0, 1));
    measurements[query.Int(0)].push_back(std::move(measurement));
  }
  return measurements;
}

absl::Status StoreTransaction::RecordLatestMetric(int64_t trial_id,
                                                  const std::string& name,
                                                  double value, int64_t step) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement upsert,
      db_.Prepare("INSERT INTO latest_metrics (trial_id, name, value, step) "
                  "VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (trial_id, name) DO UPDATE SET "
                  "value = excluded.value, step = excluded.step "
                  "WHERE excluded.step >= latest_metrics.step"));
  AUGUR_RETURN_IF_ERROR(upsert.Bind(trial_id, name, value, step));
  return upsert.Run();
}

absl::StatusOr<std::map<std::string, double>>
StoreTransaction::ListLatestMetrics(int64_t trial_id) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query,
      db_.Prepare("SELECT name, value FROM latest_metrics WHERE trial_id = ?"));
  AUGUR_RETURN_IF_ERROR(query.Bind(trial_id));

  std::map<std::string, double> metrics;
  while (true) {
    AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) break;
    metrics[query.Text(0)] = query.Double(1);
  }
  return metrics;
}

absl::StatusOr<std::map<int64_t, std::map<std::string, double>>>
StoreTransaction::ListLatestMetricsOfStudy(int64_t study_id) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement query,
      db_.Prepare(
          "SELECT l.trial_id, l.name, l.value FROM latest_metrics AS l "
          "JOIN trials AS t ON t.id = l.trial_id WHERE t.study_id = ?"));
  AUGUR_RETURN_IF_ERROR(query.Bind(study_id));

  std::map<int64_t, std::map<std::string, double>> metrics;
  while (true) {
    AUGUR_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) break;
    metrics[query.Int(0)][query.Text(1)] = query.Double(2);
  }
  return metrics;
}

// ---------------------------------------------------------------------------
// TrialStore

absl::StatusOr<std::unique_ptr<TrialStore>> TrialStore::Open(
    const std::string& path) {
  AUGUR_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path));
  AUGUR_RETURN_IF_ERROR(ApplyMigrations(*db, TrialStoreMigrations()).status());
  return std::unique_ptr<TrialStore>(new TrialStore(std::move(db), path));
}

absl::Status TrialStore::Transact(
    absl::FunctionRef<absl::Status(StoreTransaction&)> body) {
  absl::MutexLock lock(&mu_);
  StoreTransaction transaction(*db_);
  return RunInTransaction(*db_, [&]() { return body(transaction); });
}

}  // namespace augur
