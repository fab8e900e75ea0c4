#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/server/test_server.h"

namespace augur {
namespace {

constexpr int kClients = 8;
constexpr int kConcurrency = 4;

// What the clients saw, merged under a mutex.
struct Observed {
  std::mutex mu;
  std::map<std::pair<int64_t, int64_t>, int> points;  // (x0, x1) -> times
  std::vector<std::string> errors;
  int completed = 0;
};

// One worker slot: requests one trial at a time, reports two steps and
// completes it, until the study ends.
void RunClient(const std::string& address, const std::string& client_id,
               std::atomic<int>& running, std::atomic<int>& max_running,
               Observed& observed) {
  auto channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = v1::Augur::NewStub(channel);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::minutes(3);

  while (std::chrono::steady_clock::now() < deadline) {
    v1::GetSuggestionsResponse reply = Suggest(*stub, "grid", 1, client_id);
    if (reply.reason() == v1::STUDY_ENDED) return;
    if (reply.trials_size() == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }

    const v1::Trial& trial = reply.trials(0);
    const int now_running = ++running;
    int seen = max_running.load();
    while (now_running > seen &&
           !max_running.compare_exchange_weak(seen, now_running)) {
    }
    const int64_t x0 = IntParameter(trial, "x0");
    const int64_t x1 = IntParameter(trial, "x1");
    const double loss = static_cast<double>(x0 * 10 + x1);

    grpc::Status first = Report(*stub, trial.id(), 0, {{"loss", loss + 1.0}});
    grpc::Status second = Report(*stub, trial.id(), 1, {{"loss", loss}});
    --running;
    grpc::Status done = Complete(*stub, trial.id(), v1::SUCCEEDED);

    std::lock_guard<std::mutex> lock(observed.mu);
    ++observed.points[{x0, x1}];
    for (const grpc::Status& status : {first, second, done}) {
      if (!status.ok()) observed.errors.push_back(status.error_message());
    }
    if (done.ok()) ++observed.completed;
  }
  std::lock_guard<std::mutex> lock(observed.mu);
  observed.errors.push_back(client_id + " ran out of time");
}

TEST(Concurrency, EightClientsRunGridToCompletion) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("grid", {20, 10}, kConcurrency));

  Observed observed;
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back(RunClient, server.server().address(),
                         "worker-" + std::to_string(i), std::ref(running),
                         std::ref(max_running), std::ref(observed));
  }
  for (std::thread& client : clients) client.join();

  EXPECT_TRUE(observed.errors.empty()) << observed.errors.front();
  EXPECT_EQ(observed.completed, 200);
  EXPECT_EQ(observed.points.size(), 200u) << "every grid point is suggested";
  for (const auto& [point, times] : observed.points) {
    EXPECT_EQ(times, 1) << "point (" << point.first << ", " << point.second
                        << ") was handed out " << times << " times";
  }
  EXPECT_LE(max_running.load(), kConcurrency);

  v1::Study study = GetStudyOrFail(server.stub(), "grid");
  EXPECT_EQ(study.state(), v1::STUDY_COMPLETED);
  EXPECT_EQ(study.succeeded_trials(), 200);
  EXPECT_EQ(study.active_trials(), 0);
  EXPECT_EQ(study.best_trial().objective_value(), 0.0);
}

TEST(Concurrency, TwoServersShareOneDatabase) {
  TestServer first;
  ServerOptions options;
  options.database_path = first.dir().File("augur.db");
  auto second = Server::Start(options);
  ASSERT_TRUE(second.ok()) << second.status();
  CreateStudyOrFail(first.stub(), GridSpec("grid", {20, 10}, kConcurrency));

  Observed observed;
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    const std::string address =
        i % 2 == 0 ? first.server().address() : (*second)->address();
    clients.emplace_back(RunClient, address, "worker-" + std::to_string(i),
                         std::ref(running), std::ref(max_running),
                         std::ref(observed));
  }
  for (std::thread& client : clients) client.join();
  (*second)->Shutdown();

  EXPECT_TRUE(observed.errors.empty()) << observed.errors.front();
  EXPECT_EQ(observed.completed, 200);
  EXPECT_EQ(observed.points.size(), 200u);
  for (const auto& [point, times] : observed.points) {
    EXPECT_EQ(times, 1) << "point (" << point.first << ", " << point.second
                        << ") was handed out " << times << " times";
  }
  EXPECT_LE(max_running.load(), kConcurrency);
  EXPECT_EQ(GetStudyOrFail(first.stub(), "grid").state(),
            v1::STUDY_COMPLETED);
}

}  // namespace
}  // namespace augur
