#ifndef AUGUR_SERVER_SERVICE_TRIAL_HANDLERS_H_
#define AUGUR_SERVER_SERVICE_TRIAL_HANDLERS_H_

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "server/service/service_context.h"

namespace augur {

// The trial RPCs. Each validates the request, runs one store transaction and
// returns the reply or an absl::Status with the canonical code that the
// augur.v1 contract names. Unknown trials and studies are NOT_FOUND. Each
// first fails the study's trials that trial_timeout expired (see
// SweepTimedOutTrials), in a transaction of its own.

// Appends a measurement to an ACTIVE trial, keeps the latest value of every
// metric and resets the trial's timeout, then returns the stop decision (see
// DecideTrialStop). A measurement that reaches an early_stopping threshold
// stops the study in the same transaction. Repeating a (trial, step) with
// the same values changes nothing. A report to a trial that trial_timeout
// failed is dropped, and the reply carries a TIMED_OUT stop decision.
// FAILED_PRECONDITION for a repeated step with other values and for a report
// to a PENDING or otherwise finished trial. INVALID_ARGUMENT for no metrics,
// a negative step, an unnamed or repeated metric, or a NaN or infinite
// value.
absl::StatusOr<v1::ReportMetricResponse> ReportMetric(
    ServiceContext& context, const v1::ReportMetricRequest& request);

// Ends an ACTIVE trial as SUCCEEDED, FAILED or STOPPED (INVALID_ARGUMENT for
// another state). Final metrics become the latest values; the objective
// value is the final metric if given, else the latest reported value.
// Completing a finished trial with its own state returns it unchanged; with
// another state it is FAILED_PRECONDITION. Final metrics of a trial that
// does not end FAILED are checked against the early_stopping thresholds. A
// FAILED trial may fail the study (max_failed_trials); the last trial may
// complete it.
absl::StatusOr<v1::Trial> CompleteTrial(
    ServiceContext& context, const v1::CompleteTrialRequest& request);

// Returns the stop decision for a trial (see DecideTrialStop) and resets the
// timeout of an ACTIVE trial.
absl::StatusOr<v1::ShouldStopResponse> ShouldStop(
    ServiceContext& context, const v1::ShouldStopRequest& request);

absl::StatusOr<v1::Trial> GetTrial(ServiceContext& context,
                                   const v1::GetTrialRequest& request);

// The study's trials in the requested states, by id, or best objective
// first (trials without a value last, then by id).
absl::StatusOr<v1::ListTrialsResponse> ListTrials(
    ServiceContext& context, const v1::ListTrialsRequest& request);

// Queues the given matrix point as a PENDING trial, or imports it as a
// SUCCEEDED trial with its measurements. Every matrix parameter must be
// given with a value its option allows; names outside the matrix are
// INVALID_ARGUMENT unless they repeat a fixed param's value. These trials do
// not count against the budget. A PENDING trial reopens a COMPLETED study.
absl::StatusOr<v1::Trial> AddTrial(ServiceContext& context,
                                   const v1::AddTrialRequest& request);

// Queues a finished trial's parameters again as a new PENDING trial whose
// parent is the old one, resuming from its checkpoint when asked.
// FAILED_PRECONDITION for a trial that has not ended. Reopens a COMPLETED
// study.
absl::StatusOr<v1::Trial> RestartTrial(ServiceContext& context,
                                       const v1::RestartTrialRequest& request);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_TRIAL_HANDLERS_H_
