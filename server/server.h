#ifndef AUGUR_SERVER_SERVER_H_
#define AUGUR_SERVER_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace augur {

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port (see Server::port()).
  std::string listen_address = "127.0.0.1:0";
  // Path of the SQLite trial store; created with its schema when missing.
  std::string database_path = "augur.db";
};

// The augur.v1 gRPC service on a SQLite trial store, with the standard gRPC
// health service. All state lives in the database, so several Server
// objects (or processes) may share one file, one after another or at once.
//
// Thread safety: Shutdown may be called from any thread, once.
class Server {
 public:
  // Opens (and migrates) the database, then starts listening. Returns
  // UNAVAILABLE when the address cannot be bound and the store's error when
  // the database cannot be opened.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options);

  virtual ~Server() = default;

  // The port actually bound.
  virtual int port() const = 0;

  // "127.0.0.1:<port>" (or the listen host), ready for a client to dial.
  virtual std::string address() const = 0;

  // Stops accepting calls, waits for running calls to end and closes the
  // store.
  virtual void Shutdown() = 0;

  // Blocks until Shutdown has finished.
  virtual void Wait() = 0;
};

}  // namespace augur

#endif  // AUGUR_SERVER_SERVER_H_
