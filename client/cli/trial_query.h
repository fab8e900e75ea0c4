#ifndef AUGUR_CLIENT_CLI_TRIAL_QUERY_H_
#define AUGUR_CLIENT_CLI_TRIAL_QUERY_H_

// The `--where` filter and `--sort` order of `augur show`, applied on the
// client to the trials that ListTrials returns.
//
// Keys: `state`, `id` (or `trial`), `objective`, any parameter name and any
// metric name. `param.NAME` / `params.NAME` and `metric.NAME` /
// `metrics.NAME` name a parameter or a metric explicitly, which is needed
// when a name is both, or when a parameter is called `state`, `id`, `trial`
// or `objective`. A metric's value is the trial's latest value of it (for
// the study's objective metric, the objective value when the trial has one).

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "augur/v1/augur.pb.h"

namespace augur {

// The source of a query key's value in a trial.
enum class TrialKeyKind { kState, kId, kObjective, kParameter, kMetric };

// A resolved query key.
struct TrialKey {
  TrialKeyKind kind = TrialKeyKind::kId;
  // The parameter or metric name; empty for the other kinds.
  std::string name;
  // The key as the user wrote it, for messages.
  std::string text;
};

enum class CompareOp {
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual
};

// One condition of a `--where` expression: KEY OP LITERAL.
struct TrialCondition {
  TrialKey key;
  CompareOp op = CompareOp::kEqual;
  // The literal as written, without quotes.
  std::string literal;
  // The literal as a number, unless it was quoted or does not parse as one.
  std::optional<double> number;
};

// One `--sort` key.
struct TrialSortKey {
  TrialKey key;
  bool descending = false;
};

// The names a query may use: the study's parameters and metrics, gathered
// from its spec and from the trials.
struct TrialKeyNames {
  std::vector<std::string> parameters;
  std::vector<std::string> metrics;
};

// Collects the parameter names (matrix, fixed params, names only trials
// carry such as a Hyperband resource) and the metric names (objective,
// `metrics`, early-stopping metrics and every metric a trial reported).
TrialKeyNames CollectTrialKeyNames(const v1::Study& study,
                                   const std::vector<v1::Trial>& trials);

// Parses a `--where` expression: comparisons `KEY OP VALUE` with OP one of
// ==, =, !=, <, <=, >, >=, joined by `and` or commas. VALUE is a number, a
// word, or a quoted string ('...' or "...") that is never read as a number.
// Returns INVALID_ARGUMENT naming the token at fault and its position. The
// faults are a missing operator or value, `or`, an unknown or ambiguous key,
// an ordering operator with a non-numeric value, a non-numeric value for a
// metric, id or objective, and an unknown trial state.
absl::StatusOr<std::vector<TrialCondition>> ParseTrialFilter(
    absl::string_view expression, const TrialKeyNames& names);

// Parses a `--sort` value: comma-separated keys, each ascending or, with a
// leading '-', descending. Returns INVALID_ARGUMENT naming an unknown or
// ambiguous key.
absl::StatusOr<std::vector<TrialSortKey>> ParseTrialSort(
    absl::string_view sort, const TrialKeyNames& names);

// Returns true when `trial` meets every condition. A trial that lacks the
// key's value (a metric it never reported, a parameter it does not have)
// fails the condition whatever the operator, `!=` included.
bool MatchesFilter(const v1::Trial& trial,
                   const std::vector<TrialCondition>& conditions,
                   const v1::StudySpec& spec);

// Sorts `trials` by the keys, the first key deciding first. Numbers sort
// numerically and before text, which sorts by bytes; a missing value sorts
// last in either direction. The sort is stable, so ties keep their order.
void SortTrials(std::vector<v1::Trial>& trials,
                const std::vector<TrialSortKey>& keys,
                const v1::StudySpec& spec);

}  // namespace augur

#endif  // AUGUR_CLIENT_CLI_TRIAL_QUERY_H_
