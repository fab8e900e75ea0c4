#ifndef AUGUR_CLIENT_DISPATCHER_KUBE_CLIENT_H_
#define AUGUR_CLIENT_DISPATCHER_KUBE_CLIENT_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/dispatcher/kube_config.h"

namespace augur {

// Retries of one Kubernetes API request.
struct KubeRetryPolicy {
  // Attempts per request, the first one included (1 means no retry).
  int max_attempts = 6;
  // Wait before the first retry. It doubles after each retry up to
  // max_backoff. A Retry-After header replaces the computed wait, capped at
  // max_retry_after.
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(10);
  absl::Duration max_retry_after = absl::Seconds(60);
};

struct KubeClientOptions {
  KubeRetryPolicy retry;
  // Limit of each request other than a watch.
  absl::Duration request_timeout = absl::Seconds(30);
  absl::Duration connect_timeout = absl::Seconds(10);
};

// A page of a pod list.
struct PodList {
  std::vector<nlohmann::json> items;
  // The list's metadata.resourceVersion, where a watch starts.
  std::string resource_version;
};

// One event of a watch stream.
struct WatchEvent {
  // ADDED, MODIFIED, DELETED or BOOKMARK. ERROR events end the watch with
  // an error status instead of reaching the callback.
  std::string type;
  // The pod (for BOOKMARK, an object with only metadata.resourceVersion).
  nlohmann::json object;
};

// Returns the HTTP status code carried by an error from KubeClient, or
// nullopt for errors that came from no HTTP response (connection refused,
// timeouts, TLS failures).
std::optional<int> HttpStatusOf(const absl::Status& status);

// Returns true for the error a watch or list ends with when its
// resourceVersion is too old (HTTP 410 Gone, or an ERROR event with code
// 410). The caller lists again and watches from the new version.
bool IsResourceExpired(const absl::Status& status);

// A client of the core/v1 Pods API of one namespace, over HTTPS (or plain
// HTTP for a local test server) with libcurl.
//
// Errors map HTTP codes to absl codes and carry the code itself (see
// HttpStatusOf): 400 and 422 INVALID_ARGUMENT, 401 UNAUTHENTICATED,
// 403 PERMISSION_DENIED, 404 NOT_FOUND, 409 ALREADY_EXISTS (reason
// AlreadyExists) or ABORTED (a conflict), 410 OUT_OF_RANGE,
// 429 RESOURCE_EXHAUSTED, 5xx UNAVAILABLE. A request that fails before any
// response is UNAVAILABLE. Each message names the method, the path and the
// API server's own message.
//
// Requests are retried with exponential backoff when the response is 429,
// a 5xx or a 409 conflict, or when no response arrives. A Retry-After
// header sets the wait. A 409 AlreadyExists is returned at once. A retried
// create can thus end in ALREADY_EXISTS for the pod that its own first attempt
// created.
//
// Thread safety: all methods may be called from several threads at once.
class KubeClient {
 public:
  // Returns INVALID_ARGUMENT when config.server is not an http:// or
  // https:// URL or the namespace is empty.
  static absl::StatusOr<std::unique_ptr<KubeClient>> Create(
      KubeConfig config, KubeClientOptions options);

  ~KubeClient();
  KubeClient(const KubeClient&) = delete;
  KubeClient& operator=(const KubeClient&) = delete;

  const std::string& namespace_name() const { return config_.namespace_name; }

  // Creates a pod and returns it as the API server stored it.
  absl::StatusOr<nlohmann::json> CreatePod(const nlohmann::json& pod);

  // Returns the pod, or NOT_FOUND.
  absl::StatusOr<nlohmann::json> GetPod(const std::string& name);

  // Deletes the pod, or returns NOT_FOUND when it does not exist.
  absl::Status DeletePod(const std::string& name);

  // Lists the pods that match `label_selector` (Kubernetes selector syntax,
  // such as "app=augur,tier"), following continue tokens.
  absl::StatusOr<PodList> ListPods(const std::string& label_selector);

  // Watches the pods that match `label_selector`, starting after
  // `resource_version`, and calls `on_event` for each event in order.
  // Returns OK when the server ends the stream (after `timeout`, which is
  // sent as timeoutSeconds) or when `on_event` returns false. Returns
  // CANCELLED after Cancel(), an error with IsResourceExpired() true when
  // the version is too old, and the mapped HTTP error otherwise. A watch is
  // not retried: the caller decides whether to watch again or relist.
  absl::Status WatchPods(
      const std::string& label_selector, const std::string& resource_version,
      absl::Duration timeout,
      const std::function<bool(const WatchEvent&)>& on_event);

  // Ends running watches and backoff waits; every later call returns
  // CANCELLED. Safe to call from any thread.
  void Cancel();

 private:
  struct Response;

  KubeClient(KubeConfig config, KubeClientOptions options);

  std::string PodsPath() const;

  // Sends one request and returns the response, or UNAVAILABLE when no
  // response arrived. A non-empty `stream` receives the body as it arrives
  // instead of Response::body.
  absl::StatusOr<Response> Perform(
      const std::string& method, const std::string& path_and_query,
      const std::string& body, absl::Duration timeout,
      const std::function<bool(const char*, size_t)>& stream);

  // Sends a request with retries and returns its parsed JSON body.
  absl::StatusOr<nlohmann::json> Request(const std::string& method,
                                         const std::string& path_and_query,
                                         const std::string& body);

  // Sleeps for `duration` unless Cancel() is called first. Returns false
  // when cancelled.
  bool SleepUnlessCancelled(absl::Duration duration);

  std::string EscapeQueryValue(const std::string& value) const;

  // Immutable after construction.
  const KubeConfig config_;
  const KubeClientOptions options_;

  std::atomic<bool> cancelled_{false};
  std::mutex cancel_mutex_;
  std::condition_variable cancel_signal_;
};

}  // namespace augur

#endif  // AUGUR_CLIENT_DISPATCHER_KUBE_CLIENT_H_
