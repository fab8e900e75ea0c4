#include "server/service/augur_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/logging.h"
#include "server/service/grpc_status.h"
#include "server/service/study_handlers.h"
#include "server/service/suggestion_handler.h"
#include "server/service/trial_handlers.h"

namespace augur {
namespace {

// Moves a handler's reply into gRPC's output message, or logs the error
// with the RPC name and the ids of the request and converts it.
template <typename Reply>
grpc::Status Finish(const char* rpc, const std::string& ids,
                    absl::StatusOr<Reply> result, Reply* reply) {
  if (result.ok()) {
    *reply = *std::move(result);
    return grpc::Status::OK;
  }

  const absl::Status& status = result.status();
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnavailable:
      AUGUR_LOG_ERROR("{} ({}) failed: {}", rpc, ids, status.ToString());
      break;
    default:
      AUGUR_LOG_WARN("{} ({}) rejected: {}", rpc, ids, status.ToString());
      break;
  }
  return ToGrpcStatus(status);
}

std::string StudyIds(const std::string& study) {
  return absl::StrCat("study \"", study, "\"");
}

std::string TrialIds(int64_t trial_id) {
  return absl::StrCat("trial ", trial_id);
}

}  // namespace

AugurService::AugurService(TrialStore& store) {
  context_.store = &store;
  context_.configs = &configs_;
}

grpc::Status AugurService::CreateStudy(grpc::ServerContext*,
                                       const v1::CreateStudyRequest* request,
                                       v1::Study* reply) {
  return Finish("CreateStudy", StudyIds(request->spec().name()),
                augur::CreateStudy(context_, *request), reply);
}

grpc::Status AugurService::GetStudy(grpc::ServerContext*,
                                    const v1::GetStudyRequest* request,
                                    v1::Study* reply) {
  return Finish("GetStudy", StudyIds(request->study()),
                augur::GetStudy(context_, *request), reply);
}

grpc::Status AugurService::ListStudies(grpc::ServerContext*,
                                       const v1::ListStudiesRequest* request,
                                       v1::ListStudiesResponse* reply) {
  return Finish("ListStudies", "all studies",
                augur::ListStudies(context_, *request), reply);
}

grpc::Status AugurService::GetSuggestions(
    grpc::ServerContext*, const v1::GetSuggestionsRequest* request,
    v1::GetSuggestionsResponse* reply) {
  return Finish("GetSuggestions",
                absl::StrCat(StudyIds(request->study()), ", client \"",
                             request->client_id(), "\""),
                augur::GetSuggestions(context_, *request), reply);
}

grpc::Status AugurService::ReportMetric(grpc::ServerContext*,
                                        const v1::ReportMetricRequest* request,
                                        v1::ReportMetricResponse* reply) {
  return Finish(
      "ReportMetric",
      absl::StrCat(TrialIds(request->trial_id()), ", step ", request->step()),
      augur::ReportMetric(context_, *request), reply);
}

grpc::Status AugurService::CompleteTrial(
    grpc::ServerContext*, const v1::CompleteTrialRequest* request,
    v1::Trial* reply) {
  return Finish("CompleteTrial", TrialIds(request->trial_id()),
                augur::CompleteTrial(context_, *request), reply);
}

grpc::Status AugurService::ShouldStop(grpc::ServerContext*,
                                      const v1::ShouldStopRequest* request,
                                      v1::ShouldStopResponse* reply) {
  return Finish("ShouldStop", TrialIds(request->trial_id()),
                augur::ShouldStop(context_, *request), reply);
}

grpc::Status AugurService::GetTrial(grpc::ServerContext*,
                                    const v1::GetTrialRequest* request,
                                    v1::Trial* reply) {
  return Finish("GetTrial", TrialIds(request->trial_id()),
                augur::GetTrial(context_, *request), reply);
}

grpc::Status AugurService::ListTrials(grpc::ServerContext*,
                                      const v1::ListTrialsRequest* request,
                                      v1::ListTrialsResponse* reply) {
  return Finish("ListTrials", StudyIds(request->study()),
                augur::ListTrials(context_, *request), reply);
}

grpc::Status AugurService::StopStudy(grpc::ServerContext*,
                                     const v1::StopStudyRequest* request,
                                     v1::Study* reply) {
  return Finish("StopStudy", StudyIds(request->study()),
                augur::StopStudy(context_, *request), reply);
}

grpc::Status AugurService::ResumeStudy(grpc::ServerContext*,
                                       const v1::ResumeStudyRequest* request,
                                       v1::Study* reply) {
  return Finish("ResumeStudy", StudyIds(request->study()),
                augur::ResumeStudy(context_, *request), reply);
}

grpc::Status AugurService::AddTrial(grpc::ServerContext*,
                                    const v1::AddTrialRequest* request,
                                    v1::Trial* reply) {
  return Finish("AddTrial", StudyIds(request->study()),
                augur::AddTrial(context_, *request), reply);
}

grpc::Status AugurService::RestartTrial(grpc::ServerContext*,
                                        const v1::RestartTrialRequest* request,
                                        v1::Trial* reply) {
  return Finish("RestartTrial", TrialIds(request->trial_id()),
                augur::RestartTrial(context_, *request), reply);
}

}  // namespace augur
