#ifndef AUGUR_TESTS_DISPATCHER_FAKE_KUBE_API_H_
#define AUGUR_TESTS_DISPATCHER_FAKE_KUBE_API_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace augur::testing {

// One request the fake API server received.
struct RecordedRequest {
  std::string method;
  std::string path;
  // Monotonic time in milliseconds since the server started.
  int64_t time_ms = 0;
  int status = 0;
};

// An in-memory Kubernetes API server on 127.0.0.1 (plain HTTP) that
// implements the part of core/v1 Pods that the dispatcher uses. It has the
// real JSON shapes and status codes: create (201, 409 AlreadyExists, 422
// without a name), get (200, 404), delete (200, 404), list with an
// equality label selector, and watch as a chunked stream of JSON lines
// (ADDED, MODIFIED, DELETED, and ERROR with a 410 Status once the
// requested resourceVersion is older than the kept history).
//
// Tests play the kubelet and the cluster's users through the methods
// below, and inject failures (429 with Retry-After, 5xx) into the next
// requests of a method.
class FakeKubeApi {
 public:
  FakeKubeApi();
  ~FakeKubeApi();

  // "http://127.0.0.1:<port>".
  std::string url() const;
  const std::string& namespace_name() const { return namespace_; }

  // Responds to the next `count` requests with method `method` ("GET", "POST",
  // "DELETE"; watches are GETs) with HTTP `status` and a Status body, with a
  // Retry-After header when `retry_after_seconds` >= 0.
  void FailNext(const std::string& method, int status, int count,
                int retry_after_seconds = -1);

  // Makes the next create store the pod but respond 500, as when the
  // response is lost on the way back.
  void LoseNextCreateResponse();

  // Kubelet actions: each changes the pod's status and emits MODIFIED.
  void SetPodRunning(const std::string& name);
  void SetPodSucceeded(const std::string& name);
  void SetPodFailed(const std::string& name, int exit_code,
                    const std::string& reason, const std::string& message);
  void SetContainerWaiting(const std::string& name, const std::string& reason,
                           const std::string& message);

  // Deletes a pod as `kubectl delete` would, emitting DELETED.
  void DeletePodExternally(const std::string& name);

  // Deletes a pod without keeping its DELETED event, then expires the whole
  // history: open watches end with ERROR 410 and every older
  // resourceVersion is rejected, so only a new list shows the deletion.
  void DeletePodAndExpireHistory(const std::string& name);

  std::optional<nlohmann::json> GetPod(const std::string& name) const;
  std::vector<nlohmann::json> Pods() const;
  std::vector<RecordedRequest> Requests() const;
  int CountRequests(const std::string& method,
                    const std::string& path_part) const;

 private:
  struct Failure {
    std::string method;
    int status;
    int retry_after_seconds;
  };

  void RegisterHandlers();
  // Stores the change, bumps the resourceVersion and wakes the watches.
  // REQUIRES: mutex_ held.
  void Emit(const std::string& type, nlohmann::json pod);
  void UpdateStatus(const std::string& name, const nlohmann::json& status);
  int64_t ElapsedMs() const;

  const std::string namespace_ = "trials";
  const int64_t start_ms_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::map<std::string, nlohmann::json> pods_;
  int64_t resource_version_ = 1;
  // Events with resourceVersion > history_start_ are kept.
  int64_t history_start_ = 1;
  std::vector<std::pair<int64_t, nlohmann::json>> history_;
  std::vector<Failure> failures_;
  bool lose_next_create_response_ = false;
  std::vector<RecordedRequest> requests_;
};

}  // namespace augur::testing

#endif  // AUGUR_TESTS_DISPATCHER_FAKE_KUBE_API_H_
