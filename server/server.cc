#include "server/server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "core/status_macros.h"
#include "server/logging.h"
#include "server/service/augur_service.h"
#include "server/store/trial_store.h"

namespace augur {
namespace {

// The service name that the health service reports beside the overall "".
constexpr char kServiceName[] = "augur.v1.Augur";

// How long Shutdown lets running calls finish before cancelling them.
constexpr std::chrono::seconds kShutdownGrace(10);

// Splits "host:port" at the last colon; "[::1]:0" keeps its brackets.
std::string HostOf(const std::string& listen_address) {
  const size_t colon = listen_address.rfind(':');
  if (colon == std::string::npos) return listen_address;
  return listen_address.substr(0, colon);
}

// The host a client on this machine dials to reach `host`: a wildcard
// address becomes the loopback address of its family.
std::string DialHost(const std::string& host) {
  if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
  if (host == "[::]") return "[::1]";
  return host;
}

class GrpcServer final : public Server {
 public:
  GrpcServer(std::unique_ptr<TrialStore> store,
             std::unique_ptr<AugurService> service,
             std::unique_ptr<grpc::Server> server, std::string host, int port)
      : host_(std::move(host)),
        port_(port),
        store_(std::move(store)),
        service_(std::move(service)),
        server_(std::move(server)) {}

  ~GrpcServer() override { Shutdown(); }

  int port() const override { return port_; }

  std::string address() const override {
    return absl::StrCat(DialHost(host_), ":", port_);
  }

  void Shutdown() override {
    std::call_once(shutdown_once_, [this]() {
      grpc::HealthCheckServiceInterface* health =
          server_->GetHealthCheckService();
      if (health != nullptr) health->SetServingStatus(false);

      server_->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
      server_->Wait();
      // Running calls have ended, so nothing uses the store any more.
      service_.reset();
      store_.reset();
      AUGUR_LOG_INFO("server on {} stopped", address());
      stopped_.Notify();
    });
  }

  void Wait() override { stopped_.WaitForNotification(); }

 private:
  // Immutable after construction.
  const std::string host_;
  const int port_;

  std::once_flag shutdown_once_;
  absl::Notification stopped_;
  // Released by Shutdown after the gRPC server has stopped.
  std::unique_ptr<TrialStore> store_;
  std::unique_ptr<AugurService> service_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options) {
  AUGUR_ASSIGN_OR_RETURN(std::unique_ptr<TrialStore> store,
                         TrialStore::Open(options.database_path));
  auto service = std::make_unique<AugurService>(*store);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets a second server bind a
  // port that is already in use. A taken port must fail instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    if (server != nullptr) server->Shutdown();
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on \"", options.listen_address,
        "\": the address is invalid or already in use; pass another "
        "host:port"));
  }

  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  if (health == nullptr) {
    server->Shutdown();
    return absl::InternalError("the gRPC health service did not start");
  }
  health->SetServingStatus(true);
  health->SetServingStatus(kServiceName, true);

  auto started = std::make_unique<GrpcServer>(
      std::move(store), std::move(service), std::move(server),
      HostOf(options.listen_address), port);
  AUGUR_LOG_INFO("server on {} started with database \"{}\"",
                 started->address(), options.database_path);
  return std::unique_ptr<Server>(std::move(started));
}

}  // namespace augur
