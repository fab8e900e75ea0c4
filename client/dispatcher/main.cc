// augur-dispatcher: runs the trials of Kubernetes studies as pods. It runs
// beside augur-server, usually as a second container of the server's pod.

#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "client/cpp/client.h"
#include "client/dispatcher/dispatcher.h"
#include "client/dispatcher/kube_client.h"
#include "client/dispatcher/kube_config.h"
#include "server/logging.h"

namespace {

struct Flags {
  std::string server = "127.0.0.1:8470";
  std::string trial_server_address;
  std::string namespace_name;
  std::string kubeconfig;
  double finished_pod_ttl_seconds = 600;
  double poll_interval_seconds = 5;
  std::string log_level = "info";
};

void AddFlags(CLI::App& app, Flags& flags) {
  app.add_option("--server", flags.server,
                 "host:port of the augur server the dispatcher talks to")
      ->capture_default_str();
  app.add_option("--trial-server-address", flags.trial_server_address,
                 "host:port that trial pods dial as AUGUR_ADDRESS, usually "
                 "the augur Service (default: the --server value)");
  app.add_option("--namespace", flags.namespace_name,
                 "namespace of the trial pods (default: the service "
                 "account's namespace, or the kubeconfig context's)");
  app.add_option("--kubeconfig", flags.kubeconfig,
                 "kubeconfig file to use instead of the in-cluster service "
                 "account");
  app.add_option("--finished-pod-ttl", flags.finished_pod_ttl_seconds,
                 "seconds a Succeeded or Failed trial pod is kept before it "
                 "is deleted")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--poll-interval", flags.poll_interval_seconds,
                 "seconds between passes that fill empty slots and read stop "
                 "decisions")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--log-level", flags.log_level,
                 "trace, debug, info, warn, error or off")
      ->capture_default_str()
      ->check(
          CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

// Starts a thread that waits for SIGINT or SIGTERM (blocked in every
// thread by main) and then calls Stop.
std::thread StartSignalThread(augur::Dispatcher* dispatcher, sigset_t signals) {
  return std::thread([dispatcher, signals] {
    int received = 0;
    sigwait(&signals, &received);
    AUGUR_LOG_INFO("received signal {}; stopping", received);
    dispatcher->Stop();
  });
}

}  // namespace

int main(int argc, char** argv) {
  // Signals are blocked before any thread starts (gRPC starts its own), so
  // that only sigwait in the signal thread receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  CLI::App app{
      "Runs the trials of augur studies with runner: kubernetes as "
      "Kubernetes pods."};
  Flags flags;
  AddFlags(app, flags);
  CLI11_PARSE(app, argc, argv);
  augur::InitLogging();
  spdlog::set_level(spdlog::level::from_str(flags.log_level));

  absl::StatusOr<augur::KubeConfig> config =
      augur::ResolveKubeConfig(flags.kubeconfig, augur::ProcessEnvironment());
  if (!config.ok()) {
    std::cerr << "augur-dispatcher: " << config.status().message() << "\n";
    return 2;
  }
  if (!flags.namespace_name.empty())
    config->namespace_name = flags.namespace_name;

  absl::StatusOr<std::unique_ptr<augur::KubeClient>> kube =
      augur::KubeClient::Create(*config, augur::KubeClientOptions());
  if (!kube.ok()) {
    std::cerr << "augur-dispatcher: " << kube.status().message() << "\n";
    return 2;
  }
  augur::ClientOptions client_options;
  client_options.address = flags.server;
  absl::StatusOr<std::unique_ptr<augur::Client>> augur_client =
      augur::Client::Create(client_options);
  if (!augur_client.ok()) {
    std::cerr << "augur-dispatcher: " << augur_client.status().message()
              << "\n";
    return 2;
  }

  augur::DispatcherOptions options;
  options.trial_server_address = flags.trial_server_address.empty()
                                     ? flags.server
                                     : flags.trial_server_address;
  options.poll_interval = absl::Seconds(flags.poll_interval_seconds);
  options.finished_pod_ttl = absl::Seconds(flags.finished_pod_ttl_seconds);

  augur::Dispatcher dispatcher(augur_client->get(), kube->get(), options);
  std::thread signal_thread = StartSignalThread(&dispatcher, signals);
  const absl::Status result = dispatcher.Run();

  // Wakes the signal thread if Run ended on its own.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  if (!result.ok()) {
    AUGUR_LOG_ERROR("dispatcher failed: {}", std::string(result.message()));
    return 1;
  }
  return 0;
}
