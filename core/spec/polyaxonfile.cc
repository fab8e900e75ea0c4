#include "core/spec/polyaxonfile.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "core/spec/polyaxonfile_internal.h"
#include "core/spec/tuning_parser.h"
#include "core/spec/yaml_fields.h"
#include "core/status_macros.h"
#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/yaml.h"

namespace augur {
namespace spec_internal {
namespace {

// Polyaxon keys that augur accepts, reports in ignored_keys and otherwise
// ignores.
const std::vector<absl::string_view> kIgnoredKeys = {
    "version", "framework",   "build",   "environment", "logging",
    "tags",    "description", "outputs", "backend", "project"};

const std::vector<absl::string_view> kUsedKeys = {
    "kind", "name",   "hptuning",     "settings",
    "run",  "params", "declarations", "inputs"};

// Bounds on a pod template written as YAML. An alias can make a node contain
// itself, so the walk needs a limit. Real templates are far smaller.
constexpr int kMaxTemplateDepth = 64;
constexpr int kMaxTemplateNodes = 100000;

absl::Status ExceptionError(absl::string_view what,
                            const YAML::Exception& error) {
  if (error.mark.is_null()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", error.msg));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("line ", error.mark.line + 1, ": ", what, ": ", error.msg));
}

std::vector<absl::string_view> TopLevelKeys() {
  std::vector<absl::string_view> keys = kUsedKeys;
  keys.insert(keys.end(), kIgnoredKeys.begin(), kIgnoredKeys.end());
  return keys;
}

// Appends a hint when the line of a syntax error is indented with a tab.
// YAML forbids tab indentation, but yaml-cpp reports it only with a generic
// message such as "illegal map value".
absl::Status AddTabHint(const absl::Status& status, const std::string& text,
                        const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return status;

  size_t start = 0;
  for (int line = 0; line < mark.line && start != std::string::npos; ++line) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return status;

  const size_t indent_end = text.find_first_not_of(" \t", start);
  const size_t tab = text.find('\t', start);
  if (tab == std::string::npos ||
      (indent_end != std::string::npos && tab > indent_end)) {
    return status;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      status.message(),
      " (the line is indented with a tab, and YAML allows only spaces)"));
}

// Counts the documents of a YAML stream through yaml-cpp's event parser and
// remembers where the second one starts.
class DocumentCounter : public YAML::EventHandler {
 public:
  int documents() const { return documents_; }
  int second_line() const { return second_line_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents_;
    if (documents_ == 2) second_line_ = mark.is_null() ? 1 : mark.line + 1;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  int documents_ = 0;
  int second_line_ = 0;
};

// Loads the single YAML document of `text`. yaml-cpp reports syntax errors
// by exception, which stops here.
//
// yaml-cpp 0.7's LoadAll never returns on some invalid streams, such as a
// lone ',' at the top level, because its parser then reports an endless run
// of empty documents (https://github.com/jbeder/yaml-cpp/issues/1040). So
// the event parser counts the documents, stopping at the second, and only a
// single-document stream is loaded, with Load.
absl::StatusOr<YAML::Node> LoadDocument(absl::string_view text) {
  const std::string input(text);
  YAML::Node document;
  DocumentCounter counter;
  try {
    std::istringstream stream(input);
    YAML::Parser parser(stream);
    while (counter.documents() < 2 && parser.HandleNextDocument(counter)) {
    }
    if (counter.documents() < 2) document = YAML::Load(input);
  } catch (const YAML::Exception& error) {
    return AddTabHint(ExceptionError("invalid YAML", error), input, error.mark);
  }

  if (counter.documents() >= 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", counter.second_line(),
        ": a second YAML document starts here; a study file holds one, so "
        "remove the extra '---' (a stray ',' at the top level also starts "
        "one)"));
  }
  if (document.IsNull()) {
    return absl::InvalidArgumentError(
        "the file is empty; a study file needs at least an hptuning: section "
        "with a matrix");
  }
  return document;
}

absl::Status CheckKind(const MapReader& root) {
  const Field* kind = root.Find("kind");
  if (kind == nullptr) return absl::OkStatus();

  AUGUR_ASSIGN_OR_RETURN(const std::string value, ReadString(*kind));
  if (absl::AsciiStrToLower(value) != "group") {
    return FieldError(*kind, absl::StrCat("kind ", value,
                                          " is not supported; augur reads "
                                          "study files of kind group"));
  }
  return absl::OkStatus();
}

absl::Status ReadName(const MapReader& root, absl::string_view default_name,
                      v1::StudySpec* spec) {
  if (const Field* name = root.Find("name")) {
    AUGUR_ASSIGN_OR_RETURN(*spec->mutable_name(), ReadString(*name));
    return absl::OkStatus();
  }
  if (default_name.empty()) {
    return absl::InvalidArgumentError(
        "the study has no name; add `name:` to the file");
  }
  spec->set_name(std::string(default_name));
  return absl::OkStatus();
}

absl::Status ReadTuningSection(const MapReader& root, KeyLines* lines,
                               v1::StudySpec* spec) {
  const Field* hptuning = root.Find("hptuning");
  const Field* settings = root.Find("settings");
  if (hptuning != nullptr && settings != nullptr) {
    return FieldError(*settings,
                      absl::StrCat("both hptuning (line ", hptuning->line,
                                   ") and settings are present; they "
                                   "are two layouts of the same "
                                   "section, so keep one"));
  }

  const Field* section = hptuning != nullptr ? hptuning : settings;
  if (section == nullptr) {
    return absl::InvalidArgumentError(
        "the file has no hptuning: section; a study file needs "
        "hptuning.matrix, "
        "the parameters to search");
  }
  const absl::string_view section_name =
      hptuning != nullptr ? "hptuning" : "settings";
  return ParseTuningSection(Field{"", section->line, section->node},
                            section_name, lines, spec);
}

// Rejects a YAML tree deeper than kMaxTemplateDepth or larger than
// kMaxTemplateNodes; either bound also stops a node that contains itself.
absl::Status CheckTemplateSize(const Field& field, const YAML::Node& node,
                               int depth, int* count) {
  ++*count;
  if (depth > kMaxTemplateDepth || *count > kMaxTemplateNodes) {
    return FieldError(
        field,
        absl::StrCat("the template is nested deeper than ", kMaxTemplateDepth,
                     " levels, has more than ", kMaxTemplateNodes,
                     " nodes or contains itself through "
                     "an alias"));
  }

  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      AUGUR_RETURN_IF_ERROR(
          CheckTemplateSize(field, it->first, depth + 1, count));
      AUGUR_RETURN_IF_ERROR(
          CheckTemplateSize(field, it->second, depth + 1, count));
    }
  } else if (node.IsSequence()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      AUGUR_RETURN_IF_ERROR(CheckTemplateSize(field, *it, depth + 1, count));
    }
  }
  return absl::OkStatus();
}

