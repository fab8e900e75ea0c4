#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "augur/v1/augur.pb.h"
#include "gtest/gtest.h"
#include "server/store/migrations.h"
#include "server/store/sqlite.h"
#include "server/store/transaction.h"
#include "server/store/trial_store.h"
#include "tests/server/temp_dir.h"

namespace augur {
namespace {

absl::StatusOr<int64_t> CountRows(Database& db, const std::string& table) {
  absl::StatusOr<Statement> query = db.Prepare("SELECT COUNT(*) FROM " + table);
  if (!query.ok()) return query.status();
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  return query->Int(0);
}

TEST(Database, OpensInWalModeWithFullSync) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();

  auto journal = (*db)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(journal.ok()) << journal.status();
  ASSERT_TRUE(*journal->Step());
  EXPECT_EQ(journal->Text(0), "wal");

  auto sync = (*db)->Prepare("PRAGMA synchronous");
  ASSERT_TRUE(sync.ok()) << sync.status();
  ASSERT_TRUE(*sync->Step());
  EXPECT_EQ(sync->Int(0), 2) << "2 is FULL";

  auto keys = (*db)->Prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_TRUE(*keys->Step());
  EXPECT_EQ(keys->Int(0), 1);
}

TEST(Database, OpenMissingDirectoryNamesPath) {
  TempDir dir;
  const std::string path = dir.File("missing/store.db");
  auto db = Database::Open(path);

  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(db.status().message().find(path), std::string::npos) << db.status();
}

TEST(Database, BindsValuesWithoutSplicing) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(
      (*db)->Execute("CREATE TABLE t (a TEXT, b BLOB, c REAL, d INT)").ok());

  const std::string hostile = "x'); DROP TABLE t; --";
  const std::string bytes("\0\1\2", 3);
  auto insert = (*db)->Prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(insert.ok()) << insert.status();
  ASSERT_TRUE(insert->Bind(hostile, Blob{bytes}, 0.25, std::nullopt).ok());
  ASSERT_TRUE(insert->Run().ok());

  auto select = (*db)->Prepare("SELECT a, b, c, d FROM t");
  ASSERT_TRUE(select.ok()) << select.status();
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->Text(0), hostile);
  EXPECT_EQ(select->Bytes(1), bytes);
  EXPECT_EQ(select->Double(2), 0.25);
  EXPECT_FALSE(select->OptionalInt(3).has_value());
}

TEST(Database, InvalidSqlIsInternalWithQuery) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();

  auto statement = (*db)->Prepare("SELEKT 1");
  ASSERT_FALSE(statement.ok());
  EXPECT_EQ(statement.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(statement.status().message().find("SELEKT 1"), std::string::npos);
}

TEST(Migrations, CreateSchemaAndRecordVersion) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(*SchemaVersion(**db), 0);

  auto version = ApplyMigrations(**db, TrialStoreMigrations());
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, static_cast<int64_t>(TrialStoreMigrations().size()));
  EXPECT_EQ(*SchemaVersion(**db), *version);

  for (const char* table :
       {"studies", "trials", "measurements", "latest_metrics"}) {
    auto rows = CountRows(**db, table);
    EXPECT_TRUE(rows.ok()) << table << ": " << rows.status();
  }
}

TEST(Migrations, SecondRunChangesNothing) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(ApplyMigrations(**db, TrialStoreMigrations()).ok());

  auto again = ApplyMigrations(**db, TrialStoreMigrations());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*CountRows(**db, "schema_version"),
            static_cast<int64_t>(TrialStoreMigrations().size()));
}

TEST(Migrations, AppliesOnlyNewSteps) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  std::vector<Migration> migrations = {{1, "CREATE TABLE a (x INT)"}};
  ASSERT_EQ(*ApplyMigrations(**db, migrations), 1);

  migrations.push_back({2, "INSERT INTO a VALUES (7); CREATE TABLE b (y INT)"});
  auto version = ApplyMigrations(**db, migrations);
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 2);
  EXPECT_EQ(*CountRows(**db, "a"), 1);
  EXPECT_TRUE(CountRows(**db, "b").ok());
}

TEST(Migrations, FailedStepRollsBackWholeRun) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  const std::vector<Migration> migrations = {
      {1, "CREATE TABLE a (x INT)"},
      {2, "CREATE TABLE b (y INT); INSERT INTO missing VALUES (1)"}};

  auto version = ApplyMigrations(**db, migrations);
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.status().message().find("schema migration 2 failed"),
            std::string::npos)
      << version.status();
  EXPECT_EQ(*SchemaVersion(**db), 0);
  EXPECT_FALSE(CountRows(**db, "a").ok()) << "step 1 must be rolled back";
}

