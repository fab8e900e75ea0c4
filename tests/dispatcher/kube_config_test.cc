#include "client/dispatcher/kube_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/escaping.h"

namespace augur {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the test's temporary directory.
fs::path MakeDirectory(const std::string& name) {
  const fs::path directory = fs::path(::testing::TempDir()) / name;
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream stream(path);
  stream << text;
}

TEST(InClusterConfig, ReadsServiceAccountFiles) {
  const fs::path directory = MakeDirectory("service-account");
  WriteFile(directory / "token", "secret-token\n");
  WriteFile(directory / "ca.crt", "PEM");
  WriteFile(directory / "namespace", "tuning\n");
  const std::map<std::string, std::string> environment = {
      {"KUBERNETES_SERVICE_HOST", "10.96.0.1"},
      {"KUBERNETES_SERVICE_PORT", "443"}};

  absl::StatusOr<KubeConfig> config =
      LoadInClusterConfig(directory.string(), environment);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "https://10.96.0.1:443");
  EXPECT_EQ(config->namespace_name, "tuning");
  EXPECT_EQ(config->token_file, (directory / "token").string());
  EXPECT_EQ(config->certificate_authority_file,
            (directory / "ca.crt").string());
}

TEST(InClusterConfig, BracketsIpv6Host) {
  const fs::path directory = MakeDirectory("service-account-v6");
  WriteFile(directory / "token", "t");
  absl::StatusOr<KubeConfig> config = LoadInClusterConfig(
      directory.string(), {{"KUBERNETES_SERVICE_HOST", "fd00::1"},
                           {"KUBERNETES_SERVICE_PORT", "443"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "https://[fd00::1]:443");
  EXPECT_EQ(config->namespace_name, "default");
}

TEST(InClusterConfig, OutsidePodIsFailedPrecondition) {
  absl::StatusOr<KubeConfig> config = LoadInClusterConfig("/nonexistent", {});
  EXPECT_TRUE(absl::IsFailedPrecondition(config.status())) << config.status();
  EXPECT_NE(config.status().message().find("--kubeconfig"),
            absl::string_view::npos);
}

TEST(InClusterConfig, MissingTokenIsNotFound) {
  const fs::path directory = MakeDirectory("service-account-empty");
  absl::StatusOr<KubeConfig> config = LoadInClusterConfig(
      directory.string(), {{"KUBERNETES_SERVICE_HOST", "10.0.0.1"},
                           {"KUBERNETES_SERVICE_PORT", "443"}});
  EXPECT_TRUE(absl::IsNotFound(config.status())) << config.status();
}

constexpr char kKubeconfig[] = R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: kind
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: Q0EtUEVN
- name: local
  cluster:
    server: http://127.0.0.1:8001
    certificate-authority: certs/ca.pem
contexts:
- name: dev
  context: {cluster: kind, user: admin, namespace: tuning}
- name: proxy
  context: {cluster: local, user: robot}
- name: broken
  context: {cluster: missing, user: admin}
- name: plugin
  context: {cluster: kind, user: cloud}
users:
- name: admin
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
- name: robot
  user:
    token: abc
    client-key: /abs/key.pem
- name: cloud
  user:
    exec: {command: gke-gcloud-auth-plugin}
)";

TEST(Kubeconfig, ReadsCurrentContext) {
  const fs::path directory = MakeDirectory("kubeconfig-current");
  WriteFile(directory / "config", kKubeconfig);

  absl::StatusOr<KubeConfig> config =
      LoadKubeconfig((directory / "config").string(), "");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "https://127.0.0.1:6443");
  EXPECT_EQ(config->namespace_name, "tuning");
  EXPECT_EQ(config->certificate_authority_data, "CA-PEM");
  EXPECT_EQ(config->client_certificate_data, "CERT");
  EXPECT_EQ(config->client_key_data, "KEY");
  EXPECT_TRUE(config->token.empty());
}

TEST(Kubeconfig, ResolvesRelativePathsAgainstFile) {
  const fs::path directory = MakeDirectory("kubeconfig-paths");
  WriteFile(directory / "config", kKubeconfig);

  absl::StatusOr<KubeConfig> config =
      LoadKubeconfig((directory / "config").string(), "proxy");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "http://127.0.0.1:8001");
  EXPECT_EQ(config->certificate_authority_file,
            (fs::absolute(directory) / "certs/ca.pem").string());
  EXPECT_EQ(config->client_key_file, "/abs/key.pem");
  EXPECT_EQ(config->token, "abc");
  EXPECT_EQ(config->namespace_name, "default");
}

TEST(Kubeconfig, RejectsMissingNames) {
  const fs::path directory = MakeDirectory("kubeconfig-missing");
  WriteFile(directory / "config", kKubeconfig);
  const std::string path = (directory / "config").string();

  absl::StatusOr<KubeConfig> no_context = LoadKubeconfig(path, "prod");
  EXPECT_TRUE(absl::IsNotFound(no_context.status()));
  EXPECT_NE(no_context.status().message().find("prod"),
            absl::string_view::npos);

  absl::StatusOr<KubeConfig> no_cluster = LoadKubeconfig(path, "broken");
  EXPECT_TRUE(absl::IsNotFound(no_cluster.status()));
  EXPECT_NE(no_cluster.status().message().find("missing"),
            absl::string_view::npos);

  EXPECT_TRUE(absl::IsNotFound(
      LoadKubeconfig((directory / "absent").string(), "").status()));
}

TEST(Kubeconfig, ExecUserIsUnimplemented) {
  const fs::path directory = MakeDirectory("kubeconfig-exec");
  WriteFile(directory / "config", kKubeconfig);

  absl::StatusOr<KubeConfig> config =
      LoadKubeconfig((directory / "config").string(), "plugin");
  EXPECT_TRUE(absl::IsUnimplemented(config.status())) << config.status();
}

TEST(Kubeconfig, RejectsInvalidBase64) {
  const fs::path directory = MakeDirectory("kubeconfig-base64");
  WriteFile(directory / "config", R"(current-context: c
contexts: [{name: c, context: {cluster: k}}]
clusters: [{name: k, cluster: {server: "https://h", certificate-authority-data: "%%%"}}]
)");
  absl::StatusOr<KubeConfig> config =
      LoadKubeconfig((directory / "config").string(), "");
  EXPECT_TRUE(absl::IsInvalidArgument(config.status())) << config.status();
}

TEST(ResolveKubeConfig, PrefersFlagThenClusterThenHome) {
  const fs::path home = MakeDirectory("home");
  fs::create_directories(home / ".kube");
  WriteFile(home / ".kube" / "config", kKubeconfig);

  absl::StatusOr<KubeConfig> from_home =
      ResolveKubeConfig("", {{"HOME", home.string()}});
  ASSERT_TRUE(from_home.ok()) << from_home.status();
  EXPECT_EQ(from_home->server, "https://127.0.0.1:6443");

  absl::StatusOr<KubeConfig> nothing =
      ResolveKubeConfig("", {{"HOME", "/nonexistent"}});
  EXPECT_TRUE(absl::IsFailedPrecondition(nothing.status()));

  absl::StatusOr<KubeConfig> in_cluster =
      ResolveKubeConfig("", {{"HOME", home.string()},
                             {"KUBERNETES_SERVICE_HOST", "10.0.0.1"},
                             {"KUBERNETES_SERVICE_PORT", "443"}});
  // The real service account directory does not exist on a test machine.
  EXPECT_TRUE(absl::IsNotFound(in_cluster.status())) << in_cluster.status();
}

}  // namespace
}  // namespace augur