// A pod template is a YAML or JSON string, or a YAML map written inline,
// which is stored re-emitted as YAML text.
absl::StatusOr<std::string> ReadPodTemplate(const Field& field) {
  if (!field.node.IsMap()) return ReadString(field);

  int count = 0;
  AUGUR_RETURN_IF_ERROR(CheckTemplateSize(field, field.node, 0, &count));
  YAML::Emitter emitter;
  emitter << field.node;
  if (!emitter.good()) {
    return FieldError(field, absl::StrCat("cannot write the template as YAML: ",
                                          emitter.GetLastError()));
  }
  return std::string(emitter.c_str());
}

// `cmd` is a string, or a list of strings joined by newlines.
absl::StatusOr<std::string> ReadCommand(const Field& field) {
  if (!field.node.IsSequence()) return ReadString(field);

  AUGUR_ASSIGN_OR_RETURN(const std::vector<Field> elements, ReadList(field));
  if (elements.empty()) {
    return FieldError(field,
                      "the command list is empty; give the trial command");
  }
  std::vector<std::string> commands;
  for (const Field& element : elements) {
    AUGUR_ASSIGN_OR_RETURN(std::string command, ReadString(element));
    commands.push_back(std::move(command));
  }
  return absl::StrJoin(commands, "\n");
}

absl::Status ReadRun(const MapReader& root, KeyLines* lines,
                     v1::StudySpec* spec) {
  const Field* run = root.Find("run");
  if (run == nullptr) return absl::OkStatus();

  AUGUR_ASSIGN_OR_RETURN(
      const MapReader map,
      MapReader::Create(
          *run, std::vector<absl::string_view>{"cmd", "image", "pod_template"},
          lines));
  v1::RunSpec* out = spec->mutable_run();
  if (const Field* cmd = map.Find("cmd")) {
    AUGUR_ASSIGN_OR_RETURN(*out->mutable_cmd(), ReadCommand(*cmd));
  }
  if (const Field* image = map.Find("image")) {
    AUGUR_ASSIGN_OR_RETURN(*out->mutable_image(), ReadString(*image));
  }
  if (const Field* pod_template = map.Find("pod_template")) {
    AUGUR_ASSIGN_OR_RETURN(*out->mutable_pod_template(),
                           ReadPodTemplate(*pod_template));
  }
  return absl::OkStatus();
}

