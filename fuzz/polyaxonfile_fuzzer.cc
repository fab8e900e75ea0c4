// libFuzzer target for the polyaxonfile reader. Every input must give either
// a spec that satisfies the parser's guarantees or INVALID_ARGUMENT with a
// message. A crash, a sanitizer report, a hang or a broken guarantee is a bug.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/spec/polyaxonfile.h"

namespace {

void Require(bool condition, const char* guarantee) {
  if (condition) return;
  std::fprintf(stderr, "polyaxonfile_fuzzer: broken guarantee: %s\n", guarantee);
  std::abort();
}

void CheckResult(const absl::StatusOr<augur::StudyFile>& file) {
  if (!file.ok()) {
    Require(file.status().code() == absl::StatusCode::kInvalidArgument,
            "every error is INVALID_ARGUMENT");
    Require(!file.status().message().empty(), "every error has a message");
    return;
  }

  const augur::v1::StudySpec& spec = file->spec;
  Require(!spec.name().empty(), "a parsed study has a name");
  Require(spec.parameters_size() > 0, "a parsed study has a matrix");
  for (const augur::v1::ParameterSpec& parameter : spec.parameters()) {
    Require(!parameter.name().empty(), "every parameter has a name");
    Require(parameter.option_case() != augur::v1::ParameterSpec::OPTION_NOT_SET,
            "every parameter has exactly one option");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  CheckResult(augur::ParsePolyaxonfile(text, "fuzz"));
  // LoadPolyaxonfile also runs StudyConfig::Create and the line lookup.
  CheckResult(augur::LoadPolyaxonfile(text, "fuzz"));
  return 0;
}
