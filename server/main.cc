// augur-server: the augur.v1 gRPC service on a SQLite trial store.
//
// Prints "listening on HOST:PORT" on stdout once it accepts calls (so that
// a parent process can learn a port picked with :0), logs to stderr, and
// shuts down cleanly on SIGTERM or SIGINT.

#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "server/logging.h"
#include "server/server.h"

namespace {

// Blocks SIGINT and SIGTERM in this thread and every thread started after
// it, so that only the sigwait thread receives them.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int main(int argc, char** argv) {
  augur::InitLogging();

  augur::ServerOptions options;
  options.listen_address = "127.0.0.1:50051";
  options.database_path = "augur.db";

  CLI::App app("augur-server: the augur hyperparameter-tuning service");
  app.add_option("--listen", options.listen_address,
                 "host:port to listen on; port 0 picks a free port")
      ->capture_default_str();
  app.add_option("--db", options.database_path,
                 "SQLite database file; created when missing")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const sigset_t signals = BlockStopSignals();

  auto server = augur::Server::Start(options);
  if (!server.ok()) {
    AUGUR_LOG_ERROR("augur-server failed to start: {}",
                    server.status().ToString());
    return 1;
  }
  std::cout << "listening on " << (*server)->address() << std::endl;

  // sigwait returns in an ordinary thread, where calling Shutdown is safe.
  std::thread signal_thread([&signals, &server]() {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    AUGUR_LOG_INFO("received signal {}; shutting down", signal_number);
    (*server)->Shutdown();
  });

  (*server)->Wait();
  signal_thread.join();
  return 0;
}
