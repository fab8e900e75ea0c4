#include "client/dispatcher/pod_status.h"

#include <set>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/dispatcher/trial_pod.h"

namespace augur {
namespace {

using nlohmann::json;

// Container waiting reasons after which the kubelet will not start the
// container without a change to the pod or the registry.
const std::set<std::string>& StartFailureReasons() {
  static const std::set<std::string> reasons = {
      "InvalidImageName", "ErrImageNeverPull", "ImagePullBackOff"};
  return reasons;
}

std::string StringAt(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) ||
      !object[key].is_string()) {
    return "";
  }
  return object[key].get<std::string>();
}

std::vector<json> ContainerStatuses(const json& status) {
  std::vector<json> statuses;
  for (const char* key : {"initContainerStatuses", "containerStatuses"}) {
    if (status.contains(key) && status[key].is_array()) {
      for (const json& entry : status[key]) statuses.push_back(entry);
    }
  }
  return statuses;
}

std::optional<absl::Time> ParseTime(const std::string& text) {
  absl::Time time;
  std::string error;
  if (text.empty() ||
      !absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return std::nullopt;
  }
  return time;
}

}  // namespace

absl::StatusOr<TrialPodState> ReadTrialPod(const json& pod) {
  const json metadata = pod.value("metadata", json::object());
  const json labels = metadata.value("labels", json::object());
  const json annotations = metadata.value("annotations", json::object());
  const json status = pod.value("status", json::object());

  TrialPodState state;
  state.name = StringAt(metadata, "name");
  if (state.name.empty()) {
    return absl::InvalidArgumentError("pod has no metadata.name");
  }
  if (!absl::SimpleAtoi(StringAt(labels, kTrialLabel), &state.trial_id) ||
      state.trial_id <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pod ", state.name, " has no valid ", kTrialLabel, " label"));
  }
  state.study = StringAt(annotations, kStudyNameAnnotation);
  if (state.study.empty()) state.study = StringAt(labels, kStudyLabel);
  if (!absl::SimpleAtoi(StringAt(labels, kSlotLabel), &state.slot)) {
    state.slot = -1;
  }
  state.phase = StringAt(status, "phase");
  if (state.phase.empty()) state.phase = "Pending";
  state.terminating = metadata.contains("deletionTimestamp") &&
                      !metadata["deletionTimestamp"].is_null();

  for (const json& container : ContainerStatuses(status)) {
    const json container_state = container.value("state", json::object());
    const json terminated = container_state.value("terminated", json::object());
    std::optional<absl::Time> finished =
        ParseTime(StringAt(terminated, "finishedAt"));
    if (finished && (!state.finish_time || *finished > *state.finish_time)) {
      state.finish_time = finished;
    }

    const json waiting = container_state.value("waiting", json::object());
    const std::string reason = StringAt(waiting, "reason");
    if (StartFailureReasons().count(reason) > 0 &&
        state.start_failure.empty()) {
      state.start_failure = absl::StrCat(
          "container ", StringAt(container, "name"), " cannot start: ", reason,
          ": ", StringAt(waiting, "message"));
    }
  }
  return state;
}

std::string DescribePodFailure(const json& pod) {
  const json metadata = pod.value("metadata", json::object());
  const json status = pod.value("status", json::object());
  std::vector<std::string> causes;

  const std::string pod_reason = StringAt(status, "reason");
  if (!pod_reason.empty()) {
    const std::string pod_message = StringAt(status, "message");
    causes.push_back(pod_message.empty()
                         ? pod_reason
                         : absl::StrCat(pod_reason, ": ", pod_message));
  }

  for (const json& container : ContainerStatuses(status)) {
    const json terminated = container.value("state", json::object())
                                .value("terminated", json::object());
    if (!terminated.contains("exitCode")) continue;
    const int exit_code = terminated.value("exitCode", 0);
    if (exit_code == 0) continue;

    std::string cause = absl::StrCat("container ", StringAt(container, "name"),
                                     " exited with code ", exit_code);
    const std::string reason = StringAt(terminated, "reason");
    if (!reason.empty()) absl::StrAppend(&cause, " (", reason, ")");
    const std::string message = StringAt(terminated, "message");
    if (!message.empty()) absl::StrAppend(&cause, ": ", message);
    causes.push_back(cause);
  }

  std::string description =
      absl::StrCat("pod ", StringAt(metadata, "name"), " failed");
  if (!causes.empty()) {
    absl::StrAppend(&description, ": ", absl::StrJoin(causes, "; "));
  }
  return description;
}

}  // namespace augur
