// The dispatcher against a real augur server (on port 0, with a SQLite file
// in the test's temporary directory) and the in-memory Kubernetes API.

#include "client/dispatcher/dispatcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "client/cpp/client.h"
#include "client/dispatcher/trial_pod.h"
#include "server/server.h"
#include "tests/dispatcher/fake_kube_api.h"

namespace augur {
namespace {

using nlohmann::json;
using testing::FakeKubeApi;
using testing::RecordedRequest;

constexpr char kTrialAddress[] = "augur.tuning.svc:8470";

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test_name =
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    database_ = (std::filesystem::path(::testing::TempDir()) /
                 ("dispatcher-" + test_name + ".db"))
                    .string();
    std::filesystem::remove(database_);

    ServerOptions server_options;
    server_options.database_path = database_;
    absl::StatusOr<std::unique_ptr<Server>> server =
        Server::Start(server_options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();

    ClientOptions client_options;
    client_options.address = server_->address();
    absl::StatusOr<std::unique_ptr<Client>> client =
        Client::Create(client_options);
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = std::move(client).value();
  }

  void TearDown() override {
    StopDispatcher();
    if (server_ != nullptr) server_->Shutdown();
  }

  void StartDispatcher(absl::Duration finished_pod_ttl = absl::Hours(1)) {
    KubeConfig config;
    config.server = api_.url();
    config.namespace_name = api_.namespace_name();
    KubeClientOptions kube_options;
    kube_options.retry.initial_backoff = absl::Milliseconds(50);
    kube_options.retry.max_backoff = absl::Milliseconds(200);
    absl::StatusOr<std::unique_ptr<KubeClient>> kube =
        KubeClient::Create(config, kube_options);
    ASSERT_TRUE(kube.ok()) << kube.status();
    kube_ = std::move(kube).value();

    DispatcherOptions options;
    options.trial_server_address = kTrialAddress;
    options.poll_interval = absl::Milliseconds(100);
    options.finished_pod_ttl = finished_pod_ttl;
    options.watch_timeout = absl::Seconds(2);
    options.initial_watch_backoff = absl::Milliseconds(50);
    options.max_watch_backoff = absl::Milliseconds(200);
    dispatcher_ =
        std::make_unique<Dispatcher>(client_.get(), kube_.get(), options);
    dispatcher_thread_ = std::thread([this] {
      const absl::Status result = dispatcher_->Run();
      EXPECT_TRUE(result.ok()) << result;
    });
  }

  void StopDispatcher() {
    if (dispatcher_ == nullptr) return;
    dispatcher_->Stop();
    dispatcher_thread_.join();
    dispatcher_.reset();
    kube_.reset();
  }

  // A grid of `points` learning rates, run `concurrency` at a time.
  v1::Study CreateStudy(const std::string& name, int concurrency, int points,
                        v1::Runner runner = v1::KUBERNETES) {
    v1::StudySpec spec;
    spec.set_name(name);
    spec.set_concurrency(concurrency);
    spec.set_runner(runner);
    spec.mutable_run()->set_image("registry.local/train:1");
    spec.mutable_run()->set_cmd("python train.py --lr={{ lr }}");
    v1::ParameterSpec* lr = spec.add_parameters();
    lr->set_name("lr");
    for (int i = 1; i <= points; ++i) {
      lr->mutable_values()->add_values()->set_double_value(0.1 * i);
    }
    absl::StatusOr<v1::Study> study = client_->CreateStudy(spec);
    EXPECT_TRUE(study.ok()) << study.status();
    return study.value_or(v1::Study());
  }

  // Polls `condition` every 20 ms until it is true or `timeout` passes.
  static bool WaitFor(const std::function<bool()>& condition,
                      absl::Duration timeout = absl::Seconds(15)) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return condition();
  }

  // The pods of the fake API whose phase is not Succeeded or Failed.
  std::vector<json> RunningPods() const {
    std::vector<json> running;
    for (const json& pod : api_.Pods()) {
      const std::string phase = pod["status"].value("phase", "");
      if (phase != "Succeeded" && phase != "Failed") running.push_back(pod);
    }
    return running;
  }

  static std::string Name(const json& pod) {
    return pod["metadata"]["name"].get<std::string>();
  }

  static int64_t TrialId(const json& pod) {
    return std::stoll(
        pod["metadata"]["labels"][kTrialLabel].get<std::string>());
  }

  v1::TrialState TrialState(int64_t trial_id) {
    absl::StatusOr<v1::Trial> trial = client_->GetTrial(trial_id);
    return trial.ok() ? trial->state() : v1::TRIAL_STATE_UNSPECIFIED;
  }

