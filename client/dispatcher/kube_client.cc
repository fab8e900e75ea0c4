#include "client/dispatcher/kube_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/status_macros.h"
#include "server/logging.h"

namespace augur {

// The status, body and Retry-After header of one response.
struct KubeClient::Response {
  long status = 0;
  std::string body;
  // The Retry-After header, empty when absent.
  std::string retry_after;
};

namespace {

using nlohmann::json;

// Payload key under which errors carry the HTTP status code.
constexpr char kHttpStatusPayload[] = "augur.dev/http-status";

void InitializeCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

absl::StatusCode CodeForHttpStatus(long status, const std::string& reason) {
  switch (status) {
    case 400:
    case 422:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 409:
      return reason == "AlreadyExists" ? absl::StatusCode::kAlreadyExists
                                       : absl::StatusCode::kAborted;
    case 410:
      return absl::StatusCode::kOutOfRange;
    case 429:
      return absl::StatusCode::kResourceExhausted;
    default:
      return status >= 500 ? absl::StatusCode::kUnavailable
                           : absl::StatusCode::kUnknown;
  }
}

// Builds the error for a non-2xx response from the Kubernetes Status object
// in its body (falling back to the raw body).
absl::Status HttpError(const std::string& method, const std::string& path,
                       long status, const std::string& body) {
  std::string reason;
  std::string message = body;
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    reason = parsed.value("reason", "");
    message = parsed.value("message", body);
  }
  if (message.size() > 500) message = message.substr(0, 500) + "...";

  absl::Status error(
      CodeForHttpStatus(status, reason),
      absl::StrCat("Kubernetes API ", method, " ", path, " returned HTTP ",
                   status, reason.empty() ? "" : " ", reason, ": ", message));
  error.SetPayload(kHttpStatusPayload, absl::Cord(absl::StrCat(status)));
  return error;
}

// 409 AlreadyExists means the object is there, so repeating the request
// cannot help; a 409 Conflict is a lost race that a retry may win.
bool IsRetryableHttpStatus(long status, const std::string& body) {
  if (status == 429 || status >= 500) return true;
  if (status != 409) return false;
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  return !(parsed.is_object() && parsed.value("reason", "") == "AlreadyExists");
}

std::string ReadToken(const KubeConfig& config) {
  if (config.token_file.empty()) return config.token;
  std::ifstream stream(config.token_file);
  std::ostringstream contents;
  contents << stream.rdbuf();
  return std::string(absl::StripAsciiWhitespace(contents.str()));
}

// The state that libcurl's callbacks share with Perform.
struct TransferState {
  CURL* handle = nullptr;
  const std::atomic<bool>* cancelled = nullptr;
  const std::function<bool(const char*, size_t)>* stream = nullptr;
  std::string body;
  std::string retry_after;
  bool stopped_by_stream = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const size_t length = size * count;
  long status = 0;
  curl_easy_getinfo(state->handle, CURLINFO_RESPONSE_CODE, &status);

  // Error bodies are kept whole for the error message, never streamed.
  if (*state->stream == nullptr || status < 200 || status >= 300) {
    state->body.append(data, length);
    return length;
  }
  if (!(*state->stream)(data, length)) {
    state->stopped_by_stream = true;
    return 0;  // Makes libcurl end the transfer with CURLE_WRITE_ERROR.
  }
  return length;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const size_t length = size * count;
  const absl::string_view line(data, length);
  const size_t colon = line.find(':');
  if (colon != absl::string_view::npos &&
      absl::EqualsIgnoreCase(line.substr(0, colon), "retry-after")) {
    state->retry_after =
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  }
  return length;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* state = static_cast<TransferState*>(user);
  return state->cancelled->load() ? 1 : 0;
}

void SetBlob(CURL* handle, CURLoption option, const std::string& data) {
  curl_blob blob;
  blob.data = const_cast<char*>(data.data());
  blob.len = data.size();
  blob.flags = CURL_BLOB_COPY;
  curl_easy_setopt(handle, option, &blob);
}

void ConfigureTls(CURL* handle, const KubeConfig& config) {
  if (!config.certificate_authority_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_CAINFO,
                     config.certificate_authority_file.c_str());
  }
  if (!config.certificate_authority_data.empty()) {
    SetBlob(handle, CURLOPT_CAINFO_BLOB, config.certificate_authority_data);
  }
  if (config.insecure_skip_tls_verify) {
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!config.client_certificate_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_SSLCERT,
                     config.client_certificate_file.c_str());
  }
  if (!config.client_certificate_data.empty()) {
    SetBlob(handle, CURLOPT_SSLCERT_BLOB, config.client_certificate_data);
  }
  if (!config.client_key_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_SSLKEY, config.client_key_file.c_str());
  }
  if (!config.client_key_data.empty()) {
    SetBlob(handle, CURLOPT_SSLKEY_BLOB, config.client_key_data);
  }
}