// The line of each matrix parameter, by name.
std::map<std::string, int> MatrixLines(const MapReader& root) {
  std::map<std::string, int> lines;
  for (absl::string_view section : {"hptuning", "settings"}) {
    const Field* tuning = root.Find(section);
    if (tuning == nullptr || !tuning->node.IsMap()) continue;
    const YAML::Node matrix = tuning->node["matrix"];
    if (!matrix.IsMap()) continue;
    for (auto it = matrix.begin(); it != matrix.end(); ++it) {
      lines.emplace(it->first.Scalar(), LineOf(it->first, tuning->line));
    }
  }
  return lines;
}

// Reads `params` and `declarations`: fixed values passed to every trial.
absl::Status ReadParams(const MapReader& root, KeyLines* lines,
                        const std::map<std::string, int>& matrix_lines,
                        v1::StudySpec* spec) {
  std::map<std::string, int> param_lines;
  for (absl::string_view section : {"params", "declarations"}) {
    const Field* field = root.Find(section);
    if (field == nullptr) continue;

    AUGUR_ASSIGN_OR_RETURN(
        const MapReader map,
        MapReader::Create(*field, std::nullopt, lines, /*null_is_empty=*/true));
    for (const auto& [name, value_field] : map.entries()) {
      if (const auto in_matrix = matrix_lines.find(name);
          in_matrix != matrix_lines.end()) {
        return FieldError(
            value_field,
            absl::StrCat(name, " is also a matrix parameter (line ",
                         in_matrix->second,
                         "); a name is either fixed or searched, "
                         "so remove one of them"));
      }
      if (const auto earlier = param_lines.find(name);
          earlier != param_lines.end()) {
        return FieldError(
            value_field,
            absl::StrCat(name, " is already fixed on line ", earlier->second,
                         "; remove one of the two values"));
      }
      param_lines.emplace(name, value_field.line);
      // StudyConfig names every fixed value "params.NAME".
      if (lines != nullptr)
        lines->emplace(JoinPath("params", name), value_field.line);

      v1::Parameter* parameter = spec->add_params();
      parameter->set_name(name);
      AUGUR_ASSIGN_OR_RETURN(*parameter->mutable_value(),
                             ReadValue(value_field));
    }
  }
  return absl::OkStatus();
}

// Converts an input's default to its declared Polyaxon type (int, float,
// str, bool); other types keep the value's YAML type.
absl::StatusOr<v1::Value> ReadTypedDefault(const Field& field,
                                           const std::string& type) {
  AUGUR_ASSIGN_OR_RETURN(v1::Value value, ReadValue(field));

  const std::string type_word = absl::AsciiStrToLower(type);
  if (type_word == "str") {
    v1::Value text;
    text.set_string_value(field.node.Scalar());
    return text;
  }
  if (type_word == "float" && value.has_int_value()) {
    const int64_t integer = value.int_value();
    value.set_double_value(static_cast<double>(integer));
    return value;
  }

  const bool matches =
      (type_word == "int" && value.has_int_value()) ||
      (type_word == "float" && value.has_double_value()) ||
      (type_word == "bool" && value.has_bool_value()) ||
      (type_word != "int" && type_word != "float" && type_word != "bool");
  if (!matches) {
    return FieldError(field,
                      absl::StrCat("the default is ", DescribeNode(field.node),
                                   " but the input's type is ", type));
  }
  return value;
}

bool HasParam(const v1::StudySpec& spec, const std::string& name) {
  return std::any_of(spec.params().begin(), spec.params().end(),
                     [&](const v1::Parameter& p) { return p.name() == name; });
}