  std::string TrialMessage(int64_t trial_id) {
    absl::StatusOr<v1::Trial> trial = client_->GetTrial(trial_id);
    return trial.ok() ? trial->message() : "";
  }

  bool WaitForRunningPods(size_t count) {
    return WaitFor([&] { return RunningPods().size() == count; });
  }

  std::string database_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
  FakeKubeApi api_;
  std::unique_ptr<KubeClient> kube_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::thread dispatcher_thread_;
};

std::string EnvValue(const json& container, const std::string& name) {
  for (const json& entry : container["env"]) {
    if (entry["name"] == name) return entry["value"];
  }
  return "<missing>";
}

TEST_F(DispatcherTest, CreatesOnePodPerSlot) {
  CreateStudy("digits", 2, 4);
  StartDispatcher();

  ASSERT_TRUE(WaitForRunningPods(2));
  // A third pod would exceed the study's concurrency.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(api_.Pods().size(), 2u);

  absl::StatusOr<std::vector<v1::Trial>> active =
      client_->ListTrials("digits", {v1::ACTIVE}, false);
  ASSERT_TRUE(active.ok()) << active.status();
  ASSERT_EQ(active->size(), 2u);
  for (const v1::Trial& trial : *active) {
    std::optional<json> pod = api_.GetPod(TrialPodName("digits", trial.id()));
    ASSERT_TRUE(pod.has_value()) << "no pod for trial " << trial.id();
    EXPECT_EQ(trial.client_id(),
              SlotClientId("digits",
                           std::stoi((*pod)["metadata"]["labels"][kSlotLabel]
                                         .get<std::string>())));

    const json& container = (*pod)["spec"]["containers"][0];
    EXPECT_EQ(container["image"], "registry.local/train:1");
    EXPECT_EQ(container["command"][2].get<std::string>().rfind(
                  "python train.py --lr=0.", 0),
              0u);
    EXPECT_EQ(EnvValue(container, "AUGUR_ADDRESS"), kTrialAddress);
    EXPECT_EQ(EnvValue(container, "AUGUR_TRIAL_ID"),
              std::to_string(trial.id()));
    EXPECT_EQ(EnvValue(container, "AUGUR_STUDY"), "digits");
    EXPECT_EQ((*pod)["metadata"]["labels"][kStudyLabel], "digits");
  }
}

TEST_F(DispatcherTest, SucceededPodCompletesTrialAndFillsSlot) {
  CreateStudy("digits", 2, 4);
  StartDispatcher();
  ASSERT_TRUE(WaitForRunningPods(2));

  const json first = RunningPods().front();
  api_.SetPodRunning(Name(first));
  api_.SetPodSucceeded(Name(first));

  EXPECT_TRUE(
      WaitFor([&] { return TrialState(TrialId(first)) == v1::SUCCEEDED; }));
  EXPECT_TRUE(WaitForRunningPods(2));
  EXPECT_EQ(api_.Pods().size(), 3u);
  EXPECT_TRUE(api_.GetPod(Name(first)).has_value())
      << "a finished pod is kept until its TTL";
}

TEST_F(DispatcherTest, FailedPodFailsTrialWithExitCode) {
  CreateStudy("digits", 1, 3);
  StartDispatcher();
  ASSERT_TRUE(WaitForRunningPods(1));

  const json pod = RunningPods().front();
  api_.SetPodFailed(Name(pod), 3, "Error", "loss is NaN");

  ASSERT_TRUE(WaitFor([&] { return TrialState(TrialId(pod)) == v1::FAILED; }));
  EXPECT_EQ(TrialMessage(TrialId(pod)),
            "pod " + Name(pod) +
                " failed: container trial exited with code 3 (Error): loss is "
                "NaN");
}

TEST_F(DispatcherTest, DeletedPodFailsTrial) {
  CreateStudy("digits", 1, 3);
  StartDispatcher();
  ASSERT_TRUE(WaitForRunningPods(1));

  const json pod = RunningPods().front();
  api_.DeletePodExternally(Name(pod));

  ASSERT_TRUE(WaitFor([&] { return TrialState(TrialId(pod)) == v1::FAILED; }));
  EXPECT_EQ(TrialMessage(TrialId(pod)), "pod " + Name(pod) + " was deleted");
  // The slot moves on to the next trial.
  EXPECT_TRUE(WaitFor([&] {
    const std::vector<json> running = RunningPods();
    return running.size() == 1 && TrialId(running[0]) != TrialId(pod);
  }));
}

