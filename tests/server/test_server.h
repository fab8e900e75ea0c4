#ifndef AUGUR_TESTS_SERVER_TEST_SERVER_H_
#define AUGUR_TESTS_SERVER_TEST_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "augur/v1/augur.grpc.pb.h"
#include "gtest/gtest.h"
#include "server/server.h"
#include "tests/server/temp_dir.h"

namespace augur {

// A real Server on 127.0.0.1:0 over a SQLite file in a fresh directory, with
// a gRPC stub connected to it.
class TestServer {
 public:
  TestServer() {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.database_path = dir_.File("augur.db");
    auto started = Server::Start(options);
    if (!started.ok()) {
      ADD_FAILURE() << "Server::Start failed: " << started.status();
      return;
    }
    server_ = *std::move(started);
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::Augur::NewStub(channel_);
  }

  ~TestServer() {
    if (server_ != nullptr) server_->Shutdown();
  }

  v1::Augur::Stub& stub() { return *stub_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  Server& server() { return *server_; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Augur::Stub> stub_;
};

// A grid study over parameters x0, x1, ... with `sizes[i]` integer values
// each, minimising "loss".
inline v1::StudySpec GridSpec(const std::string& name,
                              const std::vector<int>& sizes,
                              int64_t concurrency) {
  v1::StudySpec spec;
  spec.set_name(name);
  spec.set_concurrency(concurrency);
  for (size_t i = 0; i < sizes.size(); ++i) {
    v1::ParameterSpec* parameter = spec.add_parameters();
    parameter->set_name("x" + std::to_string(i));
    for (int value = 0; value < sizes[i]; ++value) {
      parameter->mutable_values()->add_values()->set_int_value(value);
    }
  }
  spec.mutable_grid_search();
  spec.mutable_metric()->set_name("loss");
  spec.mutable_metric()->set_optimization(v1::MINIMIZE);
  return spec;
}

// Unary-call helpers that fail the test on a transport or RPC error.
inline v1::Study CreateStudyOrFail(v1::Augur::Stub& stub,
                                   const v1::StudySpec& spec) {
  grpc::ClientContext context;
  v1::CreateStudyRequest request;
  *request.mutable_spec() = spec;
  v1::Study study;
  grpc::Status status = stub.CreateStudy(&context, request, &study);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return study;
}

inline v1::GetSuggestionsResponse Suggest(v1::Augur::Stub& stub,
                                          const std::string& study, int count,
                                          const std::string& client_id) {
  grpc::ClientContext context;
  v1::GetSuggestionsRequest request;
  request.set_study(study);
  request.set_count(count);
  request.set_client_id(client_id);
  v1::GetSuggestionsResponse reply;
  grpc::Status status = stub.GetSuggestions(&context, request, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return reply;
}

inline grpc::Status Report(
    v1::Augur::Stub& stub, int64_t trial_id, int64_t step,
    const std::vector<std::pair<std::string, double>>& metrics,
    v1::ReportMetricResponse* reply = nullptr) {
  grpc::ClientContext context;
  v1::ReportMetricRequest request;
  request.set_trial_id(trial_id);
  request.set_step(step);
  for (const auto& [name, value] : metrics) {
    v1::Metric* metric = request.add_metrics();
    metric->set_name(name);
    metric->set_value(value);
  }
  v1::ReportMetricResponse ignored;
  return stub.ReportMetric(&context, request, reply ? reply : &ignored);
}

inline grpc::Status Complete(
    v1::Augur::Stub& stub, int64_t trial_id, v1::TrialState state,
    const std::vector<std::pair<std::string, double>>& final_metrics = {},
    v1::Trial* reply = nullptr) {
  grpc::ClientContext context;
  v1::CompleteTrialRequest request;
  request.set_trial_id(trial_id);
  request.set_state(state);
  for (const auto& [name, value] : final_metrics) {
    v1::Metric* metric = request.add_final_metrics();
    metric->set_name(name);
    metric->set_value(value);
  }
  v1::Trial ignored;
  return stub.CompleteTrial(&context, request, reply ? reply : &ignored);
}

inline v1::Study GetStudyOrFail(v1::Augur::Stub& stub,
                                const std::string& name) {
  grpc::ClientContext context;
  v1::GetStudyRequest request;
  request.set_study(name);
  v1::Study study;
  grpc::Status status = stub.GetStudy(&context, request, &study);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return study;
}

inline v1::Trial GetTrialOrFail(v1::Augur::Stub& stub, int64_t trial_id) {
  grpc::ClientContext context;
  v1::GetTrialRequest request;
  request.set_trial_id(trial_id);
  v1::Trial trial;
  grpc::Status status = stub.GetTrial(&context, request, &trial);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return trial;
}

// Returns the value of parameter `name` of `trial` as an integer, or -1.
inline int64_t IntParameter(const v1::Trial& trial, const std::string& name) {
  for (const v1::Parameter& parameter : trial.parameters()) {
    if (parameter.name() == name) return parameter.value().int_value();
  }
  return -1;
}

}  // namespace augur

#endif  // AUGUR_TESTS_SERVER_TEST_SERVER_H_
