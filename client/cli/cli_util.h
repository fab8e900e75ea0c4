#ifndef AUGUR_CLIENT_CLI_CLI_UTIL_H_
#define AUGUR_CLIENT_CLI_CLI_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/spec/polyaxonfile.h"

namespace augur {

// Prints "augur: error: MESSAGE" on stderr and returns kExitFailure.
int PrintError(const absl::Status& status);

// Reads and loads the study file at `path` (LoadPolyaxonfile, with the file
// stem as the default name) and lists the ignored Polyaxon keys on stderr.
// Returns NOT_FOUND for an unreadable file and INVALID_ARGUMENT, prefixed
// with the path, for an invalid one.
absl::StatusOr<StudyFile> ReadStudyFile(const std::string& path);

}  // namespace augur

#endif  // AUGUR_CLIENT_CLI_CLI_UTIL_H_
