#ifndef AUGUR_SERVER_SERVICE_STUDY_HANDLERS_H_
#define AUGUR_SERVER_SERVICE_STUDY_HANDLERS_H_

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "server/service/service_context.h"

namespace augur {

// The study RPCs. Each validates the request, runs one store transaction and
// returns the reply or an absl::Status with the canonical code that the
// augur.v1 contract names. GetStudy, StopStudy and ResumeStudy first fail
// the study's trials that trial_timeout expired (see SweepTimedOutTrials).

// Validates the spec (INVALID_ARGUMENT naming the field) and stores the
// study with its effective seed (the spec's, else one drawn from
// std::random_device), budget and notes. The same name with an identical
// spec returns the stored study; with a different spec ALREADY_EXISTS.
// UNIMPLEMENTED when this build lacks the spec's algorithm.
absl::StatusOr<v1::Study> CreateStudy(ServiceContext& context,
                                      const v1::CreateStudyRequest& request);

// NOT_FOUND for an unknown study.
absl::StatusOr<v1::Study> GetStudy(ServiceContext& context,
                                   const v1::GetStudyRequest& request);

// Every study, by creation order.
absl::StatusOr<v1::ListStudiesResponse> ListStudies(
    ServiceContext& context, const v1::ListStudiesRequest& request);

// ACTIVE -> STOPPED with the request's reason. A STOPPED study is returned
// unchanged; a COMPLETED or FAILED one is FAILED_PRECONDITION.
absl::StatusOr<v1::Study> StopStudy(ServiceContext& context,
                                    const v1::StopStudyRequest& request);

// STOPPED or COMPLETED -> ACTIVE, with an optional new budget that must
// exceed both the current budget and the number of trials the algorithm has
// created (INVALID_ARGUMENT otherwise). An ACTIVE study only takes the new
// budget; a FAILED one is FAILED_PRECONDITION.
absl::StatusOr<v1::Study> ResumeStudy(ServiceContext& context,
                                      const v1::ResumeStudyRequest& request);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_STUDY_HANDLERS_H_
