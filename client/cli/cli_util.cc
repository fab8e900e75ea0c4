#include "client/cli/cli_util.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/commands.h"

namespace augur {

int PrintError(const absl::Status& status) {
  std::cerr << "augur: error: " << status.message() << "\n";
  return kExitFailure;
}

absl::StatusOr<StudyFile> ReadStudyFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the study file ", path,
                     ": it does not exist or is not readable"));
  }
  std::stringstream text;
  text << file.rdbuf();

  const std::string stem = std::filesystem::path(path).stem().string();
  auto study_file = LoadPolyaxonfile(text.str(), stem);
  if (!study_file.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", study_file.status().message()));
  }
  if (!study_file->ignored_keys.empty()) {
    std::cerr << "augur: ignoring Polyaxon keys that augur does not use: "
              << absl::StrJoin(study_file->ignored_keys, ", ") << "\n";
  }
  return study_file;
}

}  // namespace augur
