#include "server/store/sqlite.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace augur {

absl::Status SqliteStatus(int result, sqlite3* db, absl::string_view context) {
  if (result == SQLITE_OK || result == SQLITE_ROW || result == SQLITE_DONE) {
    return absl::OkStatus();
  }

  const char* detail =
      db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result);
  const int primary = result & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return absl::UnavailableError(
        absl::StrCat(context, ": the database is locked by another writer (",
                     detail, "); retry the request"));
  }
  return absl::InternalError(
      absl::StrCat(context, ": SQLite error ", result, " (", detail, ")"));
}

// ---------------------------------------------------------------------------
// Statement

Statement::Statement(sqlite3_stmt* statement, sqlite3* db)
    : statement_(statement), db_(db) {}

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      db_(std::exchange(other.db_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    statement_ = std::exchange(other.statement_, nullptr);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

void Statement::CheckBind(int result, int index, absl::Status& status) {
  if (result != SQLITE_OK && status.ok()) {
    status = SqliteStatus(result, db_,
                          absl::StrCat("binding SQL parameter ", index));
  }
}

void Statement::BindNext(int index, int64_t value, absl::Status& status) {
  CheckBind(sqlite3_bind_int64(statement_, index, value), index, status);
}

void Statement::BindNext(int index, double value, absl::Status& status) {
  CheckBind(sqlite3_bind_double(statement_, index, value), index, status);
}

void Statement::BindNext(int index, absl::string_view value,
                         absl::Status& status) {
  CheckBind(sqlite3_bind_text64(statement_, index, value.data(), value.size(),
                                SQLITE_TRANSIENT, SQLITE_UTF8),
            index, status);
}

void Statement::BindNext(int index, Blob value, absl::Status& status) {
  // A zero-length blob needs a non-null pointer, or SQLite binds NULL.
  static const char kEmpty = 0;
  const char* data = value.bytes.empty() ? &kEmpty : value.bytes.data();
  CheckBind(sqlite3_bind_blob64(statement_, index, data, value.bytes.size(),
                                SQLITE_TRANSIENT),
            index, status);
}

void Statement::BindNext(int index, std::nullopt_t, absl::Status& status) {
  CheckBind(sqlite3_bind_null(statement_, index), index, status);
}

absl::StatusOr<bool> Statement::Step() {
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  return SqliteStatus(
      result, db_,
      absl::StrCat("running SQL \"", sqlite3_sql(statement_), "\""));
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double Statement::Double(int column) const {
  return sqlite3_column_double(statement_, column);
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text), size);
}

std::string Statement::Bytes(int column) const {
  const void* bytes = sqlite3_column_blob(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (bytes == nullptr) return std::string();
  return std::string(static_cast<const char*>(bytes), size);
}

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<double> Statement::OptionalDouble(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Double(column);
}

// ---------------------------------------------------------------------------
// Database

Database::Database(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)) {}

Database::~Database() { sqlite3_close_v2(db_); }

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path) {
  sqlite3* handle = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int result = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (result != SQLITE_OK) {
    const std::string detail =
        handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(result);
    sqlite3_close_v2(handle);
    return absl::UnavailableError(
        absl::StrCat("cannot open the database \"", path, "\": ", detail,
                     "; check that the directory exists and is writable"));
  }

  std::unique_ptr<Database> db(new Database(handle, path));
  absl::Status status = db->Configure();
  if (!status.ok()) return status;
  return db;
}

absl::Status Database::Configure() {
  sqlite3_extended_result_codes(db_, 1);
  const int result = sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  if (result != SQLITE_OK) {
    return SqliteStatus(result, db_, "setting the busy timeout");
  }

  absl::StatusOr<Statement> journal = Prepare("PRAGMA journal_mode=WAL");
  if (!journal.ok()) return journal.status();
  absl::StatusOr<bool> row = journal->Step();
  if (!row.ok()) return row.status();
  const std::string mode = *row ? absl::AsciiStrToLower(journal->Text(0)) : "";
  if (mode != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat("the database \"", path_,
                     "\" cannot use the WAL journal (journal mode is \"", mode,
                     "\"); put it on a local file system"));
  }

  return Execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

absl::Status Database::Execute(absl::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int result = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (result == SQLITE_OK) return absl::OkStatus();

  // sqlite3_errmsg, which SqliteStatus reads, contains the same text as `error`.
  sqlite3_free(error);
  return SqliteStatus(result, db_, absl::StrCat("running SQL \"", text, "\""));
}

absl::StatusOr<Statement> Database::Prepare(absl::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int result = sqlite3_prepare_v2(
      db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (result != SQLITE_OK) {
    sqlite3_finalize(statement);
    return SqliteStatus(result, db_,
                        absl::StrCat("preparing SQL \"", sql, "\""));
  }
  return Statement(statement, db_);
}

int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const { return sqlite3_changes(db_); }

}  // namespace augur
