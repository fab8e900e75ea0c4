// LoadPolyaxonfile: the parser followed by StudyConfig::Create, with the
// file's line numbers added to semantic errors.

#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/spec/polyaxonfile.h"
#include "core/spec/polyaxonfile_internal.h"
#include "core/status_macros.h"
#include "core/study_config.h"

namespace augur {
namespace {

using spec_internal::KeyLines;

// Removes the last ".key" or "[i]" component. Returns false when nothing is
// left to remove.
bool DropLastComponent(std::string* path) {
  const size_t cut = path->find_last_of(".[");
  if (cut == std::string::npos || cut == 0) return false;
  path->resize(cut);
  return true;
}

bool IsPathChar(char c) {
  return absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '.' ||
         c == '[' || c == ']';
}

// Finds the line of the key path that starts `message` ("matrix.lr: ...",
// "hyperband.eta is ..."), or of its nearest recorded ancestor.
std::optional<int> LineOfLeadingPath(absl::string_view message,
                                     const KeyLines& lines) {
  size_t length = 0;
  while (length < message.size() && IsPathChar(message[length])) ++length;
  if (length == 0) return std::nullopt;

  std::string path(message.substr(0, length));
  do {
    const auto found = lines.find(path);
    if (found != lines.end()) return found->second;
  } while (DropLastComponent(&path));
  return std::nullopt;
}

// Finds the longest recorded key path that appears in `message` as a whole
// word, for messages that do not start with a path. Only dotted paths
// ("matrix.lr", "bo.metric") count: a lone word such as "metric" or "name"
// appears in too many messages to point at one key.
std::optional<int> LineOfMentionedPath(absl::string_view message,
                                       const KeyLines& lines) {
  std::optional<int> line;
  size_t best_length = 0;
  for (const auto& [path, path_line] : lines) {
    if (path.size() <= best_length || !absl::StrContains(path, '.')) continue;
    for (size_t at = message.find(path); at != absl::string_view::npos;
         at = message.find(path, at + 1)) {
      const size_t end = at + path.size();
      const bool starts_word = at == 0 || !IsPathChar(message[at - 1]);
      const bool ends_word = end == message.size() || !IsPathChar(message[end]);
      if (starts_word && ends_word) {
        line = path_line;
        best_length = path.size();
        break;
      }
    }
  }
  return line;
}

absl::Status WithLine(const absl::Status& status, const KeyLines& lines) {
  const absl::string_view message = status.message();
  if (absl::StartsWith(message, "line ")) return status;

  std::optional<int> line = LineOfLeadingPath(message, lines);
  if (!line.has_value()) line = LineOfMentionedPath(message, lines);
  if (!line.has_value()) return status;
  return absl::Status(status.code(),
                      absl::StrCat("line ", *line, ": ", message));
}

}  // namespace

absl::StatusOr<StudyFile> LoadPolyaxonfile(std::string_view text,
                                           std::string_view default_name) {
  KeyLines lines;
  AUGUR_ASSIGN_OR_RETURN(
      StudyFile file,
      spec_internal::ParsePolyaxonfileWithLines(
          absl::string_view(text.data(), text.size()),
          absl::string_view(default_name.data(), default_name.size()), &lines));

  const absl::StatusOr<StudyConfig> config = StudyConfig::Create(file.spec);
  if (!config.ok()) return WithLine(config.status(), lines);
  return file;
}

}  // namespace augur
