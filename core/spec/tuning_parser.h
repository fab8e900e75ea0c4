#ifndef AUGUR_CORE_SPEC_TUNING_PARSER_H_
#define AUGUR_CORE_SPEC_TUNING_PARSER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "augur/v1/augur.pb.h"
#include "core/spec/yaml_fields.h"

namespace augur::spec_internal {

// Reads the tuning section (`hptuning:` or `settings:`) into `spec`: the
// matrix, the algorithm, metrics, stopping rules and study settings. Unknown
// keys at any level are errors naming the key and its line. Records key
// lines in `lines`. `section` has an empty path, so that keys inside read as
// "matrix.lr"; `section_name` names the section itself in messages.
absl::Status ParseTuningSection(const Field& section,
                                absl::string_view section_name, KeyLines* lines,
                                v1::StudySpec* spec);

}  // namespace augur::spec_internal

#endif  // AUGUR_CORE_SPEC_TUNING_PARSER_H_
