#ifndef AUGUR_SERVER_SERVICE_SERVICE_CONTEXT_H_
#define AUGUR_SERVER_SERVICE_SERVICE_CONTEXT_H_

#include <cstdint>

#include "server/service/study_config_cache.h"
#include "server/store/trial_store.h"

namespace augur {

// The dependencies of every RPC handler. The handlers are free functions
// over this context, so tests can call them without gRPC.
struct ServiceContext {
  TrialStore* store = nullptr;
  StudyConfigCache* configs = nullptr;
};

// Milliseconds since the Unix epoch, for the *_time_ms fields.
int64_t NowMs();

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_SERVICE_CONTEXT_H_
