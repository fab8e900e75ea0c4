#ifndef AUGUR_CORE_SPEC_POLYAXONFILE_H_
#define AUGUR_CORE_SPEC_POLYAXONFILE_H_

// The reader of Polyaxon v0 polyaxonfiles of `kind: group`, the study file
// format of `augur run` and `augur create`.
//
// Both tuning layouts parse to the same spec: `hptuning:` (Polyaxon 0.2 to
// 0.6) and `settings:` (early 2018), each holding concurrency, seed, matrix,
// grid_search | random_search | hyperband | bo, early_stopping, metric,
// metrics, stopping_policy, trial_timeout, max_failed_trials and runner.
// Top level: kind, name, run {cmd, image, pod_template}, params /
// declarations, inputs, and the Polyaxon keys that augur ignores (version,
// framework, build, environment, logging, tags, description, outputs,
// backend).
//
// Trial stopping policies read in two forms, the nested `median:
// {evaluation_interval: 1}` and the flat `{kind: median,
// evaluation_interval: 1}`. A file
// contains exactly one YAML document.
//
// Scalar typing: plain numbers follow the YAML 1.2 core schema (`1e-4` is a
// float, `5` an integer); plain words that yaml-cpp 0.7's as<bool> accepts
// (true/false, yes/no, on/off, y/n in lower, upper or capitalised case) are
// bools; quoted scalars are strings.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"

namespace augur {

// A parsed study file.
struct StudyFile {
  // Everything the file specifies.
  v1::StudySpec spec;
  // The accepted-and-ignored top-level keys, in file order.
  std::vector<std::string> ignored_keys;
};

// Parses polyaxonfile text. `default_name` (usually the file's stem) names
// the study when the file has no `name:`. Checks structure only: unknown or
// duplicate keys, wrong types, operand counts, conflicting sections. Returns
// INVALID_ARGUMENT whose message starts with the line and the key path, for
// example "line 12: matrix.lr: ...". Thread-safe.
absl::StatusOr<StudyFile> ParsePolyaxonfile(std::string_view text,
                                            std::string_view default_name);

// ParsePolyaxonfile, then StudyConfig::Create on the spec, so the result is
// a spec that CreateStudy accepts. A semantic error whose message names a
// key or a matrix parameter of the file gets that key's line prepended
// ("line 12: ..."). Returns INVALID_ARGUMENT for both kinds of error.
// Thread-safe.
absl::StatusOr<StudyFile> LoadPolyaxonfile(std::string_view text,
                                           std::string_view default_name);

}  // namespace augur

#endif  // AUGUR_CORE_SPEC_POLYAXONFILE_H_