TEST(Migrations, NewerDatabaseIsRejected) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(ApplyMigrations(**db, {{1, "CREATE TABLE a (x INT)"},
                                     {2, "CREATE TABLE b (x INT)"}})
                  .ok());

  auto version = ApplyMigrations(**db, {{1, "CREATE TABLE a (x INT)"}});
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(version.status().message().find("schema version 2"),
            std::string::npos)
      << version.status();
}

TEST(Migrations, GapInNumberingIsRejected) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();

  auto version = ApplyMigrations(**db, {{1, "SELECT 1"}, {3, "SELECT 1"}});
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RunInTransaction, CommitsOnOk) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)->Execute("CREATE TABLE t (x INT)").ok());

  absl::Status status = RunInTransaction(**db, [&]() {
    return (*db)->Execute("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");
  });
  ASSERT_TRUE(status.ok()) << status;

  // A second connection reads the commit, so it reached the database file.
  auto other = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(*CountRows(**other, "t"), 2);
}

TEST(RunInTransaction, RollsBackOnError) {
  TempDir dir;
  auto db = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)->Execute("CREATE TABLE t (x INT)").ok());

  absl::Status status = RunInTransaction(**db, [&]() -> absl::Status {
    absl::Status inserted = (*db)->Execute("INSERT INTO t VALUES (1)");
    if (!inserted.ok()) return inserted;
    return absl::FailedPreconditionError("body failed");
  });
  EXPECT_EQ(status, absl::FailedPreconditionError("body failed"));
  EXPECT_EQ(*CountRows(**db, "t"), 0);

  // The connection is usable again: no transaction was left open.
  EXPECT_TRUE(RunInTransaction(**db, [&]() {
                return (*db)->Execute("INSERT INTO t VALUES (3)");
              }).ok());
  EXPECT_EQ(*CountRows(**db, "t"), 1);
}

TEST(RunInTransaction, SecondWriterWaitsThenTimesOut) {
  TempDir dir;
  auto first = Database::Open(dir.File("store.db"));
  auto second = Database::Open(dir.File("store.db"));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE((*first)->Execute("PRAGMA busy_timeout=50").ok());
  ASSERT_TRUE((*second)->Execute("PRAGMA busy_timeout=50").ok());

  absl::Status inner;
  absl::Status outer = RunInTransaction(**first, [&]() {
    inner = RunInTransaction(**second, []() { return absl::OkStatus(); });
    return absl::OkStatus();
  });
  EXPECT_TRUE(outer.ok()) << outer;
  EXPECT_EQ(inner.code(), absl::StatusCode::kUnavailable) << inner;
}

StudyRow MakeStudy(const std::string& name) {
  StudyRow study;
  study.name = name;
  study.spec.set_name(name);
  study.spec.set_concurrency(2);
  study.state = v1::STUDY_ACTIVE;
  study.seed = 42;
  study.budget = 10;
  study.notes = {"budget capped at 10", "second note"};
  study.create_time_ms = 1000;
  return study;
}

TrialRow MakeTrial(int64_t study_id, int64_t x) {
  TrialRow trial;
  trial.study_id = study_id;
  trial.state = v1::ACTIVE;
  v1::Parameter parameter;
  parameter.set_name("x");
  parameter.mutable_value()->set_int_value(x);
  trial.parameters.push_back(parameter);
  trial.point_key = "key" + std::to_string(x);
  trial.client_id = "worker-1";
  trial.algorithm_state = std::string("\0state", 6);
  trial.create_time_ms = 2000;
  return trial;
}

