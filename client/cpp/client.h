#ifndef AUGUR_CLIENT_CPP_CLIENT_H_
#define AUGUR_CLIENT_CPP_CLIENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "augur/v1/augur.grpc.pb.h"
#include "augur/v1/augur.pb.h"

namespace augur {

struct ClientOptions {
  // host:port of an augur server, such as "127.0.0.1:8470".
  std::string address;
  // Deadline of each attempt of a call.
  absl::Duration call_timeout = absl::Seconds(30);
  // Attempts per call when the server is UNAVAILABLE (1 means no retry).
  int max_attempts = 6;
  // Wait before the first retry; it doubles after each retry up to
  // max_backoff.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(3);
};

// A typed client of the augur.v1 service that returns absl::Status.
//
// Server errors keep their gRPC code (INVALID_ARGUMENT, NOT_FOUND,
// FAILED_PRECONDITION, ...) and message. A call that finds the server
// UNAVAILABLE is retried with exponential backoff, up to
// `max_attempts`, when repeating it is safe: every call except AddTrial and
// RestartTrial, which would create a second trial if the first attempt had
// reached the server. A call that exceeds `call_timeout` returns
// DEADLINE_EXCEEDED.
//
// Thread safety: all methods may be called from several threads at once.
class Client {
 public:
  // Creates a client for `options.address`. The connection is made lazily,
  // so this succeeds even while the server is down. Returns
  // INVALID_ARGUMENT for an empty address or a non-positive max_attempts.
  static absl::StatusOr<std::unique_ptr<Client>> Create(
      const ClientOptions& options);

  const std::string& address() const { return options_.address; }

  absl::StatusOr<v1::Study> CreateStudy(const v1::StudySpec& spec);
  absl::StatusOr<v1::Study> GetStudy(const std::string& study);
  absl::StatusOr<std::vector<v1::Study>> ListStudies();

  // Returns up to `count` trials for `client_id`: its own ACTIVE trials
  // first, then new ones. A reply with fewer carries the reason.
  absl::StatusOr<v1::GetSuggestionsResponse> GetSuggestions(
      const std::string& study, int count, const std::string& client_id);

  // Appends a measurement and returns the current stop decision.
  absl::StatusOr<v1::StopDecision> ReportMetric(
      int64_t trial_id, int64_t step,
      const std::vector<std::pair<std::string, double>>& metrics);

  // Ends a trial as SUCCEEDED, FAILED or STOPPED and returns it.
  absl::StatusOr<v1::Trial> CompleteTrial(
      int64_t trial_id, v1::TrialState state,
      const std::vector<std::pair<std::string, double>>& final_metrics,
      const std::string& message);

  absl::StatusOr<v1::StopDecision> ShouldStop(int64_t trial_id);
  absl::StatusOr<v1::Trial> GetTrial(int64_t trial_id);

  // Returns the study's trials in the given states (all when empty), best
  // objective first when `order_by_objective`, otherwise by id.
  absl::StatusOr<std::vector<v1::Trial>> ListTrials(
      const std::string& study, const std::vector<v1::TrialState>& states,
      bool order_by_objective);

  absl::StatusOr<v1::Study> StopStudy(const std::string& study,
                                      const std::string& reason);
  absl::StatusOr<v1::Study> ResumeStudy(const std::string& study,
                                        std::optional<int64_t> budget);
  absl::StatusOr<v1::Trial> AddTrial(const v1::AddTrialRequest& request);
  absl::StatusOr<v1::Trial> RestartTrial(int64_t trial_id, bool resume);

 private:
  explicit Client(const ClientOptions& options);

  // Runs `method` with a fresh context per attempt, retrying UNAVAILABLE
  // when `retry` is set.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(
      const char* name, const Request& request,
      grpc::Status (v1::Augur::Stub::*method)(grpc::ClientContext*,
                                              const Request&, Response*),
      bool retry);

  const ClientOptions options_;
  const std::unique_ptr<v1::Augur::Stub> stub_;
};

// Converts a gRPC status to an absl::Status with the same code and message.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace augur

#endif  // AUGUR_CLIENT_CPP_CLIENT_H_
