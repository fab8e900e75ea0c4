#include "tests/dispatcher/fake_kube_api.h"

#include <httplib.h>

#include <chrono>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace augur::testing {
namespace {

using nlohmann::json;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Timestamp() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(),
                          absl::UTCTimeZone());
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 404:
      return "NotFound";
    case 409:
      return "AlreadyExists";
    case 410:
      return "Expired";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    default:
      return status >= 500 ? "InternalError" : "BadRequest";
  }
}

// A metav1.Status object as the API server sends it with every error.
json StatusObject(int code, const std::string& message) {
  return {{"kind", "Status"},
          {"apiVersion", "v1"},
          {"metadata", json::object()},
          {"status", "Failure"},
          {"message", message},
          {"reason", ReasonPhrase(code)},
          {"code", code}};
}

void SendStatus(httplib::Response& response, int code,
                const std::string& message) {
  response.status = code;
  response.set_content(StatusObject(code, message).dump(), "application/json");
}

// Matches equality-based selectors: "k=v", "k==v", "k!=v", "k", "!k",
// joined by commas.
bool MatchesSelector(const json& pod, const std::string& selector) {
  const json labels =
      pod.value("metadata", json::object()).value("labels", json::object());
  for (absl::string_view term :
       absl::StrSplit(selector, ',', absl::SkipEmpty())) {
    std::string text(term);
    size_t position;
    if ((position = text.find("!=")) != std::string::npos) {
      const std::string key = text.substr(0, position);
      if (labels.value(key, "") == text.substr(position + 2)) return false;
    } else if ((position = text.find('=')) != std::string::npos) {
      const std::string key = text.substr(0, position);
      size_t value_start = position + 1;
      if (value_start < text.size() && text[value_start] == '=') ++value_start;
      if (!labels.contains(key) || labels[key] != text.substr(value_start)) {
        return false;
      }
    } else if (!text.empty() && text[0] == '!') {
      if (labels.contains(text.substr(1))) return false;
    } else if (!labels.contains(text)) {
      return false;
    }
  }
  return true;
}

json ContainerStatus(const json& container, const json& state) {
  return {{"name", container.value("name", "")},
          {"image", container.value("image", "")},
          {"ready", state.contains("running")},
          {"restartCount", 0},
          {"state", state}};
}

}  // namespace

FakeKubeApi::FakeKubeApi() : start_ms_(NowMs()) {
  server_ = std::make_unique<httplib::Server>();
  RegisterHandlers();
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

FakeKubeApi::~FakeKubeApi() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  server_->stop();
  thread_.join();
}

std::string FakeKubeApi::url() const {
  return absl::StrCat("http://127.0.0.1:", port_);
}

int64_t FakeKubeApi::ElapsedMs() const { return NowMs() - start_ms_; }