TEST(TrialStore, StudyRoundTrip) {
  TempDir dir;
  auto store = TrialStore::Open(dir.File("store.db"));
  ASSERT_TRUE(store.ok()) << store.status();

  StudyRow written = MakeStudy("mnist");
  written.stop_trigger.emplace();
  written.stop_trigger->set_trial_id(3);
  written.stop_trigger->set_metric("loss");
  absl::Status status = (*store)->Transact(
      [&](StoreTransaction& tx) { return tx.InsertStudy(written); });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_GT(written.id, 0);

  StudyRow read;
  status = (*store)->Transact([&](StoreTransaction& tx) -> absl::Status {
    auto found = tx.GetStudy("mnist");
    if (!found.ok()) return found.status();
    read = *found;
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(read.id, written.id);
  EXPECT_EQ(read.spec.concurrency(), 2);
  EXPECT_EQ(read.seed, 42);
  EXPECT_EQ(read.budget, 10);
  EXPECT_EQ(read.notes, written.notes);
  ASSERT_TRUE(read.stop_trigger.has_value());
  EXPECT_EQ(read.stop_trigger->metric(), "loss");
  EXPECT_EQ(read.create_time_ms, 1000);
}

TEST(TrialStore, UnknownStudyIsNotFound) {
  TempDir dir;
  auto store = TrialStore::Open(dir.File("store.db"));
  ASSERT_TRUE(store.ok()) << store.status();

  absl::Status status = (*store)->Transact(
      [&](StoreTransaction& tx) { return tx.GetStudy("nope").status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(status.message().find("\"nope\""), std::string::npos) << status;
}

TEST(TrialStore, TrialRoundTripAndUpdate) {
  TempDir dir;
  auto store = TrialStore::Open(dir.File("store.db"));
  ASSERT_TRUE(store.ok()) << store.status();

  StudyRow study = MakeStudy("s");
  TrialRow trial;
  absl::Status status = (*store)->Transact([&](StoreTransaction& tx) {
    absl::Status inserted = tx.InsertStudy(study);
    if (!inserted.ok()) return inserted;
    trial = MakeTrial(study.id, 5);
    return tx.InsertTrial(trial);
  });
  ASSERT_TRUE(status.ok()) << status;

  trial.state = v1::SUCCEEDED;
  trial.objective_value = 0.5;
  trial.message = "done";
  trial.end_time_ms = 3000;
  status = (*store)->Transact(
      [&](StoreTransaction& tx) { return tx.UpdateTrial(trial); });
  ASSERT_TRUE(status.ok()) << status;

  TrialRow read;
  status = (*store)->Transact([&](StoreTransaction& tx) -> absl::Status {
    auto found = tx.GetTrial(trial.id);
    if (!found.ok()) return found.status();
    read = *found;
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(read.state, v1::SUCCEEDED);
  ASSERT_EQ(read.parameters.size(), 1u);
  EXPECT_EQ(read.parameters[0].value().int_value(), 5);
  EXPECT_EQ(read.point_key, "key5");
  EXPECT_EQ(read.algorithm_state, trial.algorithm_state);
  EXPECT_EQ(read.objective_value, 0.5);
  EXPECT_EQ(read.message, "done");
  EXPECT_EQ(read.end_time_ms, 3000);
  EXPECT_FALSE(read.parent_id.has_value());
}

TEST(TrialStore, ListTrialsFiltersAndCounts) {
  TempDir dir;
  auto store = TrialStore::Open(dir.File("store.db"));
  ASSERT_TRUE(store.ok()) << store.status();

  std::vector<TrialRow> active;
  std::map<v1::TrialState, int64_t> counts;
  int64_t added = 0;
  absl::Status status =
      (*store)->Transact([&](StoreTransaction& tx) -> absl::Status {
        StudyRow study = MakeStudy("s");
        absl::Status inserted = tx.InsertStudy(study);
        if (!inserted.ok()) return inserted;
        for (int i = 0; i < 5; ++i) {
          TrialRow trial = MakeTrial(study.id, i);
          trial.state = i % 2 == 0 ? v1::ACTIVE : v1::PENDING;
          trial.origin = i == 4 ? TrialOrigin::kAdded : TrialOrigin::kAlgorithm;
          inserted = tx.InsertTrial(trial);
          if (!inserted.ok()) return inserted;
        }
        auto listed = tx.ListTrials(study.id, {v1::ACTIVE});
        if (!listed.ok()) return listed.status();
        active = *listed;
        auto counted = tx.CountTrialsByState(study.id);
        if (!counted.ok()) return counted.status();
        counts = *counted;
        auto by_origin = tx.CountTrialsByOrigin(study.id, TrialOrigin::kAdded);
        if (!by_origin.ok()) return by_origin.status();
        added = *by_origin;
        return absl::OkStatus();
      });
  ASSERT_TRUE(status.ok()) << status;

  ASSERT_EQ(active.size(), 3u);
  EXPECT_LT(active[0].id, active[1].id);
  EXPECT_EQ(counts[v1::ACTIVE], 3);
  EXPECT_EQ(counts[v1::PENDING], 2);
  EXPECT_EQ(added, 1);
}

TEST(TrialStore, LatestMetricKeepsHighestStep) {
  TempDir dir;
  auto store = TrialStore::Open(dir.File("store.db"));
  ASSERT_TRUE(store.ok()) << store.status();

  std::map<std::string, double> latest;
  absl::Status status =
      (*store)->Transact([&](StoreTransaction& tx) -> absl::Status {
        StudyRow study = MakeStudy("s");
        absl::Status done = tx.InsertStudy(study);
        if (!done.ok()) return done;
        TrialRow trial = MakeTrial(study.id, 1);
        done = tx.InsertTrial(trial);
        if (!done.ok()) return done;

        for (auto [name, value, step] :
             std::vector<std::tuple<std::string, double, int64_t>>{
                 {"loss", 1.0, 1},
                 {"acc", 0.5, 1},
                 {"loss", 0.5, 3},
                 {"loss", 0.9, 2}}) {
          done = tx.RecordLatestMetric(trial.id, name, value, step);
          if (!done.ok()) return done;
        }
        auto listed = tx.ListLatestMetrics(trial.id);
        if (!listed.ok()) return listed.status();
        latest = *listed;
        return absl::OkStatus();
      });
  ASSERT_TRUE(status.ok()) << status;

  EXPECT_EQ(latest["loss"], 0.5) << "step 2 arrived after step 3";
  EXPECT_EQ(latest["acc"], 0.5);
}

TEST(TrialStore, MeasurementKeyIsTrialAndStep) {
  TempDir dir;
  auto store = TrialStore::Open(dir.File("store.db"));
  ASSERT_TRUE(store.ok()) << store.status();

  StudyRow study = MakeStudy("s");
  TrialRow trial;
  v1::Measurement measurement;
  measurement.set_step(4);
  auto* metric = measurement.add_metrics();
  metric->set_name("loss");
  metric->set_value(0.25);
  absl::Status status = (*store)->Transact([&](StoreTransaction& tx) {
    absl::Status done = tx.InsertStudy(study);
    if (!done.ok()) return done;
    trial = MakeTrial(study.id, 1);
    done = tx.InsertTrial(trial);
    if (!done.ok()) return done;
    return tx.InsertMeasurement(trial.id, measurement);
  });
  ASSERT_TRUE(status.ok()) << status;

  status = (*store)->Transact([&](StoreTransaction& tx) {
    return tx.InsertMeasurement(trial.id, measurement);
  });
  EXPECT_FALSE(status.ok()) << "a second row for (trial, step 4)";

  std::optional<v1::Measurement> found;
  std::map<int64_t, std::vector<v1::Measurement>> by_trial;
  status = (*store)->Transact([&](StoreTransaction& tx) -> absl::Status {
    auto one = tx.FindMeasurement(trial.id, 4);
    if (!one.ok()) return one.status();
    found = *one;
    auto all = tx.ListMeasurementsOfStudy(study.id);
    if (!all.ok()) return all.status();
    by_trial = *all;
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->metrics(0).value(), 0.25);
  ASSERT_EQ(by_trial[trial.id].size(), 1u);
  EXPECT_EQ(by_trial[trial.id][0].step(), 4);
}

TEST(TrialStore, ForeignKeysRejectOrphanTrial) {
  TempDir dir;
  auto store = TrialStore::Open(dir.File("store.db"));
  ASSERT_TRUE(store.ok()) << store.status();

  absl::Status status = (*store)->Transact([&](StoreTransaction& tx) {
    TrialRow trial = MakeTrial(/*study_id=*/99, 1);
    return tx.InsertTrial(trial);
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
}

TEST(TrialStore, ReopenKeepsCommittedRows) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    auto store = TrialStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    absl::Status status = (*store)->Transact([&](StoreTransaction& tx) {
      StudyRow study = MakeStudy("kept");
      return tx.InsertStudy(study);
    });
    ASSERT_TRUE(status.ok()) << status;
  }

  auto reopened = TrialStore::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  std::vector<StudyRow> studies;
  absl::Status status =
      (*reopened)->Transact([&](StoreTransaction& tx) -> absl::Status {
        auto listed = tx.ListStudies();
        if (!listed.ok()) return listed.status();
        studies = *listed;
        return absl::OkStatus();
      });
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(studies.size(), 1u);
  EXPECT_EQ(studies[0].name, "kept");
}

}  // namespace
}  // namespace augur