// Reads Polyaxon `inputs`. A default becomes a fixed parameter only for a
// name that neither the matrix nor `params` sets, so files that declare
// every matrix parameter as an input still work.
absl::Status ReadInputs(const MapReader& root, KeyLines* lines,
                        const std::map<std::string, int>& matrix_lines,
                        v1::StudySpec* spec) {
  const Field* inputs = root.Find("inputs");
  if (inputs == nullptr) return absl::OkStatus();

  AUGUR_ASSIGN_OR_RETURN(const std::vector<Field> entries,
                         ReadList(*inputs, lines));
  for (const Field& entry : entries) {
    AUGUR_ASSIGN_OR_RETURN(
        const MapReader map,
        MapReader::Create(entry,
                          std::vector<absl::string_view>{
                              "name", "description", "type", "default", "value",
                              "is_optional", "is_list", "is_flag"},
                          lines));
    const Field* name_field = map.Find("name");
    if (name_field == nullptr) {
      return FieldError(entry, "missing `name`; every input needs a name");
    }
    AUGUR_ASSIGN_OR_RETURN(const std::string name, ReadString(*name_field));
    if (matrix_lines.count(name) > 0 || HasParam(*spec, name)) continue;

    std::string type;
    if (const Field* type_field = map.Find("type")) {
      AUGUR_ASSIGN_OR_RETURN(type, ReadString(*type_field));
    }
    bool optional = false;
    if (const Field* optional_field = map.Find("is_optional")) {
      AUGUR_ASSIGN_OR_RETURN(optional, ReadBool(*optional_field));
    }

    const Field* default_field = map.Find("default");
    if (default_field == nullptr) default_field = map.Find("value");
    if (default_field == nullptr || default_field->node.IsNull()) {
      if (optional) continue;
      return FieldError(*name_field,
                        absl::StrCat("input ", name,
                                     " has no default and neither the matrix "
                                     "nor params sets it; add `default:` or a "
                                     "matrix entry"));
    }

    v1::Parameter* parameter = spec->add_params();
    parameter->set_name(name);
    AUGUR_ASSIGN_OR_RETURN(*parameter->mutable_value(),
                           ReadTypedDefault(*default_field, type));
    if (lines != nullptr) {
      lines->emplace(JoinPath("params", name), default_field->line);
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> IgnoredKeys(const MapReader& root) {
  std::vector<std::string> ignored;
  for (const auto& [key, field] : root.entries()) {
    if (std::find(kIgnoredKeys.begin(), kIgnoredKeys.end(), key) !=
        kIgnoredKeys.end()) {
      ignored.push_back(key);
    }
  }
  return ignored;
}

absl::StatusOr<StudyFile> ParseRoot(const YAML::Node& document,
                                    absl::string_view default_name,
                                    KeyLines* lines) {
  if (!document.IsMap()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", LineOf(document, 1),
                     ": the top level of a study file must be a "
                     "map with keys such as kind, hptuning and run; got ",
                     DescribeNode(document)));
  }
  AUGUR_ASSIGN_OR_RETURN(
      const MapReader root,
      MapReader::Create(Field{"", LineOf(document, 1), document},
                        TopLevelKeys(), lines));

  StudyFile file;
  AUGUR_RETURN_IF_ERROR(CheckKind(root));
  AUGUR_RETURN_IF_ERROR(ReadName(root, default_name, &file.spec));
  AUGUR_RETURN_IF_ERROR(ReadTuningSection(root, lines, &file.spec));
  AUGUR_RETURN_IF_ERROR(ReadRun(root, lines, &file.spec));

  const std::map<std::string, int> matrix_lines = MatrixLines(root);
  AUGUR_RETURN_IF_ERROR(ReadParams(root, lines, matrix_lines, &file.spec));
  AUGUR_RETURN_IF_ERROR(ReadInputs(root, lines, matrix_lines, &file.spec));

  file.ignored_keys = IgnoredKeys(root);
  return file;
}

}  // namespace

absl::StatusOr<StudyFile> ParsePolyaxonfileWithLines(
    absl::string_view text, absl::string_view default_name, KeyLines* lines) {
  AUGUR_ASSIGN_OR_RETURN(const YAML::Node document, LoadDocument(text));

  // yaml-cpp documents no exception-free subset of its node accessors, so a
  // stray exception becomes an error here instead of escaping.
  try {
    return ParseRoot(document, default_name, lines);
  } catch (const YAML::Exception& error) {
    return ExceptionError("cannot read the file", error);
  }
}

}  // namespace spec_internal

absl::StatusOr<StudyFile> ParsePolyaxonfile(std::string_view text,
                                            std::string_view default_name) {
  spec_internal::KeyLines lines;
  return spec_internal::ParsePolyaxonfileWithLines(
      absl::string_view(text.data(), text.size()),
      absl::string_view(default_name.data(), default_name.size()), &lines);
}

}  // namespace augur