// Returns the wait that a Retry-After header requests, when it is a number
// of seconds. The HTTP-date form is ignored in favour of the backoff.
std::optional<absl::Duration> ParseRetryAfter(const std::string& header) {
  int64_t seconds = 0;
  if (header.empty() || !absl::SimpleAtoi(header, &seconds) || seconds < 0) {
    return std::nullopt;
  }
  return absl::Seconds(seconds);
}

}  // namespace

std::optional<int> HttpStatusOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kHttpStatusPayload);
  int code = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &code)) {
    return std::nullopt;
  }
  return code;
}

bool IsResourceExpired(const absl::Status& status) {
  return HttpStatusOf(status) == 410;
}

absl::StatusOr<std::unique_ptr<KubeClient>> KubeClient::Create(
    KubeConfig config, KubeClientOptions options) {
  if (!absl::StartsWith(config.server, "https://") &&
      !absl::StartsWith(config.server, "http://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Kubernetes API server URL \"", config.server,
        "\" is invalid; it must start with https:// (or http:// for a local "
        "test server)"));
  }
  if (config.namespace_name.empty()) {
    return absl::InvalidArgumentError(
        "Kubernetes namespace is empty; pass --namespace");
  }
  if (options.retry.max_attempts < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Kubernetes retry max_attempts must be at least 1, got ",
                     options.retry.max_attempts));
  }
  while (absl::EndsWith(config.server, "/")) config.server.pop_back();

  InitializeCurlOnce();
  return std::unique_ptr<KubeClient>(
      new KubeClient(std::move(config), std::move(options)));
}

KubeClient::KubeClient(KubeConfig config, KubeClientOptions options)
    : config_(std::move(config)), options_(std::move(options)) {}

KubeClient::~KubeClient() = default;

std::string KubeClient::PodsPath() const {
  return absl::StrCat("/api/v1/namespaces/", config_.namespace_name, "/pods");
}

std::string KubeClient::EscapeQueryValue(const std::string& value) const {
  char* escaped =
      curl_easy_escape(nullptr, value.c_str(), static_cast<int>(value.size()));
  std::string result = escaped == nullptr ? value : escaped;
  curl_free(escaped);
  return result;
}

absl::StatusOr<KubeClient::Response> KubeClient::Perform(
    const std::string& method, const std::string& path_and_query,
    const std::string& body, absl::Duration timeout,
    const std::function<bool(const char*, size_t)>& stream) {
  if (cancelled_.load())
    return absl::CancelledError("Kubernetes client cancelled");

  CURL* handle = curl_easy_init();
  if (handle == nullptr) return absl::InternalError("curl_easy_init failed");
  TransferState state;
  state.handle = handle;
  state.cancelled = &cancelled_;
  state.stream = &stream;

  const std::string url = config_.server + path_and_query;
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(
      handle, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &state);
  if (!body.empty()) {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE,
                     static_cast<long>(body.size()));
  }
  ConfigureTls(handle, config_);

  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  if (!body.empty()) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
  }
  const std::string token = ReadToken(config_);
  const std::string authorization = "Authorization: Bearer " + token;
  if (!token.empty())
    headers = curl_slist_append(headers, authorization.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);

  const CURLcode result = curl_easy_perform(handle);
  Response response;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(handle);
  response.body = std::move(state.body);
  response.retry_after = std::move(state.retry_after);

  if (cancelled_.load())
    return absl::CancelledError("Kubernetes client cancelled");
  const bool streamed_ok =
      stream != nullptr && response.status >= 200 && response.status < 300;
  // A watch ends by its own callback's choice or by the transfer timeout;
  // neither is a failure once the stream had started.
  if (streamed_ok &&
      (state.stopped_by_stream || result == CURLE_OPERATION_TIMEDOUT)) {
    return response;
  }
  if (result != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("Kubernetes API ", method, " ", url,
                     " failed: ", curl_easy_strerror(result)));
  }
  return response;
}

