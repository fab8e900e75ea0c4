#ifndef AUGUR_CLIENT_RUNNER_COMMAND_TEMPLATE_H_
#define AUGUR_CLIENT_RUNNER_COMMAND_TEMPLATE_H_

#include <map>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace augur {

// Quotes `text` for a POSIX shell the way Python's shlex.quote does: a
// non-empty string of ASCII letters, digits and `_ @ % + = : , . / -` stays
// bare; anything else is wrapped in single quotes, with each embedded single
// quote written as '"'"'. The result always reaches the command as one word
// and never as shell syntax.
std::string ShellQuote(absl::string_view text);

// Returns the names used by the `{{ name }}` placeholders of `command`, in
// order of first use. Whitespace inside the braces is optional. Returns
// INVALID_ARGUMENT for an unclosed `{{`, an empty placeholder, or a
// placeholder that is not a plain name (such as a Jinja filter).
absl::StatusOr<std::vector<std::string>> PlaceholderNames(
    absl::string_view command);

// Replaces every `{{ name }}` placeholder in `command` with the shell-quoted
// value of `name`. Returns INVALID_ARGUMENT for a malformed placeholder or
// for a name missing from `values`, listing the names that exist.
absl::StatusOr<std::string> RenderCommand(
    absl::string_view command, const std::map<std::string, std::string>& values);

}  // namespace augur

#endif  // AUGUR_CLIENT_RUNNER_COMMAND_TEMPLATE_H_
