#ifndef AUGUR_CORE_SPEC_MATRIX_PARSER_H_
#define AUGUR_CORE_SPEC_MATRIX_PARSER_H_

#include "absl/status/status.h"
#include "augur/v1/augur.pb.h"
#include "core/spec/yaml_fields.h"

namespace augur::spec_internal {

// Reads the `matrix` map (parameter name -> exactly one option) into
// `parameters`, in file order. Checks structure only: option names, operand
// counts, operand types and the pvalues layout. Ranges, probabilities and
// the like are checked by StudyConfig::Create. Records key lines in `lines`.
absl::Status ParseMatrix(
    const Field& matrix, KeyLines* lines,
    google::protobuf::RepeatedPtrField<v1::ParameterSpec>* parameters);

}  // namespace augur::spec_internal

#endif  // AUGUR_CORE_SPEC_MATRIX_PARSER_H_
