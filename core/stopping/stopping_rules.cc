#include "core/stopping/stopping_rules.h"

#include <cmath>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "core/stopping/number_format.h"

namespace augur {
namespace {

absl::Status FieldError(const std::string& field, const std::string& problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, " ", problem));
}

// Returns true for maximize. An unset direction maximizes, which is
// Polyaxon's default for early_stopping entries.
absl::StatusOr<bool> ReadDirection(const std::string& field,
                                   v1::Optimization optimization) {
  switch (optimization) {
    case v1::OPTIMIZATION_UNSPECIFIED:
    case v1::MAXIMIZE:
      return true;
    case v1::MINIMIZE:
      return false;
    default:
      return FieldError(field, absl::StrCat("has the unknown value ",
                                            static_cast<int>(optimization),
                                            ": use maximize or minimize"));
  }
}

// Applies the interval fields that the three policy messages share.
absl::Status ReadIntervals(const std::string& field,
                           int64_t evaluation_interval, int64_t min_interval,
                           int64_t min_samples, TrialPolicy* policy) {
  if (evaluation_interval < 0) {
    return FieldError(
        field + ".evaluation_interval",
        absl::StrCat("is ", evaluation_interval,
                     ": use a positive number of steps, such as 1 to check at "
                     "every step"));
  }
  if (min_interval < 0) {
    return FieldError(
        field + ".min_interval",
        absl::StrCat("is ", min_interval, ": use 0 or a positive step number"));
  }
  if (min_samples < 0) {
    return FieldError(
        field + ".min_samples",
        absl::StrCat("is ", min_samples,
                     ": use a positive number of other trials, such as 3"));
  }

  policy->evaluation_interval =
      evaluation_interval == 0 ? 1 : evaluation_interval;
  policy->min_interval = min_interval;
  policy->min_samples = min_samples == 0 ? 1 : min_samples;
  return absl::OkStatus();
}

absl::Status ReadPercent(const std::string& field, double percent,
                         double max_percent, TrialPolicy* policy) {
  const bool in_range =
      std::isfinite(percent) && percent > 0 && percent <= max_percent;
  if (!in_range) {
    const std::string bound =
        std::isfinite(max_percent)
            ? absl::StrCat("in (0, ", FormatNumber(max_percent), "]")
            : std::string("above 0");
    return FieldError(field + ".percent",
                      absl::StrCat("is ", FormatNumber(percent),
                                   ": use a percent ", bound, ", such as 10"));
  }
  policy->percent = percent;
  return absl::OkStatus();
}

// Converts `proto` into `*policy`; returns false in `*present` when the
// oneof is unset, which means no policy.
absl::Status ReadPolicy(const std::string& field,
                        const v1::StoppingPolicy& proto, TrialPolicy* policy,
                        bool* present) {
  *present = true;
  policy->source = field;

  switch (proto.policy_case()) {
    case v1::StoppingPolicy::kMedian: {
      const v1::MedianPolicy& median = proto.median();
      policy->kind = PolicyKind::kMedian;
      return ReadIntervals(field + ".median", median.evaluation_interval(),
                           median.min_interval(), median.min_samples(), policy);
    }
    case v1::StoppingPolicy::kTruncation: {
      const v1::TruncationPolicy& truncation = proto.truncation();
      policy->kind = PolicyKind::kTruncation;
      AUGUR_RETURN_IF_ERROR(ReadPercent(field + ".truncation",
                                        truncation.percent(), 100.0, policy));
      return ReadIntervals(
          field + ".truncation", truncation.evaluation_interval(),
          truncation.min_interval(), truncation.min_samples(), policy);
    }
    case v1::StoppingPolicy::kDiff: {
      const v1::DiffPolicy& diff = proto.diff();
      policy->kind = PolicyKind::kDiff;
      AUGUR_RETURN_IF_ERROR(
          ReadPercent(field + ".diff", diff.percent(), HUGE_VAL, policy));
      return ReadIntervals(field + ".diff", diff.evaluation_interval(),
                           diff.min_interval(), diff.min_samples(), policy);
    }
    case v1::StoppingPolicy::POLICY_NOT_SET:
      break;
  }
  *present = false;
  return absl::OkStatus();
}

absl::Status ReadEarlyStoppingEntry(int index,
                                    const v1::EarlyStoppingRule& rule,
                                    std::vector<ThresholdRule>* thresholds,
                                    std::vector<TrialPolicy>* policies) {
  const std::string field = absl::StrCat("early_stopping[", index, "]");
  if (rule.metric().empty()) {
    return FieldError(field + ".metric",
                      "is empty: name the metric to watch, for example "
                      "{metric: loss, value: 0.01, optimization: minimize}");
  }
  if (!std::isfinite(rule.value())) {
    return FieldError(field + ".value",
                      absl::StrCat("is ", FormatNumber(rule.value()),
                                   ": use a finite threshold"));
  }
  AUGUR_ASSIGN_OR_RETURN(
      const bool maximize,
      ReadDirection(field + ".optimization", rule.optimization()));
  thresholds->push_back(
      ThresholdRule{index, rule.metric(), rule.value(), maximize});

  TrialPolicy policy;
  bool present = false;
  AUGUR_RETURN_IF_ERROR(
      ReadPolicy(field + ".policy", rule.policy(), &policy, &present));
  if (present) {
    policy.metric = rule.metric();
    policy.maximize = maximize;
    policies->push_back(std::move(policy));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StoppingRules> StoppingRules::Create(
    const v1::StudySpec& spec, const std::optional<Objective>& objective) {
  StoppingRules rules;

  for (int i = 0; i < spec.early_stopping_size(); ++i) {
    AUGUR_RETURN_IF_ERROR(ReadEarlyStoppingEntry(
        i, spec.early_stopping(i), &rules.thresholds_, &rules.policies_));
  }

  TrialPolicy study_policy;
  bool present = false;
  AUGUR_RETURN_IF_ERROR(ReadPolicy("stopping_policy", spec.stopping_policy(),
                                   &study_policy, &present));
  if (present) {
    if (!objective.has_value() || objective->name.empty()) {
      return FieldError("stopping_policy",
                        "needs a study metric to watch: add `metric: {name: "
                        "loss, optimization: minimize}` to the study");
    }
    study_policy.metric = objective->name;
    study_policy.maximize = objective->maximize;
    rules.policies_.push_back(std::move(study_policy));
  }

  if (spec.has_trial_timeout_seconds()) {
    const double seconds = spec.trial_timeout_seconds();
    if (!std::isfinite(seconds) || seconds <= 0) {
      return FieldError("trial_timeout",
                        absl::StrCat("is ", FormatNumber(seconds),
                                     ": use a positive number of seconds, or "
                                     "leave it out for no timeout"));
    }
    rules.trial_timeout_ = absl::Seconds(seconds);
  }

  if (spec.has_max_failed_trials()) {
    if (spec.max_failed_trials() < 1) {
      return FieldError("max_failed_trials",
                        absl::StrCat("is ", spec.max_failed_trials(),
                                     ": use 1 or more, or leave it out so that "
                                     "failed trials never fail the study"));
    }
    rules.max_failed_trials_ = spec.max_failed_trials();
  }
  return rules;
}

}  // namespace augur
