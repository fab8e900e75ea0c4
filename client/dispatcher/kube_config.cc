#include "client/dispatcher/kube_config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/status_macros.h"

extern char** environ;

namespace augur {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

std::string ValueOr(const std::map<std::string, std::string>& environment,
                    const std::string& name) {
  auto it = environment.find(name);
  return it == environment.end() ? "" : it->second;
}

// Returns the entry named `name` of a kubeconfig list such as `clusters`,
// or an undefined node.
YAML::Node FindNamed(const YAML::Node& list, const std::string& name) {
  if (!list || !list.IsSequence()) return YAML::Node(YAML::NodeType::Undefined);
  for (const YAML::Node& entry : list) {
    if (entry["name"] && entry["name"].as<std::string>() == name) {
      return entry;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string StringField(const YAML::Node& node, const char* key) {
  if (!node || !node.IsMap() || !node[key] || !node[key].IsScalar()) return "";
  return node[key].as<std::string>();
}

// Resolves a path from a kubeconfig against the file's directory, as
// kubectl does.
std::string ResolvePath(const std::string& path, const fs::path& base) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (base / path).string();
}

absl::StatusOr<std::string> DecodeData(const std::string& field,
                                       const std::string& encoded) {
  if (encoded.empty()) return std::string();
  std::string decoded;
  if (!absl::Base64Unescape(encoded, &decoded)) {
    return absl::InvalidArgumentError(
        absl::StrCat("kubeconfig field ", field, " is not valid base64 data"));
  }
  return decoded;
}

absl::Status FillCluster(const YAML::Node& cluster, const fs::path& base,
                         KubeConfig& config) {
  config.server = StringField(cluster, "server");
  if (config.server.empty()) {
    return absl::InvalidArgumentError(
        "kubeconfig cluster has no server URL; set clusters[].cluster.server");
  }
  config.certificate_authority_file =
      ResolvePath(StringField(cluster, "certificate-authority"), base);
  AUGUR_ASSIGN_OR_RETURN(
      config.certificate_authority_data,
      DecodeData("certificate-authority-data",
                 StringField(cluster, "certificate-authority-data")));
  config.insecure_skip_tls_verify =
      StringField(cluster, "insecure-skip-tls-verify") == "true";
  return absl::OkStatus();
}

absl::Status FillUser(const YAML::Node& user, const std::string& user_name,
                      const fs::path& base, KubeConfig& config) {
  if (user["exec"] || user["auth-provider"]) {
    return absl::UnimplementedError(absl::StrCat(
        "kubeconfig user ", user_name,
        " authenticates through an exec or auth-provider plugin, which "
        "augur-dispatcher does not run; use a user with a token or a client "
        "certificate, or run the dispatcher in the cluster"));
  }

  config.token = StringField(user, "token");
  config.token_file = ResolvePath(StringField(user, "tokenFile"), base);
  config.client_certificate_file =
      ResolvePath(StringField(user, "client-certificate"), base);
  config.client_key_file = ResolvePath(StringField(user, "client-key"), base);
  AUGUR_ASSIGN_OR_RETURN(
      config.client_certificate_data,
      DecodeData("client-certificate-data",
                 StringField(user, "client-certificate-data")));
  AUGUR_ASSIGN_OR_RETURN(
      config.client_key_data,
      DecodeData("client-key-data", StringField(user, "client-key-data")));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<KubeConfig> LoadInClusterConfig(
    const std::string& service_account_directory,
    const std::map<std::string, std::string>& environment) {
  const std::string host = ValueOr(environment, "KUBERNETES_SERVICE_HOST");
  const std::string port = ValueOr(environment, "KUBERNETES_SERVICE_PORT");
  if (host.empty() || port.empty()) {
    return absl::FailedPreconditionError(
        "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set, so "
        "this process is not running in a Kubernetes pod; pass --kubeconfig");
  }

  KubeConfig config;
  // An IPv6 service address needs brackets in a URL.
  const bool ipv6 = absl::StrContains(host, ':');
  config.server = absl::StrCat("https://", ipv6 ? "[" : "", host,
                               ipv6 ? "]" : "", ":", port);

  const fs::path directory(service_account_directory);
  config.token_file = (directory / "token").string();
  if (!fs::exists(config.token_file)) {
    return absl::NotFoundError(absl::StrCat(
        "service account token ", config.token_file,
        " does not exist; check that the pod's service account token is "
        "mounted (automountServiceAccountToken)"));
  }
  if (fs::exists(directory / "ca.crt")) {
    config.certificate_authority_file = (directory / "ca.crt").string();
  }

  absl::StatusOr<std::string> namespace_text =
      ReadTextFile((directory / "namespace").string());
  if (namespace_text.ok()) {
    std::string name(absl::StripAsciiWhitespace(*namespace_text));
    if (!name.empty()) config.namespace_name = name;
  }
  return config;
}

absl::StatusOr<KubeConfig> LoadKubeconfig(const std::string& path,
                                          const std::string& context_name) {
  AUGUR_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(absl::StrCat(
        "kubeconfig ", path, " is not valid YAML: ", error.what()));
  }
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(
        absl::StrCat("kubeconfig ", path, " is not a YAML mapping"));
  }

  const std::string context_key = context_name.empty()
                                      ? StringField(root, "current-context")
                                      : context_name;
  if (context_key.empty()) {
    return absl::NotFoundError(
        absl::StrCat("kubeconfig ", path,
                     " has no current-context; set one with "
                     "`kubectl config use-context NAME`"));
  }
  const YAML::Node context = FindNamed(root["contexts"], context_key);
  if (!context) {
    return absl::NotFoundError(absl::StrCat(
        "kubeconfig ", path, " has no context named ", context_key));
  }

  const std::string cluster_name = StringField(context["context"], "cluster");
  const std::string user_name = StringField(context["context"], "user");
  const YAML::Node cluster = FindNamed(root["clusters"], cluster_name);
  if (!cluster) {
    return absl::NotFoundError(
        absl::StrCat("kubeconfig ", path, " has no cluster named ",
                     cluster_name, " (context ", context_key, ")"));
  }

  KubeConfig config;
  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  AUGUR_RETURN_IF_ERROR(FillCluster(cluster["cluster"], base, config));

  if (!user_name.empty()) {
    const YAML::Node user = FindNamed(root["users"], user_name);
    if (!user) {
      return absl::NotFoundError(absl::StrCat("kubeconfig ", path,
                                              " has no user named ", user_name,
                                              " (context ", context_key, ")"));
    }
    AUGUR_RETURN_IF_ERROR(FillUser(user["user"], user_name, base, config));
  }

  const std::string namespace_name =
      StringField(context["context"], "namespace");
  if (!namespace_name.empty()) config.namespace_name = namespace_name;
  return config;
}

absl::StatusOr<KubeConfig> ResolveKubeConfig(
    const std::string& kubeconfig_path,
    const std::map<std::string, std::string>& environment) {
  if (!kubeconfig_path.empty()) return LoadKubeconfig(kubeconfig_path, "");

  if (!ValueOr(environment, "KUBERNETES_SERVICE_HOST").empty()) {
    return LoadInClusterConfig(kServiceAccountDirectory, environment);
  }

  const std::string from_variable = ValueOr(environment, "KUBECONFIG");
  if (!from_variable.empty()) {
    const std::vector<std::string> paths =
        absl::StrSplit(from_variable, ':', absl::SkipEmpty());
    if (!paths.empty()) return LoadKubeconfig(paths.front(), "");
  }

  const std::string home = ValueOr(environment, "HOME");
  if (!home.empty() && fs::exists(fs::path(home) / ".kube" / "config")) {
    return LoadKubeconfig((fs::path(home) / ".kube" / "config").string(), "");
  }
  return absl::FailedPreconditionError(
      "no Kubernetes configuration found: not running in a pod "
      "(KUBERNETES_SERVICE_HOST is not set), KUBECONFIG is not set and "
      "~/.kube/config does not exist; pass --kubeconfig PATH");
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const size_t equals = text.find('=');
    if (equals == std::string::npos) continue;
    environment.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return environment;
}

}  // namespace augur
