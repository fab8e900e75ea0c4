#ifndef AUGUR_CORE_SPEC_YAML_FIELDS_H_
#define AUGUR_CORE_SPEC_YAML_FIELDS_H_

// Typed, line-aware access to a parsed YAML document, used only by the
// polyaxonfile parser. Every reader returns INVALID_ARGUMENT whose message
// starts with "line N: path: ", so a user can find the offending key.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "augur/v1/augur.pb.h"
#include "yaml-cpp/yaml.h"

namespace augur::spec_internal {

// A YAML node together with the dotted path of the key that holds it
// ("matrix.lr.range", "early_stopping[1].value") and its 1-based line.
// Paths inside the tuning section leave out `hptuning.` or `settings.`, so
// both layouts name a key the same way, as StudyConfig::Create does.
struct Field {
  std::string path;
  int line = 0;
  YAML::Node node;
};

// The 1-based line of every key read so far, by dotted path.
using KeyLines = std::map<std::string, int>;

// Returns INVALID_ARGUMENT "line N: path: message", or "line N: message"
// when the path is empty.
absl::Status FieldError(const Field& field, absl::string_view message);

// Returns "parent.key", or "key" when `parent` is empty.
std::string JoinPath(absl::string_view parent, absl::string_view key);

// The 1-based line of `node`, or `fallback` when the node has no position
// (yaml-cpp gives none to nodes it creates itself).
int LineOf(const YAML::Node& node, int fallback);

// A scalar after type resolution. Plain scalars follow the YAML 1.2 core
// schema for numbers and null, so `1e-4` is a float (PyYAML, which Polyaxon
// used, reads it as a string). Plain scalars become bools exactly when
// yaml-cpp 0.7's as<bool> accepts them: y, yes, true and on (and n, no, false,
// off) in lower case, upper case or with a leading capital. Quoted scalars
// and scalars tagged !!str are always strings.
struct Scalar {
  enum class Kind { kNull, kBool, kInt, kFloat, kString };
  Kind kind = Kind::kNull;
  bool bool_value = false;
  int64_t int_value = 0;
  // The numeric value of kInt and kFloat scalars. An integer literal outside
  // the int64 range has kind kInt, `int_overflow` set and only this value.
  double number = 0.0;
  bool int_overflow = false;
  // The scalar as written.
  std::string text;
};

// Resolves a plain (unquoted, untagged) scalar's text, without the bool
// rules: used for the pieces of the "start:stop:step" string form.
Scalar ResolvePlainText(absl::string_view text);

// Resolves `node`. REQUIRES: node is a scalar or null.
Scalar ResolveScalar(const YAML::Node& node);

// Describes a node for an error message: "a list", "a map", "null",
// "the string \"abc\"", "the integer 5", "the float 0.5", "the bool true".
std::string DescribeNode(const YAML::Node& node);

// The entries of a YAML map, checked once: the node is a map, every key is a
// plain scalar, no key appears twice and every key is allowed.
class MapReader {
 public:
  // Reads `field` as a map. `allowed_keys` lists the accepted keys in the
  // order an error message shows them; nullopt accepts any key. A null node
  // reads as an empty map when `null_is_empty` is set. Records the line of
  // every key in `lines` (may be null).
  static absl::StatusOr<MapReader> Create(
      const Field& field,
      const std::optional<std::vector<absl::string_view>>& allowed_keys,
      KeyLines* lines, bool null_is_empty = false);

  // Entries in file order; each Field's line is the line of its key.
  const std::vector<std::pair<std::string, Field>>& entries() const {
    return entries_;
  }

  // Returns the entry for `key`, or nullptr when the map lacks it.
  const Field* Find(absl::string_view key) const;

  // The map itself.
  const Field& field() const { return field_; }

 private:
  explicit MapReader(Field field) : field_(std::move(field)) {}

  Field field_;
  std::vector<std::pair<std::string, Field>> entries_;
};

// Returns the elements of the list in `field`, each with the path
// "path[i]" and its own line, which it records in `lines` (may be null).
absl::StatusOr<std::vector<Field>> ReadList(const Field& field,
                                            KeyLines* lines = nullptr);

// Reads an integer written without a fraction or exponent.
absl::StatusOr<int64_t> ReadInt(const Field& field);

// Reads a finite integer or float.
absl::StatusOr<double> ReadNumber(const Field& field);

absl::StatusOr<bool> ReadBool(const Field& field);

// Reads a non-empty scalar as written (a number stays its text).
absl::StatusOr<std::string> ReadString(const Field& field);

// Reads one of `words` in any letter case and returns the matching number.
absl::StatusOr<int> ReadEnum(
    const Field& field,
    const std::vector<std::pair<absl::string_view, int>>& words);

// Reads a scalar parameter value that keeps its YAML type: int, finite
// float, bool or string. Null, lists and maps are errors.
absl::StatusOr<v1::Value> ReadValue(const Field& field);

}  // namespace augur::spec_internal

#endif  // AUGUR_CORE_SPEC_YAML_FIELDS_H_
