#include "client/dispatcher/trial_pod.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/runner/command_template.h"
#include "core/space/value.h"
#include "core/status_macros.h"

namespace augur {
namespace {

using nlohmann::json;

constexpr size_t kMaxLabelValueLength = 63;
constexpr size_t kMaxPodNameLength = 63;

bool IsLabelCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '.';
}

bool IsAlphanumeric(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c));
}

// Removes characters from both ends until each end is a letter or digit.
std::string TrimToAlphanumeric(std::string text) {
  while (!text.empty() && !IsAlphanumeric(text.back())) text.pop_back();
  size_t first = 0;
  while (first < text.size() && !IsAlphanumeric(text[first])) ++first;
  return text.substr(first);
}

json ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  const std::string& tag = node.Tag();
  // Quoted scalars carry the "!" tag; an explicit !!str keeps its text too.
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return text;

  static const std::regex kNull("~|null|Null|NULL|");
  static const std::regex kTrue("true|True|TRUE");
  static const std::regex kFalse("false|False|FALSE");
  static const std::regex kInteger("[-+]?[0-9]+");
  static const std::regex kFloat(
      "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (std::regex_match(text, kNull)) return nullptr;
  if (std::regex_match(text, kTrue)) return true;
  if (std::regex_match(text, kFalse)) return false;

  int64_t integer = 0;
  if (std::regex_match(text, kInteger) && absl::SimpleAtoi(text, &integer)) {
    return integer;
  }
  double real = 0;
  if (std::regex_match(text, kFloat) && absl::SimpleAtod(text, &real)) {
    return real;
  }
  return text;
}

json NodeToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      json array = json::array();
      for (const YAML::Node& item : node) array.push_back(NodeToJson(item));
      return array;
    }
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& entry : node) {
        object[entry.first.as<std::string>()] = NodeToJson(entry.second);
      }
      return object;
    }
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    default:
      return nullptr;
  }
}

// Returns the pod that run.pod_template describes: a whole Pod object, or a
// bare pod spec (a mapping with `containers`).
absl::StatusOr<json> ParsePodTemplate(const std::string& text) {
  absl::StatusOr<json> parsed = YamlToJson(text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "run.pod_template is invalid: ", parsed.status().message()));
  }
  if (!parsed->is_object()) {
    return absl::InvalidArgumentError(
        "run.pod_template must be a mapping: a Pod (apiVersion: v1, kind: "
        "Pod, spec: ...) or a pod spec with containers");
  }

  json pod;
  if (parsed->contains("spec")) {
    pod = std::move(*parsed);
  } else if (parsed->contains("containers")) {
    pod = json{{"spec", std::move(*parsed)}};
  } else {
    return absl::InvalidArgumentError(
        "run.pod_template has neither `spec` nor `containers`; write a Pod "
        "(kind: Pod, spec: {containers: [...]}) or a pod spec");
  }

  const std::string kind = pod.value("kind", "Pod");
  if (kind != "Pod") {
    return absl::InvalidArgumentError(
        absl::StrCat("run.pod_template has kind ", kind,
                     "; it must describe a Pod (kind: Pod)"));
  }
  pod["apiVersion"] = "v1";
  pod["kind"] = "Pod";
  return pod;
}

// Checks the containers and restart policy of a template's pod.
absl::Status CheckTemplatePod(const json& pod, const std::string& image) {
  const json& spec = pod["spec"];
  if (!spec.is_object() || !spec.contains("containers") ||
      !spec["containers"].is_array() || spec["containers"].empty()) {
    return absl::InvalidArgumentError(
        "run.pod_template has no containers; add spec.containers with at "
        "least one container");
  }

  for (const json& container : spec["containers"]) {
    if (!container.is_object() || !container.contains("name") ||
        !container["name"].is_string()) {
      return absl::InvalidArgumentError(
          "run.pod_template has a container without a name; give every "
          "container in spec.containers a name");
    }
    if (!container.contains("image") && image.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "run.pod_template container ", container["name"].get<std::string>(),
          " has no image; set its image or run.image"));
    }
  }

  if (spec.value("restartPolicy", "Never") == "Always") {
    return absl::InvalidArgumentError(
        "run.pod_template sets restartPolicy Always, so its pod would never "
        "finish; use Never (the default) or OnFailure");
  }
  return absl::OkStatus();
}

