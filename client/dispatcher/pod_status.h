#ifndef AUGUR_CLIENT_DISPATCHER_POD_STATUS_H_
#define AUGUR_CLIENT_DISPATCHER_POD_STATUS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace augur {

// The labels, annotations and status of one trial pod.
struct TrialPodState {
  std::string name;
  // The study name from the augur.dev/study-name annotation (or, without
  // it, the augur.dev/study label).
  std::string study;
  int64_t trial_id = 0;
  // The dispatcher slot from the augur.dev/slot label, -1 when absent.
  int slot = -1;
  // status.phase: Pending, Running, Succeeded, Failed or Unknown.
  std::string phase;
  // metadata.deletionTimestamp is set: the pod is being deleted.
  bool terminating = false;
  // The latest finishedAt of its terminated containers.
  std::optional<absl::Time> finish_time;
  // The reason the pod can never start (an invalid image name, an image
  // that cannot be pulled), or empty.
  std::string start_failure;

  bool finished() const { return phase == "Succeeded" || phase == "Failed"; }
};

// Reads the labels, annotations and status of a pod that the dispatcher
// created. Returns INVALID_ARGUMENT when the pod has no name or no valid
// augur.dev/trial label.
absl::StatusOr<TrialPodState> ReadTrialPod(const nlohmann::json& pod);

// Describes why a Failed pod failed, for the trial's message: the pod's
// own reason (such as Evicted) and each container that ended with a
// non-zero exit code, with its reason and termination message, as in
// "pod augur-digits-7 failed: container trial exited with code 3 (Error)".
std::string DescribePodFailure(const nlohmann::json& pod);

}  // namespace augur

#endif  // AUGUR_CLIENT_DISPATCHER_POD_STATUS_H_
