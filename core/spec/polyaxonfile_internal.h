#ifndef AUGUR_CORE_SPEC_POLYAXONFILE_INTERNAL_H_
#define AUGUR_CORE_SPEC_POLYAXONFILE_INTERNAL_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/spec/polyaxonfile.h"
#include "core/spec/yaml_fields.h"

namespace augur::spec_internal {

// ParsePolyaxonfile that also records the 1-based line of every key it read,
// by dotted path ("matrix.lr", "run.cmd"), in `lines`.
absl::StatusOr<StudyFile> ParsePolyaxonfileWithLines(
    absl::string_view text, absl::string_view default_name, KeyLines* lines);

}  // namespace augur::spec_internal

#endif  // AUGUR_CORE_SPEC_POLYAXONFILE_INTERNAL_H_