absl::Status CheckCommandNames(const v1::StudySpec& spec) {
  AUGUR_ASSIGN_OR_RETURN(std::vector<std::string> names,
                         PlaceholderNames(spec.run().cmd()));
  std::set<std::string> known;
  for (const v1::ParameterSpec& parameter : spec.parameters()) {
    known.insert(parameter.name());
  }
  for (const v1::Parameter& parameter : spec.params()) {
    known.insert(parameter.name());
  }
  // Hyperband sets its resource as one more parameter of every trial.
  if (spec.has_hyperband() && !spec.hyperband().resource().name().empty()) {
    known.insert(spec.hyperband().resource().name());
  }

  for (const std::string& name : names) {
    if (known.count(name) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("run.cmd uses {{ ", name,
                       " }}, which is not a parameter; the "
                       "parameters are: ",
                       absl::StrJoin(known, ", ")));
    }
  }
  return absl::OkStatus();
}

json EnvironmentList(const std::map<std::string, std::string>& environment) {
  json list = json::array();
  for (const auto& [name, value] : environment) {
    list.push_back({{"name", name}, {"value", value}});
  }
  return list;
}

// Puts the trial variables into a container's env, replacing entries of
// the same name.
void MergeEnvironment(json& container,
                      const std::map<std::string, std::string>& environment) {
  json merged = json::array();
  if (container.contains("env") && container["env"].is_array()) {
    for (const json& entry : container["env"]) {
      const std::string name = entry.value("name", "");
      if (environment.count(name) == 0) merged.push_back(entry);
    }
  }
  for (json& entry : EnvironmentList(environment)) {
    merged.push_back(std::move(entry));
  }
  container["env"] = std::move(merged);
}

void SetMetadata(json& pod, const v1::Study& study, const v1::Trial& trial,
                 int slot) {
  json& metadata = pod["metadata"];
  if (!metadata.is_object()) metadata = json::object();
  metadata.erase("generateName");
  metadata.erase("namespace");
  metadata.erase("resourceVersion");
  metadata.erase("uid");
  metadata["name"] = TrialPodName(study.name(), trial.id());

  json& labels = metadata["labels"];
  if (!labels.is_object()) labels = json::object();
  labels[kManagedByLabel] = kManagedByValue;
  labels[kStudyLabel] = SanitizeLabelValue(study.name());
  labels[kTrialLabel] = std::to_string(trial.id());
  labels[kSlotLabel] = std::to_string(slot);

  json& annotations = metadata["annotations"];
  if (!annotations.is_object()) annotations = json::object();
  annotations[kStudyNameAnnotation] = study.name();
}

}  // namespace

std::string ManagedPodSelector() {
  return absl::StrCat(kManagedByLabel, "=", kManagedByValue);
}

std::string SanitizeLabelValue(std::string_view text) {
  std::string value;
  for (char c : text) value.push_back(IsLabelCharacter(c) ? c : '-');
  value = TrimToAlphanumeric(value);
  if (value.size() > kMaxLabelValueLength) {
    value = TrimToAlphanumeric(value.substr(0, kMaxLabelValueLength));
  }
  return value.empty() ? "study" : value;
}

std::string TrialPodName(std::string_view study, int64_t trial_id) {
  std::string middle;
  for (char c : study) {
    const char lower = absl::ascii_tolower(static_cast<unsigned char>(c));
    const bool keep = absl::ascii_isdigit(static_cast<unsigned char>(lower)) ||
                      (lower >= 'a' && lower <= 'z');
    if (keep) {
      middle.push_back(lower);
    } else if (!middle.empty() && middle.back() != '-') {
      middle.push_back('-');
    }
  }

  const std::string suffix = absl::StrCat("-", trial_id);
  const size_t room =
      kMaxPodNameLength - std::string("augur-").size() - suffix.size();
  if (middle.size() > room) middle.resize(room);
  while (!middle.empty() && middle.back() == '-') middle.pop_back();
  if (middle.empty()) middle = "study";
  return absl::StrCat("augur-", middle, suffix);
}

std::string SlotClientId(std::string_view study, int slot) {
  return absl::StrCat("k8s-dispatcher/", std::string(study), "/slot-", slot);
}

bool IsSlotClientId(std::string_view study, std::string_view client_id) {
  const std::string prefix =
      absl::StrCat("k8s-dispatcher/", std::string(study), "/slot-");
  if (client_id.size() <= prefix.size() ||
      client_id.substr(0, prefix.size()) != prefix) {
    return false;
  }
  int slot = 0;
  return absl::SimpleAtoi(absl::string_view(client_id.data() + prefix.size(),
                                            client_id.size() - prefix.size()),
                          &slot);
}

