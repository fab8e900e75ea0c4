#include "core/spec/yaml_fields.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace augur::spec_internal {
namespace {

constexpr size_t kMaxQuotedLength = 60;

bool IsDigits(absl::string_view text, int base) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool ok = base == 16  ? absl::ascii_isxdigit(c)
                    : base == 8 ? (c >= '0' && c <= '7')
                                : absl::ascii_isdigit(c);
    if (!ok) return false;
  }
  return true;
}

// Matches [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, the YAML 1.2
// core schema float, minus the special values.
bool IsFloatSyntax(absl::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;

  size_t digits = 0;
  while (i < text.size() && absl::ascii_isdigit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && absl::ascii_isdigit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return false;

  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (!IsDigits(text.substr(i), 10)) return false;
    return true;
  }
  return i == text.size();
}

std::optional<double> SpecialFloat(absl::string_view text) {
  absl::string_view body = text;
  double sign = 1.0;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    sign = body[0] == '-' ? -1.0 : 1.0;
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    return sign * std::numeric_limits<double>::infinity();
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return std::nullopt;
}

// Parses an unsigned digit string in `base`. Returns nullopt on overflow.
std::optional<uint64_t> ParseUnsigned(absl::string_view digits, int base) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(
      digits.data(), digits.data() + digits.size(), value, base);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value;
}

double ParseDouble(absl::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  double value = 0.0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(),
                                      value, std::chars_format::general);
  if (result.ec == std::errc::result_out_of_range) {
    // from_chars leaves `value` untouched on overflow and underflow, so
    // tell them apart by the exponent's sign.
    const bool underflow = text.find("e-") != absl::string_view::npos ||
                           text.find("E-") != absl::string_view::npos;
    value = underflow ? 0.0 : std::numeric_limits<double>::infinity();
  }
  return negative ? -value : value;
}

Scalar MakeInt(absl::string_view text, bool negative, uint64_t magnitude) {
  Scalar scalar;
  scalar.kind = Scalar::Kind::kInt;
  scalar.text = std::string(text);

  const uint64_t max_positive =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative && magnitude == max_positive + 1) {
    scalar.int_value = std::numeric_limits<int64_t>::min();
  } else if (magnitude <= max_positive) {
    scalar.int_value = negative ? -static_cast<int64_t>(magnitude)
                                : static_cast<int64_t>(magnitude);
  } else {
    scalar.int_overflow = true;
  }
  scalar.number = negative ? -static_cast<double>(magnitude)
                           : static_cast<double>(magnitude);
  return scalar;
}

std::string Quote(absl::string_view text) {
  if (text.size() <= kMaxQuotedLength) return absl::StrCat("\"", text, "\"");
  return absl::StrCat("\"", text.substr(0, kMaxQuotedLength), "...\"");
}

}  // namespace

absl::Status FieldError(const Field& field, absl::string_view message) {
  if (field.path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", field.line, ": ", message));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("line ", field.line, ": ", field.path, ": ", message));
}

std::string JoinPath(absl::string_view parent, absl::string_view key) {
  if (parent.empty()) return std::string(key);
  return absl::StrCat(parent, ".", key);
}

int LineOf(const YAML::Node& node, int fallback) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return fallback;
  return mark.line + 1;
}

Scalar ResolvePlainText(absl::string_view text) {
  Scalar scalar;
  scalar.text = std::string(text);
  if (text.empty() || text == "~" || text == "null" || text == "Null" ||
      text == "NULL") {
    return scalar;
  }

  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o')) {
    const int base = text[1] == 'x' ? 16 : 8;
    const absl::string_view digits = text.substr(2);
    if (IsDigits(digits, base)) {
      const std::optional<uint64_t> magnitude = ParseUnsigned(digits, base);
      if (magnitude.has_value()) return MakeInt(text, false, *magnitude);
      Scalar overflow = MakeInt(text, false, 0);
      overflow.int_overflow = true;
      overflow.number = std::numeric_limits<double>::infinity();
      return overflow;
    }
  }

  absl::string_view unsigned_text = text;
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    unsigned_text.remove_prefix(1);
  }
  if (IsDigits(unsigned_text, 10)) {
    const std::optional<uint64_t> magnitude = ParseUnsigned(unsigned_text, 10);
    if (magnitude.has_value()) return MakeInt(text, negative, *magnitude);
    Scalar overflow = MakeInt(text, negative, 0);
    overflow.int_overflow = true;
    overflow.number = ParseDouble(text);
    return overflow;
  }

  if (IsFloatSyntax(text)) {
    scalar.kind = Scalar::Kind::kFloat;
    scalar.number = ParseDouble(text);
    return scalar;
  }
  if (const std::optional<double> special = SpecialFloat(text)) {
    scalar.kind = Scalar::Kind::kFloat;
    scalar.number = *special;
    return scalar;
  }

  scalar.kind = Scalar::Kind::kString;
  return scalar;
}