void FakeKubeApi::RegisterHandlers() {
  // Failure injection and the request log come before routing.
  server_->set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back({request.method, request.path, ElapsedMs(), 0});
        for (auto it = failures_.begin(); it != failures_.end(); ++it) {
          if (it->method != request.method) continue;
          SendStatus(response, it->status, "injected failure");
          if (it->retry_after_seconds >= 0) {
            response.set_header("Retry-After",
                                std::to_string(it->retry_after_seconds));
          }
          requests_.back().status = it->status;
          failures_.erase(it);
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });

  const std::string pods = R"(/api/v1/namespaces/([^/]+)/pods)";
  const std::string pod = R"(/api/v1/namespaces/([^/]+)/pods/([^/]+))";

  server_->Post(pods, [this](const httplib::Request& request,
                             httplib::Response& response) {
    json body = json::parse(request.body, nullptr, false);
    const std::string name =
        body.is_object()
            ? body.value("metadata", json::object()).value("name", "")
            : "";
    if (name.empty()) {
      SendStatus(response, 422,
                 "Pod is invalid: metadata.name: Required value");
      return;
    }

    std::lock_guard<std::mutex> lock(mutex_);
    if (pods_.count(name) > 0) {
      SendStatus(response, 409,
                 absl::StrCat("pods \"", name, "\" already exists"));
      return;
    }
    json& metadata = body["metadata"];
    metadata["namespace"] = request.matches[1].str();
    metadata["uid"] = absl::StrCat("uid-", name);
    metadata["creationTimestamp"] = Timestamp();
    body["status"] = {{"phase", "Pending"}, {"qosClass", "BestEffort"}};
    Emit("ADDED", body);

    if (lose_next_create_response_) {
      lose_next_create_response_ = false;
      SendStatus(response, 500, "response lost");
      return;
    }
    response.status = 201;
    response.set_content(pods_[name].dump(), "application/json");
  });

  server_->Get(pod, [this](const httplib::Request& request,
                           httplib::Response& response) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pods_.find(request.matches[2].str());
    if (it == pods_.end()) {
      SendStatus(
          response, 404,
          absl::StrCat("pods \"", request.matches[2].str(), "\" not found"));
      return;
    }
    response.set_content(it->second.dump(), "application/json");
  });

  server_->Delete(pod, [this](const httplib::Request& request,
                              httplib::Response& response) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pods_.find(request.matches[2].str());
    if (it == pods_.end()) {
      SendStatus(
          response, 404,
          absl::StrCat("pods \"", request.matches[2].str(), "\" not found"));
      return;
    }
    json deleted = it->second;
    Emit("DELETED", deleted);
    response.set_content(deleted.dump(), "application/json");
  });

  server_->Get(pods, [this](const httplib::Request& request,
                            httplib::Response& response) {
    const std::string selector = request.get_param_value("labelSelector");
    if (request.get_param_value("watch") != "true") {
      std::lock_guard<std::mutex> lock(mutex_);
      json items = json::array();
      for (const auto& [name, object] : pods_) {
        if (MatchesSelector(object, selector)) items.push_back(object);
      }
      json list = {{"kind", "PodList"},
                   {"apiVersion", "v1"},
                   {"metadata",
                    {{"resourceVersion", std::to_string(resource_version_)}}},
                   {"items", items}};
      response.set_content(list.dump(), "application/json");
      return;
    }

    int64_t from = 0;
    int64_t timeout_seconds = 300;
    absl::SimpleAtoi(request.get_param_value("resourceVersion"), &from);
    absl::SimpleAtoi(request.get_param_value("timeoutSeconds"),
                     &timeout_seconds);
    const int64_t deadline_ms = ElapsedMs() + timeout_seconds * 1000;
    auto position = std::make_shared<int64_t>(from);

    response.set_chunked_content_provider(
        "application/json", [this, selector, deadline_ms, position](
                                size_t, httplib::DataSink& sink) {
          std::string lines;
          bool expired = false;
          {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait_for(lock, std::chrono::milliseconds(50), [&] {
              return stopping_ || resource_version_ > *position ||
                     history_start_ > *position;
            });
            if (stopping_) {
              sink.done();
              return true;
            }
            if (history_start_ > *position) {
              expired = true;
              json error = {
                  {"type", "ERROR"},
                  {"object",
                   StatusObject(410, absl::StrCat("too old resource version: ",
                                                  *position, " (",
                                                  history_start_, ")"))}};
              lines = error.dump() + "\n";
            } else {
              for (const auto& [version, event] : history_) {
                if (version <= *position) continue;
                *position = version;
                if (MatchesSelector(event["object"], selector)) {
                  lines += event.dump() + "\n";
                }
              }
            }
          }

          if (!lines.empty() && !sink.write(lines.data(), lines.size())) {
            return false;
          }
          if (expired || ElapsedMs() >= deadline_ms) sink.done();
          return true;
        });
  });

  // Runs before the response is written, so the status is recorded before
  // the client can see it.
  server_->set_post_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = requests_.rbegin(); it != requests_.rend(); ++it) {
          if (it->path == request.path && it->method == request.method &&
              it->status == 0) {
            it->status = response.status;
            break;
          }
        }
      });
}

void FakeKubeApi::Emit(const std::string& type, json pod) {
  ++resource_version_;
  pod["metadata"]["resourceVersion"] = std::to_string(resource_version_);
  const std::string name = pod["metadata"]["name"];
  if (type == "DELETED") {
    pods_.erase(name);
  } else {
    pods_[name] = pod;
  }
  history_.emplace_back(resource_version_,
                        json{{"type", type}, {"object", std::move(pod)}});
  changed_.notify_all();
}

