#include "server/service/grpc_status.h"

#include <string>

namespace augur {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;

  // absl::StatusCode and grpc::StatusCode both number the canonical codes
  // 0 to 16 as google.rpc.Code does, so the value carries over unchanged.
  const int code = static_cast<int>(status.code());
  if (code < 0 || code > 16) {
    return grpc::Status(grpc::StatusCode::UNKNOWN,
                        std::string(status.message()));
  }
  return grpc::Status(static_cast<grpc::StatusCode>(code),
                      std::string(status.message()));
}

}  // namespace augur
