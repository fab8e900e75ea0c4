#include "core/spec/matrix_parser.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "core/status_macros.h"

namespace augur::spec_internal {
namespace {

const std::vector<absl::string_view>& OptionNames() {
  static const auto* const kNames = new std::vector<absl::string_view>{
      "values",    "pvalues", "range",     "linspace",   "logspace",
      "geomspace", "uniform", "quniform",  "loguniform", "qloguniform",
      "normal",    "qnormal", "lognormal", "qlognormal"};
  return *kNames;
}

// The operands of a numeric option, in the order of its list and string
// forms. Optional operands may only trail the required ones.
struct OperandNames {
  std::vector<absl::string_view> required;
  std::vector<absl::string_view> optional;
};

// "[start, stop, step], {start, stop, step} or \"start:stop:step\"".
std::string DescribeForms(const OperandNames& names) {
  std::vector<absl::string_view> all = names.required;
  all.insert(all.end(), names.optional.begin(), names.optional.end());
  const std::string list = absl::StrJoin(all, ", ");
  const std::string colon = absl::StrJoin(all, ":");
  return absl::StrCat(
      "[", list, "], {", list, "} or \"", colon, "\"",
      names.optional.empty()
          ? ""
          : absl::StrCat(" (", absl::StrJoin(names.optional, ", "),
                         " optional)"));
}

absl::Status CountError(const Field& option, absl::string_view option_name,
                        const OperandNames& names, size_t count) {
  return FieldError(
      option,
      absl::StrCat(option_name, " expects ", DescribeForms(names), "; got ",
                   count, count == 1 ? " element" : " elements"));
}

// Reads the operands of a numeric option from its list, map or
// "a:b:c" string form. Returns one entry per name in `names` (required
// first), nullopt for an optional operand that is absent.
absl::StatusOr<std::vector<std::optional<Field>>> ReadOperands(
    const Field& option, absl::string_view option_name,
    const OperandNames& names, KeyLines* lines) {
  const size_t min_count = names.required.size();
  const size_t max_count = min_count + names.optional.size();
  std::vector<absl::string_view> all = names.required;
  all.insert(all.end(), names.optional.begin(), names.optional.end());
  std::vector<std::optional<Field>> operands(max_count);

  if (option.node.IsMap()) {
    AUGUR_ASSIGN_OR_RETURN(MapReader map,
                           MapReader::Create(option, all, lines));
    for (size_t i = 0; i < max_count; ++i) {
      const Field* found = map.Find(all[i]);
      if (found != nullptr) {
        operands[i] = *found;
      } else if (i < min_count) {
        return FieldError(option,
                          absl::StrCat(option_name, " is missing `", all[i],
                                       "`; it expects ", DescribeForms(names)));
      }
    }
    return operands;
  }

  std::vector<Field> pieces;
  if (option.node.IsSequence()) {
    AUGUR_ASSIGN_OR_RETURN(pieces, ReadList(option));
  } else if (option.node.IsScalar() &&
             absl::StrContains(option.node.Scalar(), ':')) {
    for (absl::string_view piece : absl::StrSplit(option.node.Scalar(), ':')) {
      pieces.push_back(
          Field{option.path, option.line,
                YAML::Node(std::string(absl::StripAsciiWhitespace(piece)))});
    }
  } else {
    return FieldError(
        option, absl::StrCat(option_name, " expects ", DescribeForms(names),
                             "; got ", DescribeNode(option.node)));
  }

  if (pieces.size() < min_count || pieces.size() > max_count) {
    return CountError(option, option_name, names, pieces.size());
  }
  for (size_t i = 0; i < pieces.size(); ++i) {
    pieces[i].path = JoinPath(option.path, all[i]);
    operands[i] = std::move(pieces[i]);
  }
  return operands;
}

bool WrittenAsInteger(const Field& operand) {
  return ResolveScalar(operand.node).kind == Scalar::Kind::kInt;
}

absl::Status ParseRange(const Field& option, KeyLines* lines,
                        v1::RangeOption* range) {
  AUGUR_ASSIGN_OR_RETURN(
      const std::vector<std::optional<Field>> operands,
      ReadOperands(option, "range", {{"start", "stop", "step"}, {}}, lines));

  AUGUR_ASSIGN_OR_RETURN(const double start, ReadNumber(*operands[0]));
  AUGUR_ASSIGN_OR_RETURN(const double stop, ReadNumber(*operands[1]));
  AUGUR_ASSIGN_OR_RETURN(const double step, ReadNumber(*operands[2]));

  range->set_start(start);
  range->set_stop(stop);
  range->set_step(step);
  range->set_integer(WrittenAsInteger(*operands[0]) &&
                     WrittenAsInteger(*operands[2]));
  return absl::OkStatus();
}

absl::Status ParseSpace(const Field& option, absl::string_view option_name,
                        KeyLines* lines, v1::SpaceOption* space) {
  OperandNames names{{"start", "stop", "num"}, {}};
  if (option_name == "logspace") names.optional.push_back("base");
  AUGUR_ASSIGN_OR_RETURN(const std::vector<std::optional<Field>> operands,
                         ReadOperands(option, option_name, names, lines));

  AUGUR_ASSIGN_OR_RETURN(const double start, ReadNumber(*operands[0]));
  AUGUR_ASSIGN_OR_RETURN(const double stop, ReadNumber(*operands[1]));
  AUGUR_ASSIGN_OR_RETURN(const int64_t num, ReadInt(*operands[2]));

  space->set_start(start);
  space->set_stop(stop);
  space->set_num(num);
  if (operands.size() > 3 && operands[3].has_value()) {
    AUGUR_ASSIGN_OR_RETURN(const double base, ReadNumber(*operands[3]));
    space->set_base(base);
  }
  return absl::OkStatus();
}

absl::Status ParseUniform(const Field& option, absl::string_view option_name,
                          KeyLines* lines, v1::UniformOption* uniform) {
  OperandNames names{{"low", "high"}, {}};
  if (absl::StartsWith(option_name, "q")) names.required.push_back("q");
  AUGUR_ASSIGN_OR_RETURN(const std::vector<std::optional<Field>> operands,
                         ReadOperands(option, option_name, names, lines));

  AUGUR_ASSIGN_OR_RETURN(const double low, ReadNumber(*operands[0]));
  AUGUR_ASSIGN_OR_RETURN(const double high, ReadNumber(*operands[1]));
  uniform->set_low(low);
  uniform->set_high(high);
  if (operands.size() > 2) {
    AUGUR_ASSIGN_OR_RETURN(const double q, ReadNumber(*operands[2]));
    uniform->set_q(q);
  }
  return absl::OkStatus();
}

absl::Status ParseNormal(const Field& option, absl::string_view option_name,
                         KeyLines* lines, v1::NormalOption* normal) {
  OperandNames names{{"loc", "scale"}, {}};
  if (absl::StartsWith(option_name, "q")) names.required.push_back("q");
  AUGUR_ASSIGN_OR_RETURN(const std::vector<std::optional<Field>> operands,
                         ReadOperands(option, option_name, names, lines));

  AUGUR_ASSIGN_OR_RETURN(const double loc, ReadNumber(*operands[0]));
  AUGUR_ASSIGN_OR_RETURN(const double scale, ReadNumber(*operands[1]));
  normal->set_loc(loc);
  normal->set_scale(scale);
  if (operands.size() > 2) {
    AUGUR_ASSIGN_OR_RETURN(const double q, ReadNumber(*operands[2]));
    normal->set_q(q);
  }
  return absl::OkStatus();
}

absl::Status ParseValues(const Field& option, v1::ValuesOption* values) {
  AUGUR_ASSIGN_OR_RETURN(const std::vector<Field> elements, ReadList(option));
  for (const Field& element : elements) {
    AUGUR_ASSIGN_OR_RETURN(*values->add_values(), ReadValue(element));
  }
  return absl::OkStatus();
}

bool LooksLikeTuplePiece(const Field& element) {
  if (!element.node.IsScalar()) return false;
  const std::string& text = element.node.Scalar();
  return absl::StartsWith(text, "(") || absl::EndsWith(text, ")");
}

// Rewrites the pieces of `[(relu, 0.2), (sigmoid, 0.8)]`, which YAML reads as
// "(relu", "0.2)", "(sigmoid", "0.8)", as `[[relu, 0.2], [sigmoid, 0.8]]`.
// Falls back to that generic example when the pieces do not pair up.
std::string WorkingPValuesForm(const std::vector<Field>& elements) {
  const std::string example = "[[relu, 0.2], [sigmoid, 0.8]]";
  if (elements.empty() || elements.size() % 2 != 0) return example;

  std::vector<std::string> pairs;
  for (size_t i = 0; i < elements.size(); i += 2) {
    const YAML::Node& first = elements[i].node;
    const YAML::Node& second = elements[i + 1].node;
    if (!first.IsScalar() || !second.IsScalar() ||
        !absl::StartsWith(first.Scalar(), "(") ||
        !absl::EndsWith(second.Scalar(), ")")) {
      return example;
    }
    absl::string_view value = first.Scalar();
    absl::string_view probability = second.Scalar();
    value.remove_prefix(1);
    probability.remove_suffix(1);
    pairs.push_back(absl::StrCat("[", absl::StripAsciiWhitespace(value), ", ",
                                 absl::StripAsciiWhitespace(probability), "]"));
  }
  return absl::StrCat("[", absl::StrJoin(pairs, ", "), "]");
}

absl::Status ParsePValues(const Field& option, v1::PValuesOption* pvalues) {
  AUGUR_ASSIGN_OR_RETURN(const std::vector<Field> elements, ReadList(option));

  for (const Field& element : elements) {
    if (LooksLikeTuplePiece(element)) {
      return FieldError(
          option,
          absl::StrCat("pvalues entries must be [value, probability] lists, "
                       "but YAML reads the tuple form (value, probability) as "
                       "separate strings such as ",
                       DescribeNode(element.node), "; write it as ",
                       WorkingPValuesForm(elements)));
    }
  }

  for (const Field& element : elements) {
    if (!element.node.IsSequence() || element.node.size() != 2) {
      return FieldError(
          element,
          absl::StrCat(
              "expected a [value, probability] pair such as "
              "[relu, 0.2], got ",
              element.node.IsSequence()
                  ? absl::StrCat("a list of ", element.node.size(), " elements")
                  : DescribeNode(element.node)));
    }
    AUGUR_ASSIGN_OR_RETURN(const std::vector<Field> pair, ReadList(element));

    v1::PValuesOption::Entry* entry = pvalues->add_entries();
    AUGUR_ASSIGN_OR_RETURN(*entry->mutable_value(), ReadValue(pair[0]));
    AUGUR_ASSIGN_OR_RETURN(const double probability, ReadNumber(pair[1]));
    entry->set_probability(probability);
  }
  return absl::OkStatus();
}

absl::Status ParseOption(absl::string_view option_name, const Field& option,
                         KeyLines* lines, v1::ParameterSpec* spec) {
  if (option_name == "values") {
    return ParseValues(option, spec->mutable_values());
  }
  if (option_name == "pvalues") {
    return ParsePValues(option, spec->mutable_pvalues());
  }
  if (option_name == "range") {
    return ParseRange(option, lines, spec->mutable_range());
  }
  if (option_name == "linspace") {
    return ParseSpace(option, option_name, lines, spec->mutable_linspace());
  }
  if (option_name == "logspace") {
    return ParseSpace(option, option_name, lines, spec->mutable_logspace());
  }
  if (option_name == "geomspace") {
    return ParseSpace(option, option_name, lines, spec->mutable_geomspace());
  }
  if (option_name == "uniform") {
    return ParseUniform(option, option_name, lines, spec->mutable_uniform());
  }
  if (option_name == "quniform") {
    return ParseUniform(option, option_name, lines, spec->mutable_quniform());
  }
  if (option_name == "loguniform") {
    return ParseUniform(option, option_name, lines, spec->mutable_loguniform());
  }
  if (option_name == "qloguniform") {
    return ParseUniform(option, option_name, lines,
                        spec->mutable_qloguniform());
  }
  if (option_name == "normal") {
    return ParseNormal(option, option_name, lines, spec->mutable_normal());
  }
  if (option_name == "qnormal") {
    return ParseNormal(option, option_name, lines, spec->mutable_qnormal());
  }
  if (option_name == "lognormal") {
    return ParseNormal(option, option_name, lines, spec->mutable_lognormal());
  }
  return ParseNormal(option, option_name, lines, spec->mutable_qlognormal());
}

absl::Status ParseEntry(const std::string& name, const Field& entry,
                        KeyLines* lines, v1::ParameterSpec* spec) {
  const std::string choices = absl::StrJoin(OptionNames(), ", ");
  if (!entry.node.IsMap()) {
    return FieldError(entry,
                      absl::StrCat("expected a map with one option (", choices,
                                   "), got ", DescribeNode(entry.node)));
  }
  AUGUR_ASSIGN_OR_RETURN(const MapReader options,
                         MapReader::Create(entry, OptionNames(), lines));

  if (options.entries().empty()) {
    return FieldError(entry,
                      absl::StrCat("no option; give exactly one of ", choices));
  }
  if (options.entries().size() > 1) {
    const auto& first = options.entries()[0];
    const auto& second = options.entries()[1];
    return FieldError(
        entry,
        absl::StrCat("two options, ", first.first, " on line ",
                     first.second.line, " and ", second.first, " on line ",
                     second.second.line, "; give exactly one"));
  }

  spec->set_name(name);
  const auto& [option_name, option] = options.entries()[0];
  return ParseOption(option_name, option, lines, spec);
}

}  // namespace

absl::Status ParseMatrix(
    const Field& matrix, KeyLines* lines,
    google::protobuf::RepeatedPtrField<v1::ParameterSpec>* parameters) {
  AUGUR_ASSIGN_OR_RETURN(const MapReader entries,
                         MapReader::Create(matrix, std::nullopt, lines));
  if (entries.entries().empty()) {
    return FieldError(matrix,
                      "the matrix is empty; add at least one parameter");
  }

  for (const auto& [name, entry] : entries.entries()) {
    AUGUR_RETURN_IF_ERROR(ParseEntry(name, entry, lines, parameters->Add()));
  }
  return absl::OkStatus();
}

}  // namespace augur::spec_internal
