#ifndef AUGUR_CLIENT_DISPATCHER_TRIAL_POD_H_
#define AUGUR_CLIENT_DISPATCHER_TRIAL_POD_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"

namespace augur {

// Labels and annotations that tie a pod to its study and trial.
inline constexpr char kManagedByLabel[] = "app.kubernetes.io/managed-by";
inline constexpr char kManagedByValue[] = "augur-dispatcher";
// The study name made a valid label value (see SanitizeLabelValue).
inline constexpr char kStudyLabel[] = "augur.dev/study";
inline constexpr char kTrialLabel[] = "augur.dev/trial";
// The dispatcher slot, 0 to concurrency - 1, that the trial occupies.
inline constexpr char kSlotLabel[] = "augur.dev/slot";
// The study name as it is, since a label value may not hold every name.
inline constexpr char kStudyNameAnnotation[] = "augur.dev/study-name";

// The name of the container that the dispatcher builds from run.image.
inline constexpr char kTrialContainerName[] = "trial";

// The label selector that matches every pod the dispatcher created.
std::string ManagedPodSelector();

// Turns `text` into a valid label value: at most 63 characters of
// [A-Za-z0-9-_.], starting and ending with a letter or digit. Other
// characters become '-'. Returns "study" when nothing valid is left.
std::string SanitizeLabelValue(std::string_view text);

// Returns the pod name of a trial, "augur-<study>-<trial id>": the study
// name lowercased with every run of other characters than [a-z0-9] turned
// into one '-', shortened so that the whole name fits the 63 characters of
// a DNS label. Trial ids are unique across studies, so two studies whose
// names shorten alike still get distinct pod names.
std::string TrialPodName(std::string_view study, int64_t trial_id);

// Returns the client_id that slot `slot` of `study` uses for
// GetSuggestions: "k8s-dispatcher/<study>/slot-<slot>".
std::string SlotClientId(std::string_view study, int slot);

// Returns true when `client_id` is SlotClientId(study, n) for some n.
bool IsSlotClientId(std::string_view study, std::string_view client_id);

// Checks that a study can run on Kubernetes before any of its trials is
// taken. It needs run.image or run.pod_template. run.cmd may name only
// parameters of the matrix, `params` or the Hyperband resource. A pod
// template must parse, every container needs a name and an image (or
// run.image to fill in), and restartPolicy must not be Always. Returns
// INVALID_ARGUMENT naming the field and the fix.
absl::Status ValidateRunSpec(const v1::StudySpec& spec);

// Returns every parameter of the trial, fixed `params` included, formatted
// as run.cmd and AUGUR_PARAMS receive them.
std::map<std::string, std::string> FormattedTrialParameters(
    const v1::StudySpec& spec, const v1::Trial& trial);

// Returns the environment variables a trial pod gets: AUGUR_ADDRESS
// (`server_address`), AUGUR_STUDY, AUGUR_TRIAL_ID, AUGUR_PARAMS and
// POLYAXON_PARAMS (a JSON object of every parameter, matrix first, then
// fixed `params`), PYTHONUNBUFFERED=1 and, for a trial that resumes its
// parent, AUGUR_RESUME_FROM (the parent trial id).
std::map<std::string, std::string> TrialEnvironment(
    const v1::Study& study, const v1::Trial& trial,
    const std::string& server_address);

// Builds the pod manifest of one trial. From run.image and run.cmd the pod
// has one container named "trial" running ["/bin/sh", "-c", <run.cmd with
// shell-quoted parameters>] (or the image's own entrypoint without
// run.cmd). From run.pod_template the template's pod is used, and the
// dispatcher sets its name and adds the labels, annotations and trial
// environment (to every container). It sets restartPolicy Never unless the
// template sets OnFailure, fills run.image into containers without an
// image, and gives the first container run.cmd as its command when it has
// none. Returns INVALID_ARGUMENT for a spec that ValidateRunSpec rejects.
absl::StatusOr<nlohmann::json> BuildTrialPod(const v1::Study& study,
                                             const v1::Trial& trial, int slot,
                                             const std::string& server_address);

// Converts a YAML document to JSON with the YAML 1.2 core schema: quoted
// scalars stay strings, plain ones become null, bools, integers or floats
// when they read as such. Returns INVALID_ARGUMENT for malformed YAML.
absl::StatusOr<nlohmann::json> YamlToJson(const std::string& text);

}  // namespace augur

#endif  // AUGUR_CLIENT_DISPATCHER_TRIAL_POD_H_