TEST_F(DispatcherTest, StoppedStudyDeletesPods) {
  CreateStudy("digits", 2, 4);
  StartDispatcher();
  ASSERT_TRUE(WaitForRunningPods(2));
  const std::vector<json> pods = RunningPods();

  ASSERT_TRUE(client_->StopStudy("digits", "enough").ok());

  EXPECT_TRUE(WaitFor([&] { return api_.Pods().empty(); }));
  for (const json& pod : pods) {
    EXPECT_EQ(TrialState(TrialId(pod)), v1::STOPPED) << Name(pod);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(api_.Pods().empty()) << "no pod may start for a stopped study";
}

TEST_F(DispatcherTest, RestartedDispatcherAdoptsPods) {
  CreateStudy("digits", 2, 4);
  StartDispatcher();
  ASSERT_TRUE(WaitForRunningPods(2));
  StopDispatcher();
  ASSERT_EQ(api_.CountRequests("POST", "/pods"), 2);

  StartDispatcher();
  // Several polls pass: none may create a pod for the adopted trials.
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(api_.CountRequests("POST", "/pods"), 2);
  EXPECT_EQ(api_.Pods().size(), 2u);

  const json pod = RunningPods().front();
  api_.SetPodSucceeded(Name(pod));
  EXPECT_TRUE(
      WaitFor([&] { return TrialState(TrialId(pod)) == v1::SUCCEEDED; }));
  EXPECT_TRUE(
      WaitFor([&] { return api_.CountRequests("POST", "/pods") == 3; }));
}

TEST_F(DispatcherTest, RestartedDispatcherFailsTrialWithoutPod) {
  CreateStudy("digits", 2, 4);
  StartDispatcher();
  ASSERT_TRUE(WaitForRunningPods(2));
  StopDispatcher();

  const json pod = RunningPods().front();
  api_.DeletePodExternally(Name(pod));
  StartDispatcher();

  ASSERT_TRUE(WaitFor([&] { return TrialState(TrialId(pod)) == v1::FAILED; }));
  EXPECT_EQ(TrialMessage(TrialId(pod)), "pod " + Name(pod) + " was deleted");
  EXPECT_TRUE(WaitForRunningPods(2));
  EXPECT_FALSE(api_.GetPod(Name(pod)).has_value())
      << "the vanished trial must not get a new pod";
}

TEST_F(DispatcherTest, TrainerCompletedTrialKeepsPod) {
  CreateStudy("digits", 1, 3);
  StartDispatcher();
  ASSERT_TRUE(WaitForRunningPods(1));
  const json pod = RunningPods().front();
  api_.SetPodRunning(Name(pod));

  ASSERT_TRUE(
      client_
          ->CompleteTrial(TrialId(pod), v1::SUCCEEDED, {{"accuracy", 0.9}}, "")
          .ok());

  // The slot moves on while the finished trainer's pod exits on its own.
  ASSERT_TRUE(WaitFor([&] { return api_.Pods().size() == 2u; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(api_.GetPod(Name(pod)).has_value());
  api_.SetPodSucceeded(Name(pod));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(TrialState(TrialId(pod)), v1::SUCCEEDED);
  EXPECT_EQ(TrialMessage(TrialId(pod)), "");
}

TEST_F(DispatcherTest, CreateConflictAfterLostResponseAdoptsPod) {
  CreateStudy("digits", 1, 3);
  api_.LoseNextCreateResponse();
  StartDispatcher();

  ASSERT_TRUE(WaitForRunningPods(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(api_.Pods().size(), 1u);
  // The first POST stored the pod but returned 500, and the retry got 409.
  std::vector<int> statuses;
  for (const RecordedRequest& request : api_.Requests()) {
    if (request.method == "POST") statuses.push_back(request.status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{500, 409}));

  const json pod = RunningPods().front();
  api_.SetPodSucceeded(Name(pod));
  EXPECT_TRUE(
      WaitFor([&] { return TrialState(TrialId(pod)) == v1::SUCCEEDED; }));
}

TEST_F(DispatcherTest, BacksOffOnThrottlingAndServerErrors) {
  CreateStudy("digits", 1, 3);
  api_.FailNext("POST", 429, 1, /*retry_after_seconds=*/1);
  api_.FailNext("POST", 503, 2);
  api_.FailNext("GET", 500, 2);
  StartDispatcher();

  ASSERT_TRUE(WaitForRunningPods(1));
  std::vector<RecordedRequest> posts;
  for (const RecordedRequest& request : api_.Requests()) {
    if (request.method == "POST") posts.push_back(request);
  }
  ASSERT_EQ(posts.size(), 4u);
  EXPECT_EQ(posts[0].status, 429);
  EXPECT_EQ(posts[1].status, 503);
  EXPECT_EQ(posts[2].status, 503);
  EXPECT_EQ(posts[3].status, 201);
  EXPECT_GE(posts[1].time_ms - posts[0].time_ms, 950) << "Retry-After: 1";
  EXPECT_GE(posts[2].time_ms - posts[1].time_ms, 95);
  EXPECT_GE(posts[3].time_ms - posts[2].time_ms, 195);
  EXPECT_EQ(api_.CountRequests("POST", "/pods"), 4);
}

TEST_F(DispatcherTest, RelistsAfterWatchExpires) {
  CreateStudy("digits", 2, 4);
  StartDispatcher();
  ASSERT_TRUE(WaitForRunningPods(2));
  const int lists_before = api_.CountRequests("GET", "/pods");

  // The DELETED event is lost with the history, so only a relist shows it.
  const json pod = RunningPods().front();
  api_.DeletePodAndExpireHistory(Name(pod));

  ASSERT_TRUE(WaitFor([&] { return TrialState(TrialId(pod)) == v1::FAILED; }));
  EXPECT_EQ(TrialMessage(TrialId(pod)), "pod " + Name(pod) + " was deleted");
  EXPECT_GT(api_.CountRequests("GET", "/pods"), lists_before);
  EXPECT_TRUE(WaitForRunningPods(2));
}

TEST_F(DispatcherTest, DeletesFinishedPodsAfterTtl) {
  CreateStudy("digits", 1, 3);
  StartDispatcher(/*finished_pod_ttl=*/absl::Milliseconds(300));
  ASSERT_TRUE(WaitForRunningPods(1));

  const json pod = RunningPods().front();
  api_.SetPodSucceeded(Name(pod));

  ASSERT_TRUE(
      WaitFor([&] { return TrialState(TrialId(pod)) == v1::SUCCEEDED; }));
  EXPECT_TRUE(WaitFor([&] { return !api_.GetPod(Name(pod)).has_value(); }));
  // The TTL deletion is not mistaken for a pod lost while running.
  EXPECT_EQ(TrialState(TrialId(pod)), v1::SUCCEEDED);
}

TEST_F(DispatcherTest, ImagePullBackOffFailsTrial) {
  CreateStudy("digits", 1, 3);
  StartDispatcher();
  ASSERT_TRUE(WaitForRunningPods(1));

  const json pod = RunningPods().front();
  api_.SetContainerWaiting(Name(pod), "ImagePullBackOff",
                           "Back-off pulling image \"registry.local/train:1\"");

  ASSERT_TRUE(WaitFor([&] { return TrialState(TrialId(pod)) == v1::FAILED; }));
  EXPECT_NE(TrialMessage(TrialId(pod)).find("ImagePullBackOff"),
            std::string::npos);
  EXPECT_TRUE(WaitFor([&] { return !api_.GetPod(Name(pod)).has_value(); }));
}

TEST_F(DispatcherTest, IgnoresLocalStudies) {
  CreateStudy("laptop", 2, 4, v1::LOCAL);
  StartDispatcher();

  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_TRUE(api_.Pods().empty());
  absl::StatusOr<std::vector<v1::Trial>> trials =
      client_->ListTrials("laptop", {}, false);
  ASSERT_TRUE(trials.ok());
  EXPECT_TRUE(trials->empty());
}

TEST_F(DispatcherTest, CompletesStudyWhenGridIsDone) {
  CreateStudy("digits", 2, 3);
  StartDispatcher();

  for (int finished = 0; finished < 3; ++finished) {
    ASSERT_TRUE(WaitFor([&] { return !RunningPods().empty(); }));
    const json pod = RunningPods().front();
    api_.SetPodSucceeded(Name(pod));
    ASSERT_TRUE(
        WaitFor([&] { return TrialState(TrialId(pod)) == v1::SUCCEEDED; }));
  }

  EXPECT_TRUE(WaitFor([&] {
    absl::StatusOr<v1::Study> study = client_->GetStudy("digits");
    return study.ok() && study->state() == v1::STUDY_COMPLETED;
  }));
  EXPECT_EQ(api_.CountRequests("POST", "/pods"), 3);
}

}  // namespace
}  // namespace augur
