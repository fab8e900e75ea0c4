#include "server/store/transaction.h"

namespace augur {

absl::Status RunInTransaction(Database& db,
                              absl::FunctionRef<absl::Status()> body) {
  absl::Status status = db.Execute("BEGIN IMMEDIATE");
  if (!status.ok()) return status;

  status = body();
  if (status.ok()) {
    status = db.Execute("COMMIT");
    if (status.ok()) return status;
  }

  // The rollback's own failure is not reported: the first error explains the
  // failed request, and SQLite rolls back a broken transaction by itself.
  db.Execute("ROLLBACK").IgnoreError();
  return status;
}

}  // namespace augur