void FakeKubeApi::FailNext(const std::string& method, int status, int count,
                           int retry_after_seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (int i = 0; i < count; ++i) {
    failures_.push_back({method, status, retry_after_seconds});
  }
}

void FakeKubeApi::LoseNextCreateResponse() {
  std::lock_guard<std::mutex> lock(mutex_);
  lose_next_create_response_ = true;
}

void FakeKubeApi::UpdateStatus(const std::string& name, const json& status) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pods_.find(name);
  if (it == pods_.end()) return;
  json pod = it->second;
  pod["status"] = status;
  Emit("MODIFIED", pod);
}

void FakeKubeApi::SetPodRunning(const std::string& name) {
  std::optional<json> pod = GetPod(name);
  if (!pod) return;
  json statuses = json::array();
  for (const json& container : (*pod)["spec"]["containers"]) {
    statuses.push_back(ContainerStatus(
        container, {{"running", {{"startedAt", Timestamp()}}}}));
  }
  UpdateStatus(name, {{"phase", "Running"}, {"containerStatuses", statuses}});
}

void FakeKubeApi::SetPodSucceeded(const std::string& name) {
  std::optional<json> pod = GetPod(name);
  if (!pod) return;
  json statuses = json::array();
  for (const json& container : (*pod)["spec"]["containers"]) {
    statuses.push_back(
        ContainerStatus(container, {{"terminated",
                                     {{"exitCode", 0},
                                      {"reason", "Completed"},
                                      {"startedAt", Timestamp()},
                                      {"finishedAt", Timestamp()}}}}));
  }
  UpdateStatus(name, {{"phase", "Succeeded"}, {"containerStatuses", statuses}});
}

void FakeKubeApi::SetPodFailed(const std::string& name, int exit_code,
                               const std::string& reason,
                               const std::string& message) {
  std::optional<json> pod = GetPod(name);
  if (!pod) return;
  json terminated = {{"exitCode", exit_code},
                     {"reason", reason},
                     {"startedAt", Timestamp()},
                     {"finishedAt", Timestamp()}};
  if (!message.empty()) terminated["message"] = message;
  json statuses = json::array();
  for (const json& container : (*pod)["spec"]["containers"]) {
    statuses.push_back(
        ContainerStatus(container, {{"terminated", terminated}}));
  }
  UpdateStatus(name, {{"phase", "Failed"}, {"containerStatuses", statuses}});
}

void FakeKubeApi::SetContainerWaiting(const std::string& name,
                                      const std::string& reason,
                                      const std::string& message) {
  std::optional<json> pod = GetPod(name);
  if (!pod) return;
  json statuses = json::array();
  for (const json& container : (*pod)["spec"]["containers"]) {
    statuses.push_back(ContainerStatus(
        container, {{"waiting", {{"reason", reason}, {"message", message}}}}));
  }
  UpdateStatus(name, {{"phase", "Pending"}, {"containerStatuses", statuses}});
}

void FakeKubeApi::DeletePodExternally(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pods_.find(name);
  if (it == pods_.end()) return;
  Emit("DELETED", it->second);
}

void FakeKubeApi::DeletePodAndExpireHistory(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  pods_.erase(name);
  ++resource_version_;
  history_.clear();
  history_start_ = resource_version_;
  changed_.notify_all();
}

std::optional<json> FakeKubeApi::GetPod(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pods_.find(name);
  if (it == pods_.end()) return std::nullopt;
  return it->second;
}

std::vector<json> FakeKubeApi::Pods() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<json> pods;
  for (const auto& [name, pod] : pods_) pods.push_back(pod);
  return pods;
}

std::vector<RecordedRequest> FakeKubeApi::Requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

int FakeKubeApi::CountRequests(const std::string& method,
                               const std::string& path_part) const {
  std::lock_guard<std::mutex> lock(mutex_);
  int count = 0;
  for (const RecordedRequest& request : requests_) {
    if (request.method == method &&
        request.path.find(path_part) != std::string::npos) {
      ++count;
    }
  }
  return count;
}

}  // namespace augur::testing
