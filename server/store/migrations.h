#ifndef AUGUR_SERVER_STORE_MIGRATIONS_H_
#define AUGUR_SERVER_STORE_MIGRATIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/sqlite.h"

namespace augur {

// One numbered schema change. Versions start at 1 and increase by one.
struct Migration {
  int64_t version = 0;
  std::string sql;
};

// The trial store's schema, oldest first. A released migration is never
// edited: a schema change is a new entry at the end.
const std::vector<Migration>& TrialStoreMigrations();

// Brings `db` to the last version of `migrations` in one transaction, and
// records every applied version in the `schema_version` table. A database
// that is already current is left unchanged.
//
// Returns the schema version after migrating. FAILED_PRECONDITION when the
// database has a newer schema than `migrations` lists (a newer augur wrote
// it) and INVALID_ARGUMENT when `migrations` is not numbered 1, 2, 3, ...
// A failing migration rolls back every step of the call.
absl::StatusOr<int64_t> ApplyMigrations(
    Database& db, const std::vector<Migration>& migrations);

// Returns the highest version recorded in `schema_version`, 0 for a database
// without that table.
absl::StatusOr<int64_t> SchemaVersion(Database& db);

}  // namespace augur

#endif  // AUGUR_SERVER_STORE_MIGRATIONS_H_
