#include "client/runner/command_template.h"

#include <algorithm>
#include <functional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "core/status_macros.h"

namespace augur {
namespace {

bool IsShellSafe(char c) {
  return absl::ascii_isalnum(c) || c == '_' || c == '@' || c == '%' ||
         c == '+' || c == '=' || c == ':' || c == ',' || c == '.' ||
         c == '/' || c == '-';
}

bool IsPlaceholderName(absl::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

// Walks the placeholders of `command`, calling `on_text` for the text
// between them and `on_name` for each placeholder name.
absl::Status ScanTemplate(
    absl::string_view command,
    const std::function<void(absl::string_view)>& on_text,
    const std::function<absl::Status(const std::string&)>& on_name) {
  size_t position = 0;
  while (position < command.size()) {
    const size_t open = command.find("{{", position);
    if (open == absl::string_view::npos) {
      on_text(command.substr(position));
      return absl::OkStatus();
    }
    on_text(command.substr(position, open - position));

    const size_t close = command.find("}}", open + 2);
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "run.cmd has an unclosed placeholder at character ", open + 1,
          ": \"", command.substr(open, 40),
          "\"; write parameters as {{ name }}"));
    }

    const absl::string_view inner = absl::StripAsciiWhitespace(
        command.substr(open + 2, close - open - 2));
    if (!IsPlaceholderName(inner)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "run.cmd has an unsupported placeholder \"{{",
          command.substr(open + 2, close - open - 2),
          "}}\"; only a parameter name such as {{ learning_rate }} is "
          "supported, without filters or expressions"));
    }
    AUGUR_RETURN_IF_ERROR(on_name(std::string(inner)));
    position = close + 2;
  }
  return absl::OkStatus();
}

}  // namespace

std::string ShellQuote(absl::string_view text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), IsShellSafe)) {
    return std::string(text);
  }
  return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "'\"'\"'"}}), "'");
}

absl::StatusOr<std::vector<std::string>> PlaceholderNames(
    absl::string_view command) {
  std::vector<std::string> names;
  AUGUR_RETURN_IF_ERROR(ScanTemplate(
      command, [](absl::string_view) {},
      [&names](const std::string& name) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
          names.push_back(name);
        }
        return absl::OkStatus();
      }));
  return names;
}

absl::StatusOr<std::string> RenderCommand(
    absl::string_view command,
    const std::map<std::string, std::string>& values) {
  std::string rendered;
  AUGUR_RETURN_IF_ERROR(ScanTemplate(
      command, [&rendered](absl::string_view text) {
        rendered.append(text.data(), text.size());
      },
      [&rendered, &values](const std::string& name) {
        const auto it = values.find(name);
        if (it == values.end()) {
          std::vector<std::string> known;
          for (const auto& [key, value] : values) known.push_back(key);
          return absl::InvalidArgumentError(absl::StrCat(
              "run.cmd uses {{ ", name, " }}, but the trial has no parameter "
              "of that name; known parameters: ",
              known.empty() ? "(none)" : absl::StrJoin(known, ", "),
              ". Add it to the matrix or to params, or fix the name"));
        }
        rendered.append(ShellQuote(it->second));
        return absl::OkStatus();
      }));
  return rendered;
}

}  // namespace augur
