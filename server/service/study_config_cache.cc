#include "server/service/study_config_cache.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "server/service/service_context.h"

namespace augur {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

absl::StatusOr<std::shared_ptr<const StudyRuntime>> BuildStudyRuntime(
    const v1::StudySpec& spec) {
  AUGUR_ASSIGN_OR_RETURN(StudyConfig config, StudyConfig::Create(spec));
  auto runtime = std::make_shared<StudyRuntime>(std::move(config));
  AUGUR_ASSIGN_OR_RETURN(runtime->algorithm, CreateAlgorithm(runtime->config));
  AUGUR_ASSIGN_OR_RETURN(
      runtime->stopping,
      StoppingRules::Create(spec, runtime->config.objective()));
  return std::shared_ptr<const StudyRuntime>(std::move(runtime));
}

absl::StatusOr<std::shared_ptr<const StudyRuntime>> StudyConfigCache::Get(
    const StudyRow& study) {
  {
    absl::MutexLock lock(&mu_);
    auto found = runtimes_.find(study.id);
    if (found != runtimes_.end()) return found->second;
  }

  absl::StatusOr<std::shared_ptr<const StudyRuntime>> runtime =
      BuildStudyRuntime(study.spec);
  if (!runtime.ok()) {
    if (runtime.status().code() == absl::StatusCode::kUnimplemented) {
      return runtime.status();
    }
    return absl::InternalError(
        absl::StrCat("the stored spec of study \"", study.name,
                     "\" no longer validates: ", runtime.status().message()));
  }

  absl::MutexLock lock(&mu_);
  return runtimes_.emplace(study.id, *std::move(runtime)).first->second;
}

}  // namespace augur
