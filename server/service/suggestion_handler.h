#ifndef AUGUR_SERVER_SERVICE_SUGGESTION_HANDLER_H_
#define AUGUR_SERVER_SERVICE_SUGGESTION_HANDLER_H_

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "server/service/service_context.h"

namespace augur {

// Hands trials to one client in one write transaction, after failing the
// study's trials that trial_timeout expired (freeing their slots). The
// caller's own
// ACTIVE trials come first (so a retry returns the same trials, and their
// timeouts reset), then
// PENDING trials in id order, then new trials from the study's algorithm.
// The study never has more ACTIVE trials than its concurrency, nor more
// algorithm-created trials than its budget. Because the transaction takes
// the write lock, two callers never receive the same trial.
//
// A reply with fewer trials than `count` carries the reason:
// CONCURRENCY_REACHED, the algorithm's reason (EXHAUSTED, WAITING_FOR_...),
// EXHAUSTED for a used-up budget, or STUDY_ENDED with study_state when the
// study is not ACTIVE. When the algorithm is exhausted and no trial is
// ACTIVE or PENDING, the study becomes COMPLETED in the same call.
//
// INVALID_ARGUMENT for a missing client_id or study, or count < 1;
// NOT_FOUND for an unknown study.
absl::StatusOr<v1::GetSuggestionsResponse> GetSuggestions(
    ServiceContext& context, const v1::GetSuggestionsRequest& request);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_SUGGESTION_HANDLER_H_
