// augur validate: checks a study file without running anything.

#include <iostream>

#include "client/cli/cli_util.h"
#include "client/cli/commands.h"
#include "client/cli/validate_report.h"
#include "core/study_config.h"

namespace augur {

int ValidateFileCommand(const std::string& file) {
  auto study_file = ReadStudyFile(file);
  if (!study_file.ok()) {
    PrintError(study_file.status());
    return kExitInvalidFile;
  }
  // LoadPolyaxonfile runs StudyConfig::Create too, so this repeats a check
  // that passed. The config is needed for the summary.
  auto config = StudyConfig::Create(study_file->spec);
  if (!config.ok()) {
    PrintError(config.status());
    return kExitInvalidFile;
  }

  std::cout << RenderStudyFileSummary(*config);
  std::cout << file << " is valid\n";
  return kExitOk;
}

}  // namespace augur
