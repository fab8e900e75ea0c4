#include "client/dispatcher/kube_client.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/dispatcher/fake_kube_api.h"

namespace augur {
namespace {

using nlohmann::json;
using testing::FakeKubeApi;
using testing::RecordedRequest;

json MakePod(const std::string& name, const std::string& app) {
  return {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata", {{"name", name}, {"labels", {{"app", app}}}}},
      {"spec", {{"containers", {{{"name", "main"}, {"image", "busybox"}}}}}}};
}

std::unique_ptr<KubeClient> MakeClient(const FakeKubeApi& api,
                                       int max_attempts = 6) {
  KubeConfig config;
  config.server = api.url();
  config.namespace_name = api.namespace_name();
  KubeClientOptions options;
  options.retry.max_attempts = max_attempts;
  options.retry.initial_backoff = absl::Milliseconds(50);
  options.retry.max_backoff = absl::Milliseconds(400);
  absl::StatusOr<std::unique_ptr<KubeClient>> client =
      KubeClient::Create(config, options);
  EXPECT_TRUE(client.ok()) << client.status();
  return std::move(client).value();
}

// Returns the requests with `method` whose path contains `path_part`.
std::vector<RecordedRequest> RequestsOf(const FakeKubeApi& api,
                                        const std::string& method,
                                        const std::string& path_part) {
  std::vector<RecordedRequest> selected;
  for (const RecordedRequest& request : api.Requests()) {
    if (request.method == method &&
        request.path.find(path_part) != std::string::npos) {
      selected.push_back(request);
    }
  }
  return selected;
}

TEST(KubeClient, CreatesGetsAndDeletesPod) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);

  absl::StatusOr<json> created = client->CreatePod(MakePod("p1", "x"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ((*created)["metadata"]["namespace"], "trials");
  EXPECT_EQ((*created)["status"]["phase"], "Pending");

  absl::StatusOr<json> fetched = client->GetPod("p1");
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ((*fetched)["metadata"]["uid"], "uid-p1");

  EXPECT_TRUE(client->DeletePod("p1").ok());
  EXPECT_FALSE(api.GetPod("p1").has_value());
}

TEST(KubeClient, MapsHttpErrorsToStatusCodes) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);
  ASSERT_TRUE(client->CreatePod(MakePod("p1", "x")).ok());

  absl::StatusOr<json> duplicate = client->CreatePod(MakePod("p1", "x"));
  EXPECT_TRUE(absl::IsAlreadyExists(duplicate.status())) << duplicate.status();
  EXPECT_EQ(HttpStatusOf(duplicate.status()), 409);
  EXPECT_NE(duplicate.status().message().find("already exists"),
            absl::string_view::npos);

  absl::StatusOr<json> missing = client->GetPod("nope");
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
  EXPECT_TRUE(absl::IsNotFound(client->DeletePod("nope")));

  absl::StatusOr<json> unnamed = client->CreatePod(json{{"kind", "Pod"}});
  EXPECT_TRUE(absl::IsInvalidArgument(unnamed.status())) << unnamed.status();
  EXPECT_EQ(HttpStatusOf(unnamed.status()), 422);
}

TEST(KubeClient, AlreadyExistsIsNotRetried) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);
  ASSERT_TRUE(client->CreatePod(MakePod("p1", "x")).ok());

  EXPECT_FALSE(client->CreatePod(MakePod("p1", "x")).ok());
  EXPECT_EQ(api.CountRequests("POST", "/pods"), 2);
}

TEST(KubeClient, HonoursRetryAfterOn429) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);
  api.FailNext("POST", 429, 1, /*retry_after_seconds=*/1);

  absl::StatusOr<json> created = client->CreatePod(MakePod("p1", "x"));
  ASSERT_TRUE(created.ok()) << created.status();

  const std::vector<RecordedRequest> posts = RequestsOf(api, "POST", "/pods");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].status, 429);
  EXPECT_EQ(posts[1].status, 201);
  // Retry-After: 1 replaces the 50 ms backoff.
  EXPECT_GE(posts[1].time_ms - posts[0].time_ms, 950);
}

TEST(KubeClient, BacksOffExponentiallyOn5xx) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);
  api.FailNext("GET", 503, 3);

  absl::StatusOr<PodList> list = client->ListPods("app=x");
  ASSERT_TRUE(list.ok()) << list.status();

  const std::vector<RecordedRequest> gets = RequestsOf(api, "GET", "/pods");
  ASSERT_EQ(gets.size(), 4u);
  // Waits of 50, 100 and 200 ms: each gap at least the planned wait.
  EXPECT_GE(gets[1].time_ms - gets[0].time_ms, 45);
  EXPECT_GE(gets[2].time_ms - gets[1].time_ms, 95);
  EXPECT_GE(gets[3].time_ms - gets[2].time_ms, 195);
}

