#ifndef AUGUR_SERVER_STORE_TRANSACTION_H_
#define AUGUR_SERVER_STORE_TRANSACTION_H_

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "server/store/sqlite.h"

namespace augur {

// Runs `body` in one write transaction on `db`: BEGIN IMMEDIATE takes the
// write lock up front (waiting up to the busy timeout for other
// connections), so a read-then-write inside `body` cannot race another
// writer. Commits when `body` returns OK and rolls back otherwise.
//
// Returns the status of `body` when it fails, else the status of COMMIT.
// UNAVAILABLE when the write lock could not be taken in time.
// REQUIRES: no transaction is open on `db`.
absl::Status RunInTransaction(Database& db,
                              absl::FunctionRef<absl::Status()> body);

}  // namespace augur

#endif  // AUGUR_SERVER_STORE_TRANSACTION_H_
