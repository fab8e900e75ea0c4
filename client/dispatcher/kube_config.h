#ifndef AUGUR_CLIENT_DISPATCHER_KUBE_CONFIG_H_
#define AUGUR_CLIENT_DISPATCHER_KUBE_CONFIG_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace augur {

// How to reach and authenticate to one Kubernetes API server. Every
// credential is either a file path or inline PEM data; at most one of each
// pair is set.
struct KubeConfig {
  // Base URL of the API server, such as "https://10.96.0.1:443" or, for a
  // local test server, "http://127.0.0.1:8001".
  std::string server;

  // The namespace that pods are created in.
  std::string namespace_name = "default";

  // CA bundle that signs the server's certificate. With neither set, the
  // system's trust store is used.
  std::string certificate_authority_file;
  std::string certificate_authority_data;

  // Skips verifying the server's certificate (kubeconfig
  // `insecure-skip-tls-verify`). Development clusters only.
  bool insecure_skip_tls_verify = false;

  // Client certificate and key for TLS client authentication.
  std::string client_certificate_file;
  std::string client_certificate_data;
  std::string client_key_file;
  std::string client_key_data;

  // Bearer token, inline or in a file. The file is read again before every
  // request, because the kubelet rotates projected service account tokens.
  std::string token;
  std::string token_file;
};

// The files of the in-cluster service account, as the kubelet mounts them.
inline constexpr char kServiceAccountDirectory[] =
    "/var/run/secrets/kubernetes.io/serviceaccount";

// Builds the in-cluster configuration from the service account files in
// `service_account_directory` (token, ca.crt, namespace) and the
// KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT values in
// `environment`. Returns FAILED_PRECONDITION when either variable is
// missing (the process is not running in a pod) and NOT_FOUND when the
// token file does not exist.
absl::StatusOr<KubeConfig> LoadInClusterConfig(
    const std::string& service_account_directory,
    const std::map<std::string, std::string>& environment);

// Reads a kubeconfig file and returns the configuration of `context_name`,
// or of its current-context when `context_name` is empty. Relative file
// paths in the file are resolved against the file's directory. Returns
// NOT_FOUND when the file or a named context, cluster or user is missing,
// INVALID_ARGUMENT for malformed YAML or base64 data, and UNIMPLEMENTED for
// `exec` and `auth-provider` users, which this client does not run.
absl::StatusOr<KubeConfig> LoadKubeconfig(const std::string& path,
                                          const std::string& context_name);

// Chooses the configuration the way kubectl does, minus its flags. The
// kubeconfig at `kubeconfig_path` comes first, when it is not empty. Next
// is the in-cluster service account, when KUBERNETES_SERVICE_HOST is set.
// Last is $KUBECONFIG (its first path) or ~/.kube/config, when it exists.
// Returns FAILED_PRECONDITION, naming what to pass, when none applies.
absl::StatusOr<KubeConfig> ResolveKubeConfig(
    const std::string& kubeconfig_path,
    const std::map<std::string, std::string>& environment);

// Returns the process environment as a map.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace augur

#endif  // AUGUR_CLIENT_DISPATCHER_KUBE_CONFIG_H_