absl::StatusOr<json> YamlToJson(const std::string& text) {
  try {
    return NodeToJson(YAML::Load(text));
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid YAML: ", error.what()));
  }
}

absl::Status ValidateRunSpec(const v1::StudySpec& spec) {
  const v1::RunSpec& run = spec.run();
  if (run.image().empty() && run.pod_template().empty()) {
    return absl::InvalidArgumentError(
        "a study with runner kubernetes needs run.image (with run.cmd) or "
        "run.pod_template; set one in the study file");
  }
  AUGUR_RETURN_IF_ERROR(CheckCommandNames(spec));

  if (!run.pod_template().empty()) {
    AUGUR_ASSIGN_OR_RETURN(json pod, ParsePodTemplate(run.pod_template()));
    AUGUR_RETURN_IF_ERROR(CheckTemplatePod(pod, run.image()));
  }
  return absl::OkStatus();
}

std::map<std::string, std::string> FormattedTrialParameters(
    const v1::StudySpec& spec, const v1::Trial& trial) {
  std::map<std::string, std::string> values;
  for (const v1::Parameter& parameter : spec.params()) {
    values[parameter.name()] = FormatValue(ValueFromProto(parameter.value()));
  }
  for (const v1::Parameter& parameter : trial.parameters()) {
    values[parameter.name()] = FormatValue(ValueFromProto(parameter.value()));
  }
  return values;
}

std::map<std::string, std::string> TrialEnvironment(
    const v1::Study& study, const v1::Trial& trial,
    const std::string& server_address) {
  // Built as text so that the matrix order is kept and every number keeps
  // the exact formatting of FormatValue.
  std::vector<std::string> fields;
  std::set<std::string> seen;
  auto add_field = [&](const v1::Parameter& parameter) {
    if (!seen.insert(parameter.name()).second) return;
    fields.push_back(
        absl::StrCat(json(parameter.name()).dump(), ": ",
                     ValueToJson(ValueFromProto(parameter.value()))));
  };
  for (const v1::Parameter& parameter : trial.parameters())
    add_field(parameter);
  for (const v1::Parameter& parameter : study.spec().params()) {
    add_field(parameter);
  }
  const std::string params_json =
      absl::StrCat("{", absl::StrJoin(fields, ", "), "}");

  std::map<std::string, std::string> environment = {
      {"AUGUR_ADDRESS", server_address},
      {"AUGUR_STUDY", study.name()},
      {"AUGUR_TRIAL_ID", std::to_string(trial.id())},
      {"AUGUR_PARAMS", params_json},
      {"POLYAXON_PARAMS", params_json},
      {"PYTHONUNBUFFERED", "1"},
  };
  if (trial.parent_id() != 0 && trial.resume_from_parent()) {
    environment["AUGUR_RESUME_FROM"] = std::to_string(trial.parent_id());
  }
  return environment;
}

absl::StatusOr<json> BuildTrialPod(const v1::Study& study,
                                   const v1::Trial& trial, int slot,
                                   const std::string& server_address) {
  const v1::RunSpec& run = study.spec().run();
  AUGUR_RETURN_IF_ERROR(ValidateRunSpec(study.spec()));

  std::string command;
  if (!run.cmd().empty()) {
    AUGUR_ASSIGN_OR_RETURN(
        command, RenderCommand(run.cmd(),
                               FormattedTrialParameters(study.spec(), trial)));
  }
  const std::map<std::string, std::string> environment =
      TrialEnvironment(study, trial, server_address);

  json pod;
  if (run.pod_template().empty()) {
    json container = {{"name", kTrialContainerName}, {"image", run.image()}};
    if (!command.empty()) container["command"] = {"/bin/sh", "-c", command};
    pod = {{"apiVersion", "v1"},
           {"kind", "Pod"},
           {"spec", {{"containers", json::array({container})}}}};
  } else {
    AUGUR_ASSIGN_OR_RETURN(pod, ParsePodTemplate(run.pod_template()));
    json& first = pod["spec"]["containers"][0];
    if (!command.empty() && !first.contains("command")) {
      first["command"] = {"/bin/sh", "-c", command};
    }
    for (json& container : pod["spec"]["containers"]) {
      if (!container.contains("image")) container["image"] = run.image();
    }
  }

  for (json& container : pod["spec"]["containers"]) {
    MergeEnvironment(container, environment);
  }
  if (pod["spec"].value("restartPolicy", "") != "OnFailure") {
    pod["spec"]["restartPolicy"] = "Never";
  }
  SetMetadata(pod, study, trial, slot);
  return pod;
}

}  // namespace augur
