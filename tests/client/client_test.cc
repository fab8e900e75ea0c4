// augur::Client against a real server on port 0 and a temporary database.

#include "client/cpp/client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/server.h"
#include "tests/client/cli_test_util.h"

namespace augur {
namespace {

namespace fs = std::filesystem;

v1::StudySpec GridSpec(const std::string& name) {
  v1::StudySpec spec;
  spec.set_name(name);
  spec.set_concurrency(2);
  spec.mutable_metric()->set_name("loss");
  spec.mutable_metric()->set_optimization(v1::MINIMIZE);
  v1::ParameterSpec* parameter = spec.add_parameters();
  parameter->set_name("x");
  for (int64_t x : {1, 2, 3}) {
    parameter->mutable_values()->add_values()->set_int_value(x);
  }
  spec.mutable_run()->set_cmd("echo loss={{ x }}");
  return spec;
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.database_path = (directory_.path() / "client.db").string();
    auto server = Server::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);

    ClientOptions client_options;
    client_options.address = server_->address();
    auto client = Client::Create(client_options);
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  void TearDown() override {
    client_.reset();
    if (server_ != nullptr) {
      server_->Shutdown();
      server_->Wait();
    }
  }

  testing::TempDirectory directory_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
};

TEST_F(ClientTest, RunsOneTrialThroughItsLifecycle) {
  auto study = client_->CreateStudy(GridSpec("lifecycle"));
  ASSERT_TRUE(study.ok()) << study.status();
  EXPECT_EQ(study->name(), "lifecycle");

  auto suggestions = client_->GetSuggestions("lifecycle", 1, "worker-0");
  ASSERT_TRUE(suggestions.ok()) << suggestions.status();
  ASSERT_EQ(suggestions->trials_size(), 1);
  const v1::Trial& trial = suggestions->trials(0);
  EXPECT_EQ(trial.state(), v1::ACTIVE);
  EXPECT_EQ(trial.client_id(), "worker-0");

  auto decision = client_->ReportMetric(trial.id(), 0, {{"loss", 0.5}});
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_FALSE(decision->should_stop());

  auto completed = client_->CompleteTrial(trial.id(), v1::SUCCEEDED,
                                          {{"loss", 0.25}}, "");
  ASSERT_TRUE(completed.ok()) << completed.status();
  EXPECT_EQ(completed->state(), v1::SUCCEEDED);
  ASSERT_TRUE(completed->has_objective_value());
  EXPECT_DOUBLE_EQ(completed->objective_value(), 0.25);

  auto fetched = client_->GetTrial(trial.id());
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->state(), v1::SUCCEEDED);

  auto trials = client_->ListTrials("lifecycle", {v1::SUCCEEDED}, true);
  ASSERT_TRUE(trials.ok()) << trials.status();
  ASSERT_EQ(trials->size(), 1u);
  EXPECT_EQ((*trials)[0].id(), trial.id());

  auto studies = client_->ListStudies();
  ASSERT_TRUE(studies.ok()) << studies.status();
  ASSERT_EQ(studies->size(), 1u);
  EXPECT_EQ((*studies)[0].succeeded_trials(), 1);
}

TEST_F(ClientTest, KeepsServerErrorCodes) {
  EXPECT_EQ(client_->GetStudy("missing").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(client_->GetTrial(12345).status().code(),
            absl::StatusCode::kNotFound);

  v1::StudySpec invalid = GridSpec("invalid");
  invalid.mutable_parameters(0)->clear_values();
  EXPECT_EQ(client_->CreateStudy(invalid).status().code(),
            absl::StatusCode::kInvalidArgument);

  ASSERT_TRUE(client_->CreateStudy(GridSpec("taken")).ok());
  v1::StudySpec different = GridSpec("taken");
  different.set_concurrency(1);
  EXPECT_EQ(client_->CreateStudy(different).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(ClientTest, ReportToFinishedTrialIsFailedPrecondition) {
  ASSERT_TRUE(client_->CreateStudy(GridSpec("finished")).ok());
  auto suggestions = client_->GetSuggestions("finished", 1, "worker-0");
  ASSERT_TRUE(suggestions.ok()) << suggestions.status();
  ASSERT_EQ(suggestions->trials_size(), 1);
  const int64_t id = suggestions->trials(0).id();
  ASSERT_TRUE(client_->CompleteTrial(id, v1::FAILED, {}, "broken").ok());

  auto decision = client_->ReportMetric(id, 0, {{"loss", 1}});

  EXPECT_EQ(decision.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(Client, RejectsEmptyAddress) {
  EXPECT_EQ(Client::Create(ClientOptions{}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Returns a port that was free a moment ago.
int FreePort() {
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(socket_fd);
  return ntohs(address.sin_port);
}

TEST(Client, UnavailableAfterRetries) {
  ClientOptions options;
  options.address = absl::StrCat("127.0.0.1:", FreePort());
  options.max_attempts = 3;
  options.initial_backoff = absl::Milliseconds(100);
  auto client = Client::Create(options);
  ASSERT_TRUE(client.ok());

  const auto start = std::chrono::steady_clock::now();
  auto studies = (*client)->ListStudies();
  const auto elapsed = std::chrono::steady_clock::now() - start;

  EXPECT_EQ(studies.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(studies.status().message().find("after 3 attempt(s)"),
            std::string::npos)
      << studies.status();
  // Two waits between three attempts: 100 ms, then 200 ms.
  EXPECT_GE(elapsed, std::chrono::milliseconds(300));
}

TEST(Client, RetriesUntilServerStarts) {
  testing::TempDirectory directory;
  const int port = FreePort();
  ClientOptions options;
  options.address = absl::StrCat("127.0.0.1:", port);
  options.max_attempts = 10;
  options.initial_backoff = absl::Milliseconds(100);
  options.max_backoff = absl::Milliseconds(400);
  auto client = Client::Create(options);
  ASSERT_TRUE(client.ok());

  auto late_server = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ServerOptions server_options;
    server_options.listen_address = options.address;
    server_options.database_path = (directory.path() / "late.db").string();
    return Server::Start(server_options);
  });
  auto studies = (*client)->ListStudies();
  auto server = late_server.get();

  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE(studies.ok()) << studies.status();
  (*server)->Shutdown();
  (*server)->Wait();
}

TEST(Client, DeadlineExceededNamesTheTimeout) {
  // A listening socket that never completes the HTTP/2 handshake.
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(socket_fd, reinterpret_cast<sockaddr*>(&address),
                 sizeof(address)),
            0);
  ASSERT_EQ(listen(socket_fd, 4), 0);
  socklen_t length = sizeof(address);
  getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length);

  ClientOptions options;
  options.address = absl::StrCat("127.0.0.1:", ntohs(address.sin_port));
  options.call_timeout = absl::Milliseconds(300);
  options.max_attempts = 1;
  auto client = Client::Create(options);
  ASSERT_TRUE(client.ok());

  auto studies = (*client)->ListStudies();
  close(socket_fd);

  EXPECT_EQ(studies.status().code(), absl::StatusCode::kDeadlineExceeded)
      << studies.status();
}

}  // namespace
}  // namespace augur
