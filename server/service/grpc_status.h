#ifndef AUGUR_SERVER_SERVICE_GRPC_STATUS_H_
#define AUGUR_SERVER_SERVICE_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace augur {

// Converts an absl::Status into the grpc::Status with the same canonical
// code and message. The only place where the service changes error types.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_GRPC_STATUS_H_
