#include "server/store/migrations.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "server/store/transaction.h"

namespace augur {
namespace {

// Version 1: studies, trials, measurements keyed by (trial, step), and the
// latest value of every metric of a trial.
//
// Blob columns are protobuf binary. `spec` is a v1::StudySpec as the user
// sent it and `stop_trigger` a v1::StopTrigger. `trials.parameters` is a
// v1::Trial with only its `parameters` set. `measurements.metrics` is a
// v1::Measurement. `notes` is a JSON array of strings. State columns contain
// the enum numbers of v1::StudyState and v1::TrialState.
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  spec BLOB NOT NULL,
  state INTEGER NOT NULL,
  state_reason TEXT NOT NULL DEFAULT '',
  seed INTEGER NOT NULL,
  budget INTEGER NOT NULL DEFAULT 0,
  notes TEXT NOT NULL DEFAULT '[]',
  stop_trigger BLOB,
  algorithm_state BLOB NOT NULL DEFAULT x'',
  exhausted INTEGER NOT NULL DEFAULT 0,
  create_time_ms INTEGER NOT NULL
);

CREATE TABLE trials (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id INTEGER NOT NULL REFERENCES studies(id),
  state INTEGER NOT NULL,
  origin INTEGER NOT NULL,
  parameters BLOB NOT NULL,
  point_key BLOB NOT NULL,
  client_id TEXT NOT NULL DEFAULT '',
  parent_id INTEGER REFERENCES trials(id),
  resume_from_parent INTEGER NOT NULL DEFAULT 0,
  algorithm_state BLOB NOT NULL DEFAULT x'',
  objective_value REAL,
  message TEXT NOT NULL DEFAULT '',
  create_time_ms INTEGER NOT NULL,
  start_time_ms INTEGER NOT NULL DEFAULT 0,
  end_time_ms INTEGER NOT NULL DEFAULT 0,
  last_seen_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX trials_by_study_state ON trials (study_id, state);

CREATE TABLE measurements (
  trial_id INTEGER NOT NULL REFERENCES trials(id),
  step INTEGER NOT NULL,
  metrics BLOB NOT NULL,
  PRIMARY KEY (trial_id, step)
) WITHOUT ROWID;

CREATE TABLE latest_metrics (
  trial_id INTEGER NOT NULL REFERENCES trials(id),
  name TEXT NOT NULL,
  value REAL NOT NULL,
  step INTEGER NOT NULL,
  PRIMARY KEY (trial_id, name)
) WITHOUT ROWID;
)sql";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

absl::Status CheckNumbering(const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    const int64_t expected = static_cast<int64_t>(i) + 1;
    if (migrations[i].version != expected) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration at position ", i, " has version ", migrations[i].version,
          " but must have version ", expected,
          "; number migrations 1, 2, 3, ... without gaps"));
    }
  }
  return absl::OkStatus();
}

absl::Status RecordVersion(Database& db, int64_t version) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement insert,
      db.Prepare("INSERT INTO schema_version (version, applied_time_ms) "
                 "VALUES (?, ?)"));
  AUGUR_RETURN_IF_ERROR(insert.Bind(version, NowMs()));
  return insert.Run();
}

}  // namespace

const std::vector<Migration>& TrialStoreMigrations() {
  static const auto* const migrations =
      new std::vector<Migration>{{1, kSchemaV1}};
  return *migrations;
}

absl::StatusOr<int64_t> SchemaVersion(Database& db) {
  AUGUR_ASSIGN_OR_RETURN(
      Statement exists,
      db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                 "name = 'schema_version'"));
  AUGUR_ASSIGN_OR_RETURN(bool has_table, exists.Step());
  if (!has_table) return 0;

  AUGUR_ASSIGN_OR_RETURN(Statement max,
                         db.Prepare("SELECT MAX(version) FROM schema_version"));
  AUGUR_ASSIGN_OR_RETURN(bool has_row, max.Step());
  if (!has_row || max.IsNull(0)) return 0;
  return max.Int(0);
}

absl::StatusOr<int64_t> ApplyMigrations(
    Database& db, const std::vector<Migration>& migrations) {
  AUGUR_RETURN_IF_ERROR(CheckNumbering(migrations));
  const int64_t latest = static_cast<int64_t>(migrations.size());

  int64_t version = 0;
  absl::Status status = RunInTransaction(db, [&]() -> absl::Status {
    AUGUR_RETURN_IF_ERROR(db.Execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER PRIMARY KEY, applied_time_ms INTEGER NOT NULL)"));
    AUGUR_ASSIGN_OR_RETURN(version, SchemaVersion(db));
    if (version > latest) {
      return absl::FailedPreconditionError(
          absl::StrCat("the database \"", db.path(), "\" has schema version ",
                       version, ", newer than version ", latest,
                       " that this augur supports; use a newer augur"));
    }

    for (; version < latest; ++version) {
      const Migration& migration = migrations[version];
      absl::Status applied = db.Execute(migration.sql);
      if (!applied.ok()) {
        return absl::Status(applied.code(),
                            absl::StrCat("schema migration ", migration.version,
                                         " failed: ", applied.message()));
      }
      AUGUR_RETURN_IF_ERROR(RecordVersion(db, migration.version));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return version;
}

}  // namespace augur