absl::StatusOr<nlohmann::json> KubeClient::Request(
    const std::string& method, const std::string& path_and_query,
    const std::string& body) {
  const KubeRetryPolicy& retry = options_.retry;
  absl::Duration backoff = retry.initial_backoff;

  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<Response> response = Perform(
        method, path_and_query, body, options_.request_timeout, nullptr);
    absl::Status error;
    absl::Duration wait = backoff;

    if (!response.ok()) {
      if (absl::IsCancelled(response.status())) return response.status();
      error = response.status();
    } else if (response->status >= 200 && response->status < 300) {
      if (response->body.empty()) return json::object();
      json parsed = json::parse(response->body, nullptr, false);
      if (parsed.is_discarded()) {
        return absl::InternalError(
            absl::StrCat("Kubernetes API ", method, " ", path_and_query,
                         " returned a body that is not JSON: ",
                         response->body.substr(0, 200)));
      }
      return parsed;
    } else {
      error =
          HttpError(method, path_and_query, response->status, response->body);
      if (!IsRetryableHttpStatus(response->status, response->body)) {
        return error;
      }
      if (std::optional<absl::Duration> asked =
              ParseRetryAfter(response->retry_after)) {
        wait = std::min(*asked, retry.max_retry_after);
      }
    }

    if (attempt >= retry.max_attempts) return error;
    AUGUR_LOG_WARN("{} (attempt {} of {}); retrying in {}",
                   std::string(error.message()), attempt, retry.max_attempts,
                   absl::FormatDuration(wait));
    if (!SleepUnlessCancelled(wait)) {
      return absl::CancelledError("Kubernetes client cancelled");
    }
    backoff = std::min(backoff * 2, retry.max_backoff);
  }
}

absl::StatusOr<nlohmann::json> KubeClient::CreatePod(
    const nlohmann::json& pod) {
  return Request("POST", PodsPath(), pod.dump());
}

absl::StatusOr<nlohmann::json> KubeClient::GetPod(const std::string& name) {
  return Request("GET", absl::StrCat(PodsPath(), "/", name), "");
}

absl::Status KubeClient::DeletePod(const std::string& name) {
  return Request("DELETE", absl::StrCat(PodsPath(), "/", name), "").status();
}

absl::StatusOr<PodList> KubeClient::ListPods(
    const std::string& label_selector) {
  PodList list;
  std::string continue_token;
  bool first_page = true;

  while (first_page || !continue_token.empty()) {
    std::string query = absl::StrCat(PodsPath(), "?limit=500&labelSelector=",
                                     EscapeQueryValue(label_selector));
    if (!continue_token.empty()) {
      absl::StrAppend(&query, "&continue=", EscapeQueryValue(continue_token));
    }
    AUGUR_ASSIGN_OR_RETURN(json page, Request("GET", query, ""));

    const json metadata = page.value("metadata", json::object());
    if (first_page)
      list.resource_version = metadata.value("resourceVersion", "");
    continue_token = metadata.value("continue", "");
    if (page.contains("items") && page["items"].is_array()) {
      for (json& item : page["items"]) list.items.push_back(std::move(item));
    }
    first_page = false;
  }
  return list;
}

absl::Status KubeClient::WatchPods(
    const std::string& label_selector, const std::string& resource_version,
    absl::Duration timeout,
    const std::function<bool(const WatchEvent&)>& on_event) {
  const std::string path =
      absl::StrCat(PodsPath(), "?watch=true&allowWatchBookmarks=true",
                   "&resourceVersion=", EscapeQueryValue(resource_version),
                   "&timeoutSeconds=", absl::ToInt64Seconds(timeout),
                   "&labelSelector=", EscapeQueryValue(label_selector));

  std::string pending;
  absl::Status stream_error;
  // Splits the chunked body into lines, one JSON event per line.
  auto on_bytes = [&](const char* data, size_t length) {
    pending.append(data, length);
    size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (absl::StripAsciiWhitespace(line).empty()) continue;

      json parsed = json::parse(line, nullptr, false);
      if (parsed.is_discarded() || !parsed.is_object()) {
        stream_error = absl::UnavailableError(absl::StrCat(
            "Kubernetes watch ", path,
            " sent a line that is not JSON: ", line.substr(0, 200)));
        return false;
      }
      WatchEvent event{parsed.value("type", ""),
                       parsed.value("object", json::object())};
      if (event.type == "ERROR") {
        stream_error = HttpError("WATCH", path, event.object.value("code", 500),
                                 event.object.dump());
        return false;
      }
      if (!on_event(event)) return false;
    }
    return true;
  };

  // The server closes the stream after timeoutSeconds; the transfer limit
  // only guards against a server that never does.
  AUGUR_ASSIGN_OR_RETURN(
      Response response,
      Perform("GET", path, "", timeout + absl::Seconds(30), on_bytes));
  if (!stream_error.ok()) return stream_error;
  if (response.status < 200 || response.status >= 300) {
    return HttpError("GET", path, response.status, response.body);
  }
  return absl::OkStatus();
}

void KubeClient::Cancel() {
  {
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    cancelled_.store(true);
  }
  cancel_signal_.notify_all();
}

bool KubeClient::SleepUnlessCancelled(absl::Duration duration) {
  std::unique_lock<std::mutex> lock(cancel_mutex_);
  cancel_signal_.wait_for(lock, absl::ToChronoMilliseconds(duration),
                          [this] { return cancelled_.load(); });
  return !cancelled_.load();
}

}  // namespace augur
