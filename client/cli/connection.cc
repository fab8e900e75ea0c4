#include "client/cli/connection.h"

#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace augur {

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const ConnectionOptions& options) {
  std::unique_ptr<Connection> connection(new Connection());

  if (options.server_address.empty()) {
    if (!options.create_database &&
        !std::filesystem::exists(options.database_path)) {
      return absl::NotFoundError(absl::StrCat(
          "no augur database at ", options.database_path,
          "; pass --db PATH of an existing database, or --server ADDR"));
    }
    ServerOptions server_options;
    server_options.listen_address = "127.0.0.1:0";
    server_options.database_path = options.database_path;
    AUGUR_ASSIGN_OR_RETURN(connection->server_, Server::Start(server_options));
    connection->address_ = connection->server_->address();
  } else {
    connection->address_ = options.server_address;
  }

  ClientOptions client_options;
  client_options.address = connection->address_;
  AUGUR_ASSIGN_OR_RETURN(connection->client_, Client::Create(client_options));
  return connection;
}

Connection::~Connection() {
  client_.reset();
  if (server_ != nullptr) {
    server_->Shutdown();
    server_->Wait();
  }
}

}  // namespace augur
