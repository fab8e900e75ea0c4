#ifndef AUGUR_SERVER_SERVICE_STUDY_CONFIG_CACHE_H_
#define AUGUR_SERVER_SERVICE_STUDY_CONFIG_CACHE_H_

#include <cstdint>
#include <map>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "core/algorithms/algorithm.h"
#include "core/stopping/stopping_rules.h"
#include "core/study_config.h"
#include "server/store/trial_store.h"

namespace augur {

// A study's validated config, the algorithm built from it and its stopping
// rules.
struct StudyRuntime {
  explicit StudyRuntime(StudyConfig validated) : config(std::move(validated)) {}

  const StudyConfig config;
  // Built from `config`, which it may reference, so it is declared after it.
  std::unique_ptr<Algorithm> algorithm;
  // Thresholds, trial policies, trial_timeout and max_failed_trials.
  StoppingRules stopping;
};

// Validated configs and algorithms by study id. A study's spec never
// changes after CreateStudy and study ids are never reused, so an entry
// cannot go stale. The cache saves re-validating the spec on each call.
//
// Thread safety: thread-safe.
class StudyConfigCache {
 public:
  // Returns the runtime of `study`, validating its stored spec on first use.
  // INTERNAL when the stored spec no longer validates (a database written by
  // an incompatible augur); UNIMPLEMENTED when this build lacks the
  // algorithm.
  absl::StatusOr<std::shared_ptr<const StudyRuntime>> Get(const StudyRow& study)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::Mutex mu_;
  std::map<int64_t, std::shared_ptr<const StudyRuntime>> runtimes_
      ABSL_GUARDED_BY(mu_);
};

// Validates `spec` and builds its algorithm and stopping rules. Returns the
// errors of StudyConfig::Create, CreateAlgorithm and StoppingRules::Create
// unchanged.
absl::StatusOr<std::shared_ptr<const StudyRuntime>> BuildStudyRuntime(
    const v1::StudySpec& spec);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_STUDY_CONFIG_CACHE_H_