Scalar ResolveScalar(const YAML::Node& node) {
  if (!node.IsScalar()) return Scalar();

  const std::string& tag = node.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") {
    Scalar scalar;
    scalar.kind = Scalar::Kind::kString;
    scalar.text = node.Scalar();
    return scalar;
  }

  bool flag = false;
  if (YAML::convert<bool>::decode(node, flag)) {
    Scalar scalar;
    scalar.kind = Scalar::Kind::kBool;
    scalar.bool_value = flag;
    scalar.text = node.Scalar();
    return scalar;
  }
  return ResolvePlainText(node.Scalar());
}

std::string DescribeNode(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "null";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";

  const Scalar scalar = ResolveScalar(node);
  switch (scalar.kind) {
    case Scalar::Kind::kNull:
      return "null";
    case Scalar::Kind::kBool:
      return absl::StrCat("the bool ", scalar.text);
    case Scalar::Kind::kInt:
      return absl::StrCat("the integer ", scalar.text);
    case Scalar::Kind::kFloat:
      return absl::StrCat("the float ", scalar.text);
    case Scalar::Kind::kString:
      break;
  }
  return absl::StrCat("the string ", Quote(scalar.text));
}

absl::StatusOr<MapReader> MapReader::Create(
    const Field& field,
    const std::optional<std::vector<absl::string_view>>& allowed_keys,
    KeyLines* lines, bool null_is_empty) {
  MapReader reader(field);
  if (null_is_empty && (!field.node.IsDefined() || field.node.IsNull())) {
    return reader;
  }
  if (!field.node.IsMap()) {
    return FieldError(
        field, absl::StrCat("expected a map, got ", DescribeNode(field.node)));
  }

  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    // `it->` returns a temporary, so keep copies (they share the node data)
    // rather than references into it.
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    const int line = LineOf(key, field.line);
    if (!key.IsScalar() || key.Scalar().empty()) {
      return FieldError(Field{field.path, line, key},
                        absl::StrCat("a key is ", DescribeNode(key),
                                     "; keys must be plain names"));
    }

    Field entry{JoinPath(field.path, key.Scalar()), line, value};
    if (const Field* first = reader.Find(key.Scalar())) {
      return FieldError(entry,
                        absl::StrCat("duplicate key; the first one is on line ",
                                     first->line, ", so remove one of them"));
    }
    if (allowed_keys.has_value() &&
        std::find(allowed_keys->begin(), allowed_keys->end(), key.Scalar()) ==
            allowed_keys->end()) {
      return FieldError(entry,
                        absl::StrCat("unknown key; expected one of ",
                                     absl::StrJoin(*allowed_keys, ", ")));
    }

    if (lines != nullptr) lines->emplace(entry.path, entry.line);
    reader.entries_.emplace_back(key.Scalar(), std::move(entry));
  }
  return reader;
}

const Field* MapReader::Find(absl::string_view key) const {
  for (const auto& [name, field] : entries_) {
    if (name == key) return &field;
  }
  return nullptr;
}

absl::StatusOr<std::vector<Field>> ReadList(const Field& field,
                                            KeyLines* lines) {
  if (!field.node.IsSequence()) {
    return FieldError(
        field, absl::StrCat("expected a list, got ", DescribeNode(field.node)));
  }

  std::vector<Field> elements;
  elements.reserve(field.node.size());
  for (size_t i = 0; i < field.node.size(); ++i) {
    const YAML::Node element = field.node[i];
    elements.push_back(Field{absl::StrCat(field.path, "[", i, "]"),
                             LineOf(element, field.line), element});
    if (lines != nullptr)
      lines->emplace(elements.back().path, elements.back().line);
  }
  return elements;
}

