#include "client/cli/trial_query.h"

#include <algorithm>
#include <cmath>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/cli/study_report.h"
#include "core/status_macros.h"

namespace augur {
namespace {

// Two numbers are equal in a filter when they differ by at most this
// fraction of the larger magnitude, so that `lr == 0.01` matches a stored
// 0.010000000000000002.
constexpr double kRelativeTolerance = 1e-9;

enum class TokenKind { kWord, kQuoted, kOperator, kComma };

struct Token {
  TokenKind kind = TokenKind::kWord;
  std::string text;
  // 1-based character position in the expression.
  size_t position = 0;
};

bool IsOperatorChar(char c) {
  return c == '<' || c == '>' || c == '=' || c == '!';
}

bool IsWordChar(char c) {
  return !absl::ascii_isspace(static_cast<unsigned char>(c)) &&
         !IsOperatorChar(c) && c != ',' && c != '\'' && c != '"';
}

absl::Status SyntaxError(absl::string_view option, size_t position,
                         absl::string_view token, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(
      option, ": at position ", position, " \"", token, "\": ", problem));
}

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view expression) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < expression.size()) {
    const char c = expression[i];
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }

    Token token;
    token.position = i + 1;
    if (c == ',') {
      token.kind = TokenKind::kComma;
      token.text = ",";
      ++i;
    } else if (c == '\'' || c == '"') {
      const size_t close = expression.find(c, i + 1);
      if (close == absl::string_view::npos) {
        return SyntaxError("--where", i + 1, expression.substr(i),
                           absl::StrCat("the quoted value has no closing ",
                                        std::string(1, c)));
      }
      token.kind = TokenKind::kQuoted;
      token.text = std::string(expression.substr(i + 1, close - i - 1));
      i = close + 1;
    } else if (IsOperatorChar(c)) {
      size_t end = i;
      while (end < expression.size() && IsOperatorChar(expression[end])) ++end;
      token.kind = TokenKind::kOperator;
      token.text = std::string(expression.substr(i, end - i));
      i = end;
    } else {
      size_t end = i;
      while (end < expression.size() && IsWordChar(expression[end])) ++end;
      token.kind = TokenKind::kWord;
      token.text = std::string(expression.substr(i, end - i));
      i = end;
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::optional<CompareOp> ParseOperator(absl::string_view text) {
  if (text == "==" || text == "=") return CompareOp::kEqual;
  if (text == "!=") return CompareOp::kNotEqual;
  if (text == "<") return CompareOp::kLess;
  if (text == "<=") return CompareOp::kLessEqual;
  if (text == ">") return CompareOp::kGreater;
  if (text == ">=") return CompareOp::kGreaterEqual;
  return std::nullopt;
}

bool IsOrdering(CompareOp op) {
  return op != CompareOp::kEqual && op != CompareOp::kNotEqual;
}

bool Contains(const std::vector<std::string>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string KnownKeys(const TrialKeyNames& names) {
  std::vector<std::string> keys = {"state", "id", "objective"};
  keys.insert(keys.end(), names.parameters.begin(), names.parameters.end());
  keys.insert(keys.end(), names.metrics.begin(), names.metrics.end());
  return absl::StrJoin(keys, ", ");
}

// Resolves `text` (written at `position` of `option`) to a key.
absl::StatusOr<TrialKey> ResolveKey(absl::string_view option,
                                    const std::string& text, size_t position,
                                    const TrialKeyNames& names) {
  TrialKey key;
  key.text = text;
  absl::string_view rest = text;
  if (absl::ConsumePrefix(&rest, "params.") ||
      absl::ConsumePrefix(&rest, "param.")) {
    if (!Contains(names.parameters, rest)) {
      return SyntaxError(option, position, text,
                         absl::StrCat("the study has no parameter \"", rest,
                                      "\"; its parameters are ",
                                      absl::StrJoin(names.parameters, ", ")));
    }
    key.kind = TrialKeyKind::kParameter;
    key.name = std::string(rest);
    return key;
  }
  if (absl::ConsumePrefix(&rest, "metrics.") ||
      absl::ConsumePrefix(&rest, "metric.")) {
    if (!Contains(names.metrics, rest)) {
      return SyntaxError(
          option, position, text,
          absl::StrCat(
              "the study has no metric \"", rest, "\"; its metrics are ",
              names.metrics.empty() ? std::string("none yet")
                                    : absl::StrJoin(names.metrics, ", ")));
    }
    key.kind = TrialKeyKind::kMetric;
    key.name = std::string(rest);
    return key;
  }

  if (text == "state") {
    key.kind = TrialKeyKind::kState;
    return key;
  }
  if (text == "id" || text == "trial") {
    key.kind = TrialKeyKind::kId;
    return key;
  }
  if (text == "objective") {
    key.kind = TrialKeyKind::kObjective;
    return key;
  }

  const bool is_parameter = Contains(names.parameters, text);
  const bool is_metric = Contains(names.metrics, text);
  if (is_parameter && is_metric) {
    return SyntaxError(
        option, position, text,
        absl::StrCat("the name is both a parameter and a metric; write param.",
                     text, " or metric.", text));
  }
  if (!is_parameter && !is_metric) {
    return SyntaxError(
        option, position, text,
        absl::StrCat("unknown key; use one of ", KnownKeys(names)));
  }
  key.kind = is_parameter ? TrialKeyKind::kParameter : TrialKeyKind::kMetric;
  key.name = text;
  return key;
}

std::optional<double> ParseNumber(absl::string_view text) {
  double number = 0;
  if (!absl::SimpleAtod(text, &number) || !std::isfinite(number))
    return std::nullopt;
  return number;
}

// Checks that the literal of `condition` suits its key.
absl::Status CheckLiteral(const TrialCondition& condition, size_t position) {
  const TrialKey& key = condition.key;
  if (key.kind == TrialKeyKind::kState) {
    if (IsOrdering(condition.op)) {
      return SyntaxError(
          "--where", position, key.text,
          "state takes only == and !=, such as state == SUCCEEDED");
    }
    v1::TrialState state;
    if (!v1::TrialState_Parse(absl::AsciiStrToUpper(condition.literal),
                              &state) ||
        state == v1::TRIAL_STATE_UNSPECIFIED) {
      return SyntaxError("--where", position, condition.literal,
                         "not a trial state; use PENDING, ACTIVE, SUCCEEDED, "
                         "FAILED or STOPPED");
    }
    return absl::OkStatus();
  }

  const bool numeric_key = key.kind != TrialKeyKind::kParameter;
  if ((numeric_key || IsOrdering(condition.op)) &&
      !condition.number.has_value()) {
    const std::string reason =
        IsOrdering(condition.op)
            ? std::string("<, <=, > and >= compare numbers")
            : absl::StrCat(key.text, " holds numbers");
    return SyntaxError(
        "--where", position, condition.literal,
        absl::StrCat("not a number, and ", reason, "; write a number, such as ",
                     key.text, " >= 0.5"));
  }
  return absl::OkStatus();
}

// The value a key reads from a trial: a number or a text.
struct FieldValue {
  std::variant<double, std::string> value;
  // True for trial states and bools, whose text compares case-insensitively.
  bool fold_case = false;
};

std::optional<FieldValue> ParameterField(const v1::Trial& trial,
                                         const std::string& name) {
  for (const v1::Parameter& parameter : trial.parameters()) {
    if (parameter.name() != name) continue;
    const v1::Value& value = parameter.value();
    switch (value.kind_case()) {
      case v1::Value::kIntValue:
        return FieldValue{static_cast<double>(value.int_value())};
      case v1::Value::kDoubleValue:
        return FieldValue{value.double_value()};
      case v1::Value::kStringValue:
        return FieldValue{value.string_value()};
      case v1::Value::kBoolValue:
        return FieldValue{std::string(value.bool_value() ? "true" : "false"),
                          true};
      case v1::Value::KIND_NOT_SET:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<FieldValue> MetricField(const v1::Trial& trial,
                                      const std::string& name,
                                      const v1::StudySpec& spec) {
  const std::optional<v1::MetricSpec> objective = StudyObjective(spec);
  if (objective.has_value() && objective->name() == name &&
      trial.has_objective_value()) {
    return FieldValue{trial.objective_value()};
  }
  for (const v1::Metric& metric : trial.latest_metrics()) {
    if (metric.name() == name) return FieldValue{metric.value()};
  }
  return std::nullopt;
}

std::optional<FieldValue> ReadField(const v1::Trial& trial, const TrialKey& key,
                                    const v1::StudySpec& spec) {
  switch (key.kind) {
    case TrialKeyKind::kState:
      return FieldValue{v1::TrialState_Name(trial.state()), true};
    case TrialKeyKind::kId:
      return FieldValue{static_cast<double>(trial.id())};
    case TrialKeyKind::kObjective:
      if (!trial.has_objective_value()) return std::nullopt;
      return FieldValue{trial.objective_value()};
    case TrialKeyKind::kParameter:
      return ParameterField(trial, key.name);
    case TrialKeyKind::kMetric:
      return MetricField(trial, key.name, spec);
  }
  return std::nullopt;
}

bool NumbersEqual(double a, double b) {
  return std::fabs(a - b) <=
         kRelativeTolerance * std::max(std::fabs(a), std::fabs(b));
}

bool CompareNumbers(double value, CompareOp op, double literal) {
  switch (op) {
    case CompareOp::kEqual:
      return NumbersEqual(value, literal);
    case CompareOp::kNotEqual:
      return !NumbersEqual(value, literal);
    case CompareOp::kLess:
      return value < literal && !NumbersEqual(value, literal);
    case CompareOp::kLessEqual:
      return value <= literal || NumbersEqual(value, literal);
    case CompareOp::kGreater:
      return value > literal && !NumbersEqual(value, literal);
    case CompareOp::kGreaterEqual:
      return value >= literal || NumbersEqual(value, literal);
  }
  return false;
}

bool Matches(const v1::Trial& trial, const TrialCondition& condition,
             const v1::StudySpec& spec) {
  const std::optional<FieldValue> field = ReadField(trial, condition.key, spec);
  if (!field.has_value()) return false;

  if (const double* number = std::get_if<double>(&field->value)) {
    if (!condition.number.has_value())
      return condition.op == CompareOp::kNotEqual;
    return CompareNumbers(*number, condition.op, *condition.number);
  }

  // A text value: ordering operators need numbers, so they never match.
  if (IsOrdering(condition.op)) return false;
  const std::string& text = std::get<std::string>(field->value);
  const bool equal = field->fold_case
                         ? absl::EqualsIgnoreCase(text, condition.literal)
                         : text == condition.literal;
  return condition.op == CompareOp::kEqual ? equal : !equal;
}

// Orders two present values: numbers before text, numbers numerically,
// text by bytes. Returns <0, 0 or >0.
int CompareFields(const FieldValue& a, const FieldValue& b) {
  const double* a_number = std::get_if<double>(&a.value);
  const double* b_number = std::get_if<double>(&b.value);
  if (a_number != nullptr && b_number != nullptr) {
    if (*a_number < *b_number) return -1;
    return *a_number > *b_number ? 1 : 0;
  }
  if (a_number != nullptr) return -1;
  if (b_number != nullptr) return 1;
  return std::get<std::string>(a.value).compare(std::get<std::string>(b.value));
}

void AddUnique(std::vector<std::string>& names, const std::string& name) {
  if (!name.empty() && !Contains(names, name)) names.push_back(name);
}

}  // namespace

TrialKeyNames CollectTrialKeyNames(const v1::Study& study,
                                   const std::vector<v1::Trial>& trials) {
  TrialKeyNames names;
  const v1::StudySpec& spec = study.spec();
  for (const v1::ParameterSpec& parameter : spec.parameters()) {
    AddUnique(names.parameters, parameter.name());
  }
  for (const v1::Parameter& fixed : spec.params())
    AddUnique(names.parameters, fixed.name());

  if (auto objective = StudyObjective(spec))
    AddUnique(names.metrics, objective->name());
  for (const std::string& metric : spec.metrics())
    AddUnique(names.metrics, metric);
  for (const v1::EarlyStoppingRule& rule : spec.early_stopping()) {
    AddUnique(names.metrics, rule.metric());
  }

  for (const v1::Trial& trial : trials) {
    for (const v1::Parameter& parameter : trial.parameters()) {
      AddUnique(names.parameters, parameter.name());
    }
    for (const v1::Metric& metric : trial.latest_metrics()) {
      AddUnique(names.metrics, metric.name());
    }
  }
  return names;
}

absl::StatusOr<std::vector<TrialCondition>> ParseTrialFilter(
    absl::string_view expression, const TrialKeyNames& names) {
  AUGUR_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(expression));
  std::vector<TrialCondition> conditions;
  size_t i = 0;
  const auto end_error = [&](absl::string_view after,
                             absl::string_view expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("--where: the expression ends after \"", after,
                     "\"; expected ", expected));
  };

  while (i < tokens.size()) {
    const Token& key_token = tokens[i];
    if (key_token.kind != TokenKind::kWord) {
      return SyntaxError("--where", key_token.position, key_token.text,
                         "expected a key such as accuracy, lr or state");
    }
    TrialCondition condition;
    AUGUR_ASSIGN_OR_RETURN(
        condition.key,
        ResolveKey("--where", key_token.text, key_token.position, names));

    if (++i == tokens.size()) {
      return end_error(key_token.text, "an operator (==, !=, <, <=, >, >=)");
    }
    const Token& op_token = tokens[i];
    const std::optional<CompareOp> op = op_token.kind == TokenKind::kOperator
                                            ? ParseOperator(op_token.text)
                                            : std::nullopt;
    if (!op.has_value()) {
      return SyntaxError("--where", op_token.position, op_token.text,
                         "expected an operator (==, !=, <, <=, >, >=)");
    }
    condition.op = *op;

    if (++i == tokens.size()) return end_error(op_token.text, "a value");
    const Token& value_token = tokens[i];
    if (value_token.kind != TokenKind::kWord &&
        value_token.kind != TokenKind::kQuoted) {
      return SyntaxError(
          "--where", value_token.position, value_token.text,
          "expected a value (a number, a word or a quoted string)");
    }
    condition.literal = value_token.text;
    if (value_token.kind == TokenKind::kWord)
      condition.number = ParseNumber(value_token.text);
    AUGUR_RETURN_IF_ERROR(CheckLiteral(condition, value_token.position));
    conditions.push_back(std::move(condition));

    if (++i == tokens.size()) break;
    const Token& joint = tokens[i];
    const bool is_and = joint.kind == TokenKind::kWord &&
                        absl::EqualsIgnoreCase(joint.text, "and");
    if (joint.kind != TokenKind::kComma && !is_and) {
      return SyntaxError("--where", joint.position, joint.text,
                         absl::EqualsIgnoreCase(joint.text, "or")
                             ? "`or` is not supported; conditions are joined "
                               "by `and` or commas"
                             : "expected `and` or a comma between conditions");
    }
    if (++i == tokens.size()) return end_error(joint.text, "another condition");
  }
  return conditions;
}

absl::StatusOr<std::vector<TrialSortKey>> ParseTrialSort(
    absl::string_view sort, const TrialKeyNames& names) {
  std::vector<TrialSortKey> keys;
  size_t position = 1;
  for (absl::string_view part : absl::StrSplit(sort, ',')) {
    const size_t part_position = position;
    position += part.size() + 1;
    absl::string_view text = absl::StripAsciiWhitespace(part);
    if (text.empty()) {
      return SyntaxError("--sort", part_position, part,
                         "empty key; write keys such as -accuracy,lr");
    }

    TrialSortKey key;
    if (absl::ConsumePrefix(&text, "-")) {
      key.descending = true;
    } else {
      absl::ConsumePrefix(&text, "+");
    }
    AUGUR_ASSIGN_OR_RETURN(
        key.key, ResolveKey("--sort", std::string(text), part_position, names));
    keys.push_back(std::move(key));
  }
  return keys;
}

bool MatchesFilter(const v1::Trial& trial,
                   const std::vector<TrialCondition>& conditions,
                   const v1::StudySpec& spec) {
  for (const TrialCondition& condition : conditions) {
    if (!Matches(trial, condition, spec)) return false;
  }
  return true;
}

void SortTrials(std::vector<v1::Trial>& trials,
                const std::vector<TrialSortKey>& keys,
                const v1::StudySpec& spec) {
  std::stable_sort(
      trials.begin(), trials.end(),
      [&](const v1::Trial& a, const v1::Trial& b) {
        for (const TrialSortKey& key : keys) {
          const std::optional<FieldValue> a_value = ReadField(a, key.key, spec);
          const std::optional<FieldValue> b_value = ReadField(b, key.key, spec);
          if (a_value.has_value() != b_value.has_value())
            return a_value.has_value();
          if (!a_value.has_value()) continue;

          const int order = CompareFields(*a_value, *b_value);
          if (order != 0) return key.descending ? order > 0 : order < 0;
        }
        return false;
      });
}

}  // namespace augur
