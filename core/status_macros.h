#ifndef AUGUR_CORE_STATUS_MACROS_H_
#define AUGUR_CORE_STATUS_MACROS_H_

// Abseil 20220623 has no RETURN_IF_ERROR or ASSIGN_OR_RETURN, so augur
// defines its own, prefixed to avoid clashes.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define AUGUR_CONCAT_INNER_(a, b) a##b
#define AUGUR_CONCAT_(a, b) AUGUR_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function unless it is OK.
#define AUGUR_RETURN_IF_ERROR(expr)                    \
  do {                                                 \
    const ::absl::Status augur_status_ = (expr);       \
    if (!augur_status_.ok()) return augur_status_;     \
  } while (0)

// Evaluates `rexpr` (an absl::StatusOr<T>), returns its status on error and
// otherwise moves its value into `lhs`, which may be a declaration.
#define AUGUR_ASSIGN_OR_RETURN(lhs, rexpr) \
  AUGUR_ASSIGN_OR_RETURN_IMPL_(AUGUR_CONCAT_(augur_statusor_, __LINE__), lhs, rexpr)

#define AUGUR_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return statusor.status();            \
  lhs = std::move(statusor).value()

#endif  // AUGUR_CORE_STATUS_MACROS_H_