TEST(KubeClient, GivesUpAfterMaxAttempts) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api, /*max_attempts=*/3);
  api.FailNext("GET", 500, 5);

  absl::StatusOr<json> pod = client->GetPod("p1");
  EXPECT_TRUE(absl::IsUnavailable(pod.status())) << pod.status();
  EXPECT_EQ(HttpStatusOf(pod.status()), 500);
  EXPECT_EQ(api.CountRequests("GET", "/pods/p1"), 3);
}

TEST(KubeClient, UnreachableServerIsUnavailable) {
  KubeConfig config;
  // Port 1 on loopback: nothing listens there, so the connection is refused.
  config.server = "http://127.0.0.1:1";
  KubeClientOptions options;
  options.retry.max_attempts = 2;
  options.retry.initial_backoff = absl::Milliseconds(10);
  absl::StatusOr<std::unique_ptr<KubeClient>> client =
      KubeClient::Create(config, options);
  ASSERT_TRUE(client.ok());

  absl::StatusOr<json> pod = (*client)->GetPod("p1");
  EXPECT_TRUE(absl::IsUnavailable(pod.status())) << pod.status();
  EXPECT_FALSE(HttpStatusOf(pod.status()).has_value());
}

TEST(KubeClient, RejectsServerWithoutScheme) {
  KubeConfig config;
  config.server = "127.0.0.1:6443";
  absl::StatusOr<std::unique_ptr<KubeClient>> client =
      KubeClient::Create(config, KubeClientOptions());
  EXPECT_TRUE(absl::IsInvalidArgument(client.status()));
}

TEST(KubeClient, ListFiltersByLabelSelector) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);
  ASSERT_TRUE(client->CreatePod(MakePod("a", "one")).ok());
  ASSERT_TRUE(client->CreatePod(MakePod("b", "two")).ok());

  absl::StatusOr<PodList> list = client->ListPods("app=two");
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0]["metadata"]["name"], "b");
  EXPECT_FALSE(list->resource_version.empty());
}

TEST(KubeClient, WatchStreamsEventsInOrder) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);
  absl::StatusOr<PodList> list = client->ListPods("app=x");
  ASSERT_TRUE(list.ok());

  std::thread changes([&] {
    ASSERT_TRUE(client->CreatePod(MakePod("p1", "x")).ok());
    ASSERT_TRUE(client->CreatePod(MakePod("other", "y")).ok());
    api.SetPodRunning("p1");
    api.DeletePodExternally("p1");
  });

  std::vector<std::string> seen;
  const absl::Status watched = client->WatchPods(
      "app=x", list->resource_version, absl::Seconds(10),
      [&](const WatchEvent& event) {
        seen.push_back(event.type + " " +
                       event.object["metadata"]["name"].get<std::string>());
        return seen.size() < 3;
      });
  changes.join();

  EXPECT_TRUE(watched.ok()) << watched;
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED p1", "MODIFIED p1",
                                            "DELETED p1"}));
}

TEST(KubeClient, WatchEndsWhenServerTimesOut) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);
  absl::StatusOr<PodList> list = client->ListPods("");
  ASSERT_TRUE(list.ok());

  const absl::Status watched =
      client->WatchPods("", list->resource_version, absl::Seconds(1),
                        [](const WatchEvent&) { return true; });
  EXPECT_TRUE(watched.ok()) << watched;
}

TEST(KubeClient, WatchReportsExpiredResourceVersion) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);
  ASSERT_TRUE(client->CreatePod(MakePod("p1", "x")).ok());
  absl::StatusOr<PodList> list = client->ListPods("app=x");
  ASSERT_TRUE(list.ok());
  api.DeletePodAndExpireHistory("p1");

  const absl::Status watched =
      client->WatchPods("app=x", list->resource_version, absl::Seconds(10),
                        [](const WatchEvent&) { return true; });
  EXPECT_TRUE(IsResourceExpired(watched)) << watched;
  EXPECT_TRUE(absl::IsOutOfRange(watched)) << watched;
}

TEST(KubeClient, WatchFailureIsHttpError) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);
  api.FailNext("GET", 500, 1);

  const absl::Status watched = client->WatchPods(
      "", "1", absl::Seconds(10), [](const WatchEvent&) { return true; });
  EXPECT_TRUE(absl::IsUnavailable(watched)) << watched;
  EXPECT_EQ(HttpStatusOf(watched), 500);
}

TEST(KubeClient, CancelEndsOpenWatch) {
  FakeKubeApi api;
  std::unique_ptr<KubeClient> client = MakeClient(api);

  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    client->Cancel();
  });
  const absl::Status watched = client->WatchPods(
      "", "1", absl::Seconds(30), [](const WatchEvent&) { return true; });
  canceller.join();

  EXPECT_TRUE(absl::IsCancelled(watched)) << watched;
  EXPECT_TRUE(absl::IsCancelled(client->GetPod("p1").status()));
}

}  // namespace
}  // namespace augur
