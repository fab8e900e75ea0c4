#include "client/cpp/client.h"

#include <algorithm>
#include <chrono>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace augur {
namespace {

void AddMetrics(const std::vector<std::pair<std::string, double>>& metrics,
                google::protobuf::RepeatedPtrField<v1::Metric>* out) {
  for (const auto& [name, value] : metrics) {
    v1::Metric* metric = out->Add();
    metric->set_name(name);
    metric->set_value(value);
  }
}

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  // grpc::StatusCode and absl::StatusCode share the canonical numbering.
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

absl::StatusOr<std::unique_ptr<Client>> Client::Create(
    const ClientOptions& options) {
  if (options.address.empty()) {
    return absl::InvalidArgumentError(
        "the server address is empty; pass host:port, such as "
        "127.0.0.1:8470");
  }
  if (options.max_attempts < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_attempts is ", options.max_attempts, "; it must be at least 1"));
  }
  return std::unique_ptr<Client>(new Client(options));
}

Client::Client(const ClientOptions& options)
    : options_(options),
      stub_(v1::Augur::NewStub(grpc::CreateChannel(
          options.address, grpc::InsecureChannelCredentials()))) {}

template <typename Request, typename Response>
absl::StatusOr<Response> Client::Call(
    const char* name, const Request& request,
    grpc::Status (v1::Augur::Stub::*method)(grpc::ClientContext*,
                                            const Request&, Response*),
    bool retry) {
  const int attempts = retry ? options_.max_attempts : 1;
  absl::Duration backoff = options_.initial_backoff;

  grpc::Status status;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         absl::ToChronoNanoseconds(options_.call_timeout));
    Response response;
    status = (stub_.get()->*method)(&context, request, &response);
    if (status.ok()) return response;
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;

    if (attempt < attempts) {
      absl::SleepFor(backoff);
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
  }

  absl::Status error = FromGrpcStatus(status);
  if (absl::IsUnavailable(error)) {
    return absl::UnavailableError(
        absl::StrCat(name, " failed: the augur server at ", options_.address,
                     " is unavailable after ", attempts, " attempt(s) (",
                     error.message(), "); check that it is running"));
  }
  if (absl::IsDeadlineExceeded(error)) {
    return absl::DeadlineExceededError(absl::StrCat(
        name, " timed out after ", absl::FormatDuration(options_.call_timeout),
        " waiting for the augur server at ", options_.address));
  }
  return error;
}

absl::StatusOr<v1::Study> Client::CreateStudy(const v1::StudySpec& spec) {
  v1::CreateStudyRequest request;
  *request.mutable_spec() = spec;
  return Call("CreateStudy", request, &v1::Augur::Stub::CreateStudy, true);
}

absl::StatusOr<v1::Study> Client::GetStudy(const std::string& study) {
  v1::GetStudyRequest request;
  request.set_study(study);
  return Call("GetStudy", request, &v1::Augur::Stub::GetStudy, true);
}

absl::StatusOr<std::vector<v1::Study>> Client::ListStudies() {
  v1::ListStudiesRequest request;
  auto response =
      Call("ListStudies", request, &v1::Augur::Stub::ListStudies, true);
  if (!response.ok()) return response.status();
  return std::vector<v1::Study>(response->studies().begin(),
                                response->studies().end());
}

absl::StatusOr<v1::GetSuggestionsResponse> Client::GetSuggestions(
    const std::string& study, int count, const std::string& client_id) {
  v1::GetSuggestionsRequest request;
  request.set_study(study);
  request.set_count(count);
  request.set_client_id(client_id);
  return Call("GetSuggestions", request, &v1::Augur::Stub::GetSuggestions,
              true);
}

absl::StatusOr<v1::StopDecision> Client::ReportMetric(
    int64_t trial_id, int64_t step,
    const std::vector<std::pair<std::string, double>>& metrics) {
  v1::ReportMetricRequest request;
  request.set_trial_id(trial_id);
  request.set_step(step);
  AddMetrics(metrics, request.mutable_metrics());
  auto response =
      Call("ReportMetric", request, &v1::Augur::Stub::ReportMetric, true);
  if (!response.ok()) return response.status();
  return response->decision();
}

absl::StatusOr<v1::Trial> Client::CompleteTrial(
    int64_t trial_id, v1::TrialState state,
    const std::vector<std::pair<std::string, double>>& final_metrics,
    const std::string& message) {
  v1::CompleteTrialRequest request;
  request.set_trial_id(trial_id);
  request.set_state(state);
  AddMetrics(final_metrics, request.mutable_final_metrics());
  request.set_message(message);
  return Call("CompleteTrial", request, &v1::Augur::Stub::CompleteTrial, true);
}

absl::StatusOr<v1::StopDecision> Client::ShouldStop(int64_t trial_id) {
  v1::ShouldStopRequest request;
  request.set_trial_id(trial_id);
  auto response =
      Call("ShouldStop", request, &v1::Augur::Stub::ShouldStop, true);
  if (!response.ok()) return response.status();
  return response->decision();
}

absl::StatusOr<v1::Trial> Client::GetTrial(int64_t trial_id) {
  v1::GetTrialRequest request;
  request.set_trial_id(trial_id);
  return Call("GetTrial", request, &v1::Augur::Stub::GetTrial, true);
}

absl::StatusOr<std::vector<v1::Trial>> Client::ListTrials(
    const std::string& study, const std::vector<v1::TrialState>& states,
    bool order_by_objective) {
  v1::ListTrialsRequest request;
  request.set_study(study);
  for (v1::TrialState state : states) request.add_states(state);
  request.set_order_by_objective(order_by_objective);
  auto response =
      Call("ListTrials", request, &v1::Augur::Stub::ListTrials, true);
  if (!response.ok()) return response.status();
  return std::vector<v1::Trial>(response->trials().begin(),
                                response->trials().end());
}

absl::StatusOr<v1::Study> Client::StopStudy(const std::string& study,
                                            const std::string& reason) {
  v1::StopStudyRequest request;
  request.set_study(study);
  request.set_reason(reason);
  return Call("StopStudy", request, &v1::Augur::Stub::StopStudy, true);
}

absl::StatusOr<v1::Study> Client::ResumeStudy(const std::string& study,
                                              std::optional<int64_t> budget) {
  v1::ResumeStudyRequest request;
  request.set_study(study);
  if (budget.has_value()) request.set_budget(*budget);
  return Call("ResumeStudy", request, &v1::Augur::Stub::ResumeStudy, true);
}

absl::StatusOr<v1::Trial> Client::AddTrial(
    const v1::AddTrialRequest& request) {
  return Call("AddTrial", request, &v1::Augur::Stub::AddTrial, false);
}

absl::StatusOr<v1::Trial> Client::RestartTrial(int64_t trial_id, bool resume) {
  v1::RestartTrialRequest request;
  request.set_trial_id(trial_id);
  request.set_resume(resume);
  return Call("RestartTrial", request, &v1::Augur::Stub::RestartTrial, false);
}

}  // namespace augur
