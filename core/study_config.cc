#include "core/study_config.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/status_macros.h"

namespace augur {
namespace {

absl::Status Invalid(const std::string& message) { return absl::InvalidArgumentError(message); }

std::string Num(double x) { return FormatValue(x); }

// Validates a {name, optimization} pair found at `field`.
absl::Status CheckMetric(const std::string& field, const v1::MetricSpec& metric) {
  if (metric.name().empty()) {
    return Invalid(absl::StrCat(field, ".name is missing; name the metric to optimise"));
  }
  if (metric.optimization() != v1::MAXIMIZE && metric.optimization() != v1::MINIMIZE) {
    return Invalid(absl::StrCat(field, ".optimization is missing for metric ", metric.name(),
                                "; set maximize or minimize"));
  }
  return absl::OkStatus();
}

absl::Status CheckAtLeast(const std::string& field, int64_t value, int64_t minimum) {
  if (value >= minimum) return absl::OkStatus();
  return Invalid(absl::StrCat(field, " is ", value, "; it must be at least ", minimum));
}

absl::Status CheckPercent(const std::string& field, double percent, bool allow_above_100) {
  const bool in_range =
      std::isfinite(percent) && percent > 0.0 && (allow_above_100 || percent <= 100.0);
  if (in_range) return absl::OkStatus();
  return Invalid(absl::StrCat(field, " is ", Num(percent), "; use a percentage in (0, ",
                              allow_above_100 ? "inf)" : "100]"));
}

// An unset (0) interval key takes its default when the rules are built:
// evaluation_interval 1, min_interval 0, min_samples 1. Only negative values
// are invalid.
absl::Status CheckIntervals(const std::string& field, int64_t evaluation_interval,
                            int64_t min_interval, int64_t min_samples) {
  AUGUR_RETURN_IF_ERROR(CheckAtLeast(absl::StrCat(field, ".evaluation_interval"),
                                     evaluation_interval, 0));
  AUGUR_RETURN_IF_ERROR(CheckAtLeast(absl::StrCat(field, ".min_interval"), min_interval, 0));
  return CheckAtLeast(absl::StrCat(field, ".min_samples"), min_samples, 0);
}

// Validates a trial-level stopping policy found at `field`.
absl::Status CheckPolicy(const std::string& field, const v1::StoppingPolicy& policy) {
  switch (policy.policy_case()) {
    case v1::StoppingPolicy::kMedian: {
      const v1::MedianPolicy& median = policy.median();
      return CheckIntervals(absl::StrCat(field, ".median"), median.evaluation_interval(),
                            median.min_interval(), median.min_samples());
    }
    case v1::StoppingPolicy::kTruncation: {
      const v1::TruncationPolicy& truncation = policy.truncation();
      const std::string prefix = absl::StrCat(field, ".truncation");
      AUGUR_RETURN_IF_ERROR(CheckPercent(absl::StrCat(prefix, ".percent"), truncation.percent(),
                                         /*allow_above_100=*/false));
      return CheckIntervals(prefix, truncation.evaluation_interval(), truncation.min_interval(),
                            truncation.min_samples());
    }
    case v1::StoppingPolicy::kDiff: {
      // A difference may exceed 100% of the best value, so diff has no upper
      // bound on percent.
      const v1::DiffPolicy& diff = policy.diff();
      const std::string prefix = absl::StrCat(field, ".diff");
      AUGUR_RETURN_IF_ERROR(CheckPercent(absl::StrCat(prefix, ".percent"), diff.percent(),
                                         /*allow_above_100=*/true));
      return CheckIntervals(prefix, diff.evaluation_interval(), diff.min_interval(),
                            diff.min_samples());
    }
    case v1::StoppingPolicy::POLICY_NOT_SET:
      break;
  }
  return absl::OkStatus();
}

absl::Status CheckHyperband(const v1::Hyperband& hyperband, const SearchSpace& space) {
  if (!std::isfinite(hyperband.max_iter()) || hyperband.max_iter() < 1.0) {
    return Invalid(absl::StrCat("hyperband.max_iter is ", Num(hyperband.max_iter()),
                                "; set max_iter, the largest resource per trial, to at least 1"));
  }
  if (!std::isfinite(hyperband.eta()) || hyperband.eta() <= 1.0) {
    return Invalid(absl::StrCat("hyperband.eta is ", Num(hyperband.eta()),
                                "; eta must be greater than 1 (3 is usual)"));
  }

  const std::string& resource = hyperband.resource().name();
  if (resource.empty()) {
    return Invalid(
        "hyperband.resource.name is missing; name the parameter that carries the resource, "
        "e.g. resource: {name: num_epochs, type: int}");
  }
  if (space.IndexOf(resource) >= 0) {
    return Invalid(absl::StrCat("hyperband.resource.name ", resource,
                                " is also a matrix parameter; Hyperband sets the resource "
                                "itself, so remove it from the matrix or rename the resource"));
  }
  return CheckMetric("hyperband.metric", hyperband.metric());
}

absl::Status CheckBayesian(const v1::BayesianOptimization& bo, const SearchSpace& space) {
  // The Gaussian process waits for two finished trials, so fewer initial
  // trials would leave the study waiting forever.
  AUGUR_RETURN_IF_ERROR(CheckAtLeast("bo.n_initial_trials", bo.n_initial_trials(), 2));
  AUGUR_RETURN_IF_ERROR(CheckAtLeast("bo.n_iterations", bo.n_iterations(), 0));
  AUGUR_RETURN_IF_ERROR(CheckMetric("bo.metric", bo.metric()));

  for (const Parameter& parameter : space.parameters()) {
    const OptionKind kind = parameter.kind();
    const bool supported = parameter.is_enumerated() || kind == OptionKind::kUniform ||
                           kind == OptionKind::kQUniform || kind == OptionKind::kLogUniform ||
                           kind == OptionKind::kQLogUniform;
    if (!supported) {
      return Invalid(absl::StrCat("matrix.", parameter.name(), ": ", OptionName(kind),
                                  " is not supported by bo; use values, range, linspace, "
                                  "logspace, geomspace, uniform, quniform, loguniform or "
                                  "qloguniform"));
    }
  }

  const v1::BayesianOptimization::UtilityFunction& utility = bo.utility_function();
  switch (utility.acquisition_function()) {
    case v1::BayesianOptimization::UCB:
      if (!utility.has_kappa()) {
        return Invalid(
            "bo.utility_function.kappa is missing; ucb needs kappa, the weight of the "
            "uncertainty (2.576 is usual)");
      }
      break;
    case v1::BayesianOptimization::EI:
    case v1::BayesianOptimization::POI:
      if (!utility.has_eps()) {
        return Invalid(
            "bo.utility_function.eps is missing; ei and poi need eps, the minimum improvement "
            "(0.0 to 0.1 is usual)");
      }
      break;
    default:
      break;
  }
  if (utility.has_kappa() && !(std::isfinite(utility.kappa()) && utility.kappa() >= 0.0)) {
    return Invalid(absl::StrCat("bo.utility_function.kappa is ", Num(utility.kappa()),
                                "; use a finite kappa >= 0"));
  }
  if (utility.has_eps() && !(std::isfinite(utility.eps()) && utility.eps() >= 0.0)) {
    return Invalid(absl::StrCat("bo.utility_function.eps is ", Num(utility.eps()),
                                "; use a finite eps >= 0"));
  }
  if (utility.has_n_warmup()) {
    AUGUR_RETURN_IF_ERROR(CheckAtLeast("bo.utility_function.n_warmup", utility.n_warmup(), 1));
  }
  if (utility.has_n_iter()) {
    AUGUR_RETURN_IF_ERROR(CheckAtLeast("bo.utility_function.n_iter", utility.n_iter(), 1));
  }

  const v1::BayesianOptimization::GaussianProcess& gp = utility.gaussian_process();
  if (gp.has_length_scale() && !(std::isfinite(gp.length_scale()) && gp.length_scale() > 0.0)) {
    return Invalid(absl::StrCat("bo.utility_function.gaussian_process.length_scale is ",
                                Num(gp.length_scale()), "; use a positive length scale"));
  }
  if (gp.has_nu() && !(std::isfinite(gp.nu()) && gp.nu() > 0.0)) {
    return Invalid(absl::StrCat("bo.utility_function.gaussian_process.nu is ", Num(gp.nu()),
                                "; use a positive nu (0.5, 1.5 and 2.5 are common)"));
  }
  if (gp.has_n_restarts_optimizer()) {
    AUGUR_RETURN_IF_ERROR(CheckAtLeast("bo.utility_function.gaussian_process.n_restarts_optimizer",
                                       gp.n_restarts_optimizer(), 0));
  }
  return absl::OkStatus();
}

// Checks that every {{ name }} placeholder of `cmd` names a known parameter.
absl::Status CheckPlaceholders(const std::string& cmd,
                               const absl::flat_hash_set<std::string>& known) {
  size_t pos = 0;
  while ((pos = cmd.find("{{", pos)) != std::string::npos) {
    const size_t end = cmd.find("}}", pos + 2);
    if (end == std::string::npos) {
      return Invalid(absl::StrCat("run.cmd: the placeholder at offset ", pos,
                                  " has no closing }}; write {{ name }}"));
    }

    const std::string name(absl::StripAsciiWhitespace(cmd.substr(pos + 2, end - pos - 2)));
    if (name.empty()) return Invalid("run.cmd: the placeholder {{ }} is empty; write {{ name }}");
    if (!known.contains(name)) {
      std::vector<std::string> sorted(known.begin(), known.end());
      std::sort(sorted.begin(), sorted.end());
      return Invalid(absl::StrCat("run.cmd: the placeholder {{ ", name,
                                  " }} names no matrix parameter, fixed param or resource; "
                                  "known names: ",
                                  absl::StrJoin(sorted, ", ")));
    }
    pos = end + 2;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StudyConfig> StudyConfig::Create(const v1::StudySpec& spec) {
  StudyConfig config;
  config.spec_ = spec;

  if (spec.name().empty()) return Invalid("name is missing; give the study a name");
  AUGUR_ASSIGN_OR_RETURN(config.space_, SearchSpace::Create(spec.parameters()));
  AUGUR_RETURN_IF_ERROR(config.ValidateAlgorithm());
  AUGUR_RETURN_IF_ERROR(config.ValidateMetrics());
  AUGUR_RETURN_IF_ERROR(config.ValidateSettings());
  AUGUR_RETURN_IF_ERROR(config.ValidateRun());
  config.ComputeBudget();
  return config;
}

absl::Status StudyConfig::ValidateAlgorithm() {
  switch (spec_.algorithm_case()) {
    case v1::StudySpec::kGridSearch:
    case v1::StudySpec::ALGORITHM_NOT_SET: {
      algorithm_ = AlgorithmKind::kGrid;
      for (const Parameter& parameter : space_.parameters()) {
        if (!parameter.is_enumerated()) {
          return Invalid(absl::StrCat(
              "matrix.", parameter.name(), ": grid search cannot enumerate ",
              OptionName(parameter.kind()),
              "; use values, range, linspace, logspace or geomspace, or choose random_search"));
        }
      }
      const int64_t n = spec_.grid_search().n_experiments();
      AUGUR_RETURN_IF_ERROR(CheckAtLeast("grid_search.n_experiments", n, 0));
      if (n == 0 && !space_.grid_size().has_value()) {
        return Invalid(
            "the grid has more than 9223372036854775807 points; set grid_search.n_experiments "
            "to keep the first n of them");
      }
      return absl::OkStatus();
    }

    case v1::StudySpec::kRandomSearch:
      algorithm_ = AlgorithmKind::kRandom;
      if (spec_.random_search().n_experiments() < 1) {
        return Invalid(absl::StrCat("random_search.n_experiments is ",
                                    spec_.random_search().n_experiments(),
                                    "; set the number of trials to draw, at least 1"));
      }
      return absl::OkStatus();

    case v1::StudySpec::kHyperband:
      algorithm_ = AlgorithmKind::kHyperband;
      return CheckHyperband(spec_.hyperband(), space_);

    case v1::StudySpec::kBo:
      algorithm_ = AlgorithmKind::kBayesian;
      return CheckBayesian(spec_.bo(), space_);
  }
  return absl::InternalError("unhandled algorithm");
}

absl::Status StudyConfig::ValidateMetrics() {
  // The objective: `metric`, else the algorithm's own metric. When both are
  // given they must agree, because Hyperband and BO rank by their own.
  std::optional<v1::MetricSpec> algorithm_metric;
  std::string algorithm_field;
  if (algorithm_ == AlgorithmKind::kHyperband) {
    algorithm_metric = spec_.hyperband().metric();
    algorithm_field = "hyperband.metric";
  } else if (algorithm_ == AlgorithmKind::kBayesian) {
    algorithm_metric = spec_.bo().metric();
    algorithm_field = "bo.metric";
  }

  const v1::MetricSpec& metric = spec_.metric();
  if (!metric.name().empty() || metric.optimization() != v1::OPTIMIZATION_UNSPECIFIED) {
    AUGUR_RETURN_IF_ERROR(CheckMetric("metric", metric));
    if (algorithm_metric.has_value() &&
        (algorithm_metric->name() != metric.name() ||
         algorithm_metric->optimization() != metric.optimization())) {
      return Invalid(absl::StrCat("metric ", metric.name(), " differs from ", algorithm_field,
                                  " ", algorithm_metric->name(),
                                  "; give the metric once, in ", algorithm_field));
    }
    objective_ = Objective{metric.name(), metric.optimization() == v1::MAXIMIZE};
  } else if (algorithm_metric.has_value()) {
    objective_ =
        Objective{algorithm_metric->name(), algorithm_metric->optimization() == v1::MAXIMIZE};
  }

  for (int i = 0; i < spec_.metrics_size(); ++i) {
    if (spec_.metrics(i).empty()) {
      return Invalid(absl::StrCat("metrics[", i, "] is empty; list metric names"));
    }
  }

  for (int i = 0; i < spec_.early_stopping_size(); ++i) {
    const v1::EarlyStoppingRule& rule = spec_.early_stopping(i);
    const std::string field = absl::StrCat("early_stopping[", i, "]");
    if (rule.metric().empty()) {
      return Invalid(absl::StrCat(field, ".metric is missing; name the metric to watch"));
    }
    if (rule.optimization() != v1::MAXIMIZE && rule.optimization() != v1::MINIMIZE) {
      return Invalid(absl::StrCat(field, ".optimization is missing for metric ", rule.metric(),
                                  "; set maximize (stop at >= value) or minimize "
                                  "(stop at <= value)"));
    }
    if (!std::isfinite(rule.value())) {
      return Invalid(absl::StrCat(field, ".value is ", Num(rule.value()),
                                  "; use a finite threshold"));
    }
    AUGUR_RETURN_IF_ERROR(CheckPolicy(absl::StrCat(field, ".policy"), rule.policy()));
  }

  if (spec_.stopping_policy().policy_case() != v1::StoppingPolicy::POLICY_NOT_SET) {
    if (!objective_.has_value()) {
      return Invalid(
          "stopping_policy applies to the study's metric, and the study has none; set "
          "metric: {name, optimization}");
    }
    AUGUR_RETURN_IF_ERROR(CheckPolicy("stopping_policy", spec_.stopping_policy()));
  }

  // The runner records the objective, the early-stopping metrics and
  // `metrics`, each once.
  absl::flat_hash_set<std::string> seen;
  auto declare = [&](const std::string& name) {
    if (seen.insert(name).second) declared_metrics_.push_back(name);
  };
  if (objective_.has_value()) declare(objective_->name);
  for (const v1::EarlyStoppingRule& rule : spec_.early_stopping()) declare(rule.metric());
  for (const std::string& name : spec_.metrics()) declare(name);
  return absl::OkStatus();
}

absl::Status StudyConfig::ValidateSettings() {
  AUGUR_RETURN_IF_ERROR(CheckAtLeast("concurrency", spec_.concurrency(), 0));
  concurrency_ = spec_.concurrency() == 0 ? 1 : spec_.concurrency();

  if (spec_.has_trial_timeout_seconds()) {
    const double timeout = spec_.trial_timeout_seconds();
    if (!(std::isfinite(timeout) && timeout > 0.0)) {
      return Invalid(absl::StrCat("trial_timeout is ", Num(timeout),
                                  "; use a positive number of seconds, or leave it out"));
    }
  }
  if (spec_.has_max_failed_trials()) {
    AUGUR_RETURN_IF_ERROR(CheckAtLeast("max_failed_trials", spec_.max_failed_trials(), 1));
  }
  return absl::OkStatus();
}

absl::Status StudyConfig::ValidateRun() {
  const std::string resource = algorithm_ == AlgorithmKind::kHyperband
                                   ? spec_.hyperband().resource().name()
                                   : std::string();

  absl::flat_hash_set<std::string> known;
  for (const Parameter& parameter : space_.parameters()) known.insert(parameter.name());
  if (!resource.empty()) known.insert(resource);

  for (int i = 0; i < spec_.params_size(); ++i) {
    const v1::Parameter& param = spec_.params(i);
    if (param.name().empty()) {
      return Invalid(absl::StrCat("params[", i, "] has an empty name; name every fixed param"));
    }
    if (space_.IndexOf(param.name()) >= 0) {
      return Invalid(absl::StrCat("params.", param.name(),
                                  ": the name is also a matrix parameter; remove it from "
                                  "params or from the matrix"));
    }
    if (param.name() == resource) {
      return Invalid(absl::StrCat("params.", param.name(),
                                  ": the name is also the hyperband resource, which Hyperband "
                                  "sets itself; remove it from params"));
    }
    if (!known.insert(param.name()).second) {
      return Invalid(absl::StrCat("params.", param.name(), ": declared twice; keep one"));
    }
    if (param.value().kind_case() == v1::Value::KIND_NOT_SET) {
      return Invalid(absl::StrCat("params.", param.name(),
                                  ": the value is empty; use a number, a string or a boolean"));
    }
  }

  if (spec_.runner() == v1::KUBERNETES && spec_.run().image().empty() &&
      spec_.run().pod_template().empty()) {
    return Invalid(
        "run.image is missing; the kubernetes runner needs run.image or run.pod_template");
  }
  return CheckPlaceholders(spec_.run().cmd(), known);
}

void StudyConfig::ComputeBudget() {
  const std::optional<int64_t> distinct = space_.distinct_count();
  auto cap = [&](const std::string& field, int64_t requested) {
    if (!distinct.has_value() || requested <= *distinct) return requested;
    notes_.push_back(absl::StrCat(field, " ", requested, " capped at ", *distinct,
                                  ", the number of distinct points"));
    return *distinct;
  };

  switch (algorithm_) {
    case AlgorithmKind::kGrid: {
      const int64_t n = spec_.grid_search().n_experiments();
      const std::optional<int64_t> size = space_.grid_size();
      if (!size.has_value()) {
        initial_budget_ = n;  // Validation required n > 0 here.
      } else {
        initial_budget_ = n > 0 ? std::min(n, *size) : *size;
      }
      break;
    }
    case AlgorithmKind::kRandom:
      initial_budget_ = cap("random_search.n_experiments", spec_.random_search().n_experiments());
      break;
    case AlgorithmKind::kBayesian:
      initial_budget_ = cap("bo.n_initial_trials + bo.n_iterations",
                            spec_.bo().n_initial_trials() + spec_.bo().n_iterations());
      break;
    case AlgorithmKind::kHyperband:
      initial_budget_ = 0;
      break;
  }
}

}  // namespace augur