absl::StatusOr<int64_t> ReadInt(const Field& field) {
  const Scalar scalar = ResolveScalar(field.node);
  if (scalar.kind == Scalar::Kind::kInt && !scalar.int_overflow) {
    return scalar.int_value;
  }

  if (scalar.kind == Scalar::Kind::kInt) {
    return FieldError(
        field,
        absl::StrCat(scalar.text, " is outside the 64-bit integer range"));
  }
  if (field.node.IsScalar() && field.node.Tag() == "!" &&
      ResolvePlainText(field.node.Scalar()).kind == Scalar::Kind::kInt) {
    return FieldError(
        field, absl::StrCat("expected an integer, got ",
                            DescribeNode(field.node), "; remove the quotes"));
  }
  return FieldError(field, absl::StrCat("expected an integer, got ",
                                        DescribeNode(field.node)));
}

absl::StatusOr<double> ReadNumber(const Field& field) {
  const Scalar scalar = ResolveScalar(field.node);
  const bool numeric =
      scalar.kind == Scalar::Kind::kInt || scalar.kind == Scalar::Kind::kFloat;
  if (numeric && std::isfinite(scalar.number)) return scalar.number;

  if (numeric) {
    return FieldError(
        field, absl::StrCat("expected a finite number, got ", scalar.text));
  }
  if (field.node.IsScalar() && field.node.Tag() == "!") {
    const Scalar unquoted = ResolvePlainText(field.node.Scalar());
    if (unquoted.kind == Scalar::Kind::kInt ||
        unquoted.kind == Scalar::Kind::kFloat) {
      return FieldError(
          field, absl::StrCat("expected a number, got ",
                              DescribeNode(field.node), "; remove the quotes"));
    }
  }
  return FieldError(
      field, absl::StrCat("expected a number, got ", DescribeNode(field.node)));
}

absl::StatusOr<bool> ReadBool(const Field& field) {
  const Scalar scalar = ResolveScalar(field.node);
  if (scalar.kind == Scalar::Kind::kBool) return scalar.bool_value;
  return FieldError(field, absl::StrCat("expected true or false, got ",
                                        DescribeNode(field.node)));
}

absl::StatusOr<std::string> ReadString(const Field& field) {
  if (!field.node.IsScalar()) {
    return FieldError(field, absl::StrCat("expected a string, got ",
                                          DescribeNode(field.node)));
  }
  if (field.node.Scalar().empty()) {
    return FieldError(field, "expected a non-empty string, got an empty one");
  }
  return field.node.Scalar();
}

absl::StatusOr<int> ReadEnum(
    const Field& field,
    const std::vector<std::pair<absl::string_view, int>>& words) {
  std::vector<absl::string_view> names;
  names.reserve(words.size());
  for (const auto& [word, number] : words) names.push_back(word);
  const std::string expected =
      absl::StrCat("expected one of ", absl::StrJoin(names, ", "),
                   " (in any letter case), got ");

  if (!field.node.IsScalar()) {
    return FieldError(field, absl::StrCat(expected, DescribeNode(field.node)));
  }
  const std::string lowered = absl::AsciiStrToLower(field.node.Scalar());
  for (const auto& [word, number] : words) {
    if (lowered == word) return number;
  }
  return FieldError(field, absl::StrCat(expected, DescribeNode(field.node)));
}

absl::StatusOr<v1::Value> ReadValue(const Field& field) {
  if (field.node.IsSequence() || field.node.IsMap()) {
    return FieldError(field,
                      absl::StrCat("expected a single value (number, string "
                                   "or bool), got ",
                                   DescribeNode(field.node)));
  }

  const Scalar scalar = ResolveScalar(field.node);
  v1::Value value;
  switch (scalar.kind) {
    case Scalar::Kind::kNull:
      return FieldError(field,
                        "expected a value, got null; write 'null' in "
                        "quotes if you mean the string");
    case Scalar::Kind::kBool:
      value.set_bool_value(scalar.bool_value);
      return value;
    case Scalar::Kind::kInt:
      if (scalar.int_overflow) {
        return FieldError(field, absl::StrCat(scalar.text,
                                              " is outside the 64-bit integer "
                                              "range; write it as a float (",
                                              scalar.text, ".0) or quote it"));
      }
      value.set_int_value(scalar.int_value);
      return value;
    case Scalar::Kind::kFloat:
      if (!std::isfinite(scalar.number)) {
        return FieldError(
            field, absl::StrCat("expected a finite number, got ", scalar.text));
      }
      value.set_double_value(scalar.number);
      return value;
    case Scalar::Kind::kString:
      break;
  }
  value.set_string_value(scalar.text);
  return value;
}

}  // namespace augur::spec_internal
