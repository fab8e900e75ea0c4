#ifndef AUGUR_SERVER_STORE_SQLITE_H_
#define AUGUR_SERVER_STORE_SQLITE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace augur {

// A byte string bound as a SQLite BLOB rather than TEXT.
struct Blob {
  absl::string_view bytes;
};

// One prepared SQL statement. Values reach SQL only through Bind, never by
// splicing text into the query.
//
// Thread safety: not thread-safe. A statement belongs to its Database, which
// must outlive it.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds `values` to parameters 1, 2, ... in order. Accepted types: integers,
  // bool, double, std::string / absl::string_view / const char* (TEXT), Blob,
  // std::nullopt and std::optional of those (NULL when empty).
  template <typename... Values>
  absl::Status Bind(const Values&... values) {
    int index = 0;
    absl::Status status;
    (BindNext(++index, values, status), ...);
    return status;
  }

  // Advances to the next row. Returns true when a row is available and false
  // when the statement has finished. UNAVAILABLE when the database stayed
  // locked by another connection for longer than the busy timeout.
  absl::StatusOr<bool> Step();

  // Runs a statement that returns no rows.
  absl::Status Run();

  // Column readers for the current row; `column` is 0-based.
  bool IsNull(int column) const;
  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  std::string Bytes(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::optional<double> OptionalDouble(int column) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* statement, sqlite3* db);

  void BindNext(int index, int64_t value, absl::Status& status);
  void BindNext(int index, int value, absl::Status& status) {
    BindNext(index, static_cast<int64_t>(value), status);
  }
  void BindNext(int index, bool value, absl::Status& status) {
    BindNext(index, static_cast<int64_t>(value ? 1 : 0), status);
  }
  void BindNext(int index, double value, absl::Status& status);
  void BindNext(int index, absl::string_view value, absl::Status& status);
  void BindNext(int index, const std::string& value, absl::Status& status) {
    BindNext(index, absl::string_view(value), status);
  }
  void BindNext(int index, const char* value, absl::Status& status) {
    BindNext(index, absl::string_view(value), status);
  }
  void BindNext(int index, Blob value, absl::Status& status);
  void BindNext(int index, std::nullopt_t, absl::Status& status);
  template <typename T>
  void BindNext(int index, const std::optional<T>& value,
                absl::Status& status) {
    if (value.has_value()) {
      BindNext(index, *value, status);
    } else {
      BindNext(index, std::nullopt, status);
    }
  }
  void CheckBind(int result, int index, absl::Status& status);

  sqlite3_stmt* statement_ = nullptr;
  sqlite3* db_ = nullptr;
};

// One SQLite connection, configured for durability: WAL journal,
// synchronous=FULL (a committed transaction survives a killed process and a
// power loss), foreign keys on, and a busy timeout so that concurrent writers
// wait for each other instead of failing at once.
//
// Thread safety: not thread-safe; callers serialise access (TrialStore does).
class Database {
 public:
  // How long a statement waits for another connection's lock before it
  // fails with UNAVAILABLE.
  static constexpr int kBusyTimeoutMs = 10000;

  // Opens or creates the database file at `path`. Returns UNAVAILABLE when
  // the file cannot be opened and FAILED_PRECONDITION when the file system
  // does not support the WAL journal.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more SQL statements that take no parameters (DDL, PRAGMA,
  // BEGIN/COMMIT).
  absl::Status Execute(absl::string_view sql);

  // Compiles one statement. INTERNAL when the SQL is invalid.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // The rowid of the last successful INSERT on this connection.
  int64_t last_insert_rowid() const;

  // Rows changed by the last INSERT, UPDATE or DELETE.
  int changes() const;

  const std::string& path() const { return path_; }

 private:
  Database(sqlite3* db, std::string path);

  absl::Status Configure();

  sqlite3* db_ = nullptr;
  std::string path_;
};

// Converts a SQLite result code into a Status: OK for SQLITE_OK/ROW/DONE,
// UNAVAILABLE for a busy or locked database (retry later), INTERNAL
// otherwise. `context` names the operation and goes first in the message.
absl::Status SqliteStatus(int result, sqlite3* db, absl::string_view context);

}  // namespace augur

#endif  // AUGUR_SERVER_STORE_SQLITE_H_
