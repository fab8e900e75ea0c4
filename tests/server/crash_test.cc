#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/server/server_process.h"
#include "tests/server/test_server.h"

namespace augur {
namespace {

constexpr int kClients = 4;
constexpr int kGridSize = 40;

// Writes that the server acknowledged, recorded by the clients.
struct Acknowledged {
  std::mutex mu;
  std::map<int64_t, std::map<int64_t, double>>
      reports;  // trial -> step -> loss
  std::set<int64_t> completed;
};

std::unique_ptr<grpc::ClientContext> ContextWithDeadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(5));
  return context;
}

// Works trials as `client_id` until the study ends or a call fails (the
// server was killed). Each trial reports three steps, then completes.
void Work(const std::string& address, const std::string& client_id,
          Acknowledged& acknowledged) {
  auto stub = v1::Augur::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  while (true) {
    v1::GetSuggestionsRequest request;
    request.set_study("crash");
    request.set_count(1);
    request.set_client_id(client_id);
    v1::GetSuggestionsResponse reply;
    if (!stub->GetSuggestions(ContextWithDeadline().get(), request, &reply)
             .ok()) {
      return;
    }
    if (reply.reason() == v1::STUDY_ENDED) return;
    if (reply.trials_size() == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }

    const v1::Trial& trial = reply.trials(0);
    const double loss = static_cast<double>(IntParameter(trial, "x0") * 10 +
                                            IntParameter(trial, "x1"));
    for (int64_t step = 0; step < 3; ++step) {
      v1::ReportMetricRequest report;
      report.set_trial_id(trial.id());
      report.set_step(step);
      v1::Metric* metric = report.add_metrics();
      metric->set_name("loss");
      metric->set_value(loss + 3 - step);
      v1::ReportMetricResponse ignored;
      // A retry of an acknowledged step is a no-op, so a worker that got
      // its trial back after a restart reports every step again.
      if (!stub->ReportMetric(ContextWithDeadline().get(), report, &ignored)
               .ok()) {
        return;
      }
      std::lock_guard<std::mutex> lock(acknowledged.mu);
      acknowledged.reports[trial.id()][step] = metric->value();
    }

    v1::CompleteTrialRequest complete;
    complete.set_trial_id(trial.id());
    complete.set_state(v1::SUCCEEDED);
    v1::Trial ended;
    if (!stub->CompleteTrial(ContextWithDeadline().get(), complete, &ended)
             .ok()) {
      return;
    }
    std::lock_guard<std::mutex> lock(acknowledged.mu);
    acknowledged.completed.insert(trial.id());
  }
}

void RunClients(const std::string& address, Acknowledged& acknowledged) {
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back(Work, address, "slot-" + std::to_string(i),
                         std::ref(acknowledged));
  }
  for (std::thread& client : clients) client.join();
}

TEST(CrashRecovery, SigkillLosesNoAcknowledgedWrite) {
  TempDir dir;
  const std::string db = dir.File("augur.db");
  const std::string log = dir.File("server.log");
  Acknowledged acknowledged;

  {
    ServerProcess first(db, log);
    ASSERT_FALSE(first.address().empty()) << first.Log();
    auto stub = v1::Augur::NewStub(grpc::CreateChannel(
        first.address(), grpc::InsecureChannelCredentials()));
    CreateStudyOrFail(*stub, GridSpec("crash", {kGridSize / 10, 10}, kClients));

    std::thread clients(RunClients, first.address(), std::ref(acknowledged));
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard<std::mutex> lock(acknowledged.mu);
        if (acknowledged.completed.size() >= kGridSize / 2) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const int status = first.Kill(SIGKILL);
    clients.join();
    ASSERT_TRUE(WIFSIGNALED(status)) << "the server ended before the kill:\n"
                                     << first.Log();
    ASSERT_EQ(WTERMSIG(status), SIGKILL);
  }
  ASSERT_GE(acknowledged.completed.size(), static_cast<size_t>(kGridSize / 2));
  ASSERT_LT(acknowledged.completed.size(), static_cast<size_t>(kGridSize))
      << "the kill must land in the middle of the study";

  ServerProcess second(db, log);
  ASSERT_FALSE(second.address().empty()) << second.Log();
  auto stub = v1::Augur::NewStub(grpc::CreateChannel(
      second.address(), grpc::InsecureChannelCredentials()));

  for (const auto& [trial_id, steps] : acknowledged.reports) {
    v1::Trial trial = GetTrialOrFail(*stub, trial_id);
    std::map<int64_t, double> stored;
    for (const v1::Measurement& measurement : trial.measurements()) {
      stored[measurement.step()] = measurement.metrics(0).value();
    }
    for (const auto& [step, value] : steps) {
      ASSERT_EQ(stored.count(step), 1u)
          << "acknowledged report of trial " << trial_id << " step " << step
          << " is missing";
      EXPECT_EQ(stored[step], value);
    }
  }
  for (int64_t trial_id : acknowledged.completed) {
    EXPECT_EQ(GetTrialOrFail(*stub, trial_id).state(), v1::SUCCEEDED)
        << "acknowledged completion of trial " << trial_id << " is missing";
  }

  RunClients(second.address(), acknowledged);

  v1::Study study = GetStudyOrFail(*stub, "crash");
  EXPECT_EQ(study.state(), v1::STUDY_COMPLETED) << second.Log();
  EXPECT_EQ(study.succeeded_trials(), kGridSize);

  grpc::ClientContext context;
  v1::ListTrialsRequest request;
  request.set_study("crash");
  v1::ListTrialsResponse listed;
  ASSERT_TRUE(stub->ListTrials(&context, request, &listed).ok());
  std::set<std::pair<int64_t, int64_t>> points;
  for (const v1::Trial& trial : listed.trials()) {
    const bool fresh =
        points.insert({IntParameter(trial, "x0"), IntParameter(trial, "x1")})
            .second;
    EXPECT_TRUE(fresh) << "trial " << trial.id() << " repeats a point";
  }
  EXPECT_EQ(points.size(), static_cast<size_t>(kGridSize));
}

TEST(CrashRecovery, SigtermShutsDownCleanly) {
  TempDir dir;
  ServerProcess server(dir.File("augur.db"), dir.File("server.log"));
  ASSERT_FALSE(server.address().empty()) << server.Log();

  const int status = server.Kill(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status)) << server.Log();
  EXPECT_EQ(WEXITSTATUS(status), 0) << server.Log();
  EXPECT_NE(server.Log().find("stopped"), std::string::npos) << server.Log();
}

}  // namespace
}  // namespace augur
