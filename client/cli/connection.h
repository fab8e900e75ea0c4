#ifndef AUGUR_CLIENT_CLI_CONNECTION_H_
#define AUGUR_CLIENT_CLI_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/cpp/client.h"
#include "server/server.h"

namespace augur {

// Where the CLI finds the service: an embedded server on a SQLite file, or a
// running server.
struct ConnectionOptions {
  // The SQLite file of the embedded server; used when server_address is
  // empty.
  std::string database_path = "augur.db";
  // host:port of a running augur server.
  std::string server_address;
  // When false, a missing database file is NOT_FOUND instead of being
  // created (for commands that only read).
  bool create_database = true;
};

// A client, plus the embedded server it talks to over loopback when the CLI
// runs on a database file. The server shuts down with the connection.
class Connection {
 public:
  // Starts the embedded server on 127.0.0.1:0 or dials `server_address`.
  // Returns NOT_FOUND for a missing database when create_database is false,
  // and the server's error when it cannot start.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const ConnectionOptions& options);

  ~Connection();

  Client& client() { return *client_; }

  // The address trials and other clients should dial.
  const std::string& address() const { return address_; }

 private:
  Connection() = default;

  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
  std::string address_;
};

}  // namespace augur

#endif  // AUGUR_CLIENT_CLI_CONNECTION_H_
