#include "core/spec/tuning_parser.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/spec/matrix_parser.h"
#include "core/status_macros.h"

namespace augur::spec_internal {
namespace {

const std::vector<absl::string_view> kTuningKeys = {"concurrency",
                                                    "seed",
                                                    "matrix",
                                                    "grid_search",
                                                    "random_search",
                                                    "hyperband",
                                                    "bo",
                                                    "early_stopping",
                                                    "metric",
                                                    "metrics",
                                                    "stopping_policy",
                                                    "trial_timeout",
                                                    "max_failed_trials",
                                                    "runner"};

const std::vector<absl::string_view> kAlgorithmKeys = {
    "grid_search", "random_search", "hyperband", "bo"};

const std::vector<std::pair<absl::string_view, int>> kOptimizationWords = {
    {"maximize", v1::MAXIMIZE}, {"minimize", v1::MINIMIZE}};

absl::StatusOr<v1::Optimization> ReadOptimization(const Field& field) {
  AUGUR_ASSIGN_OR_RETURN(const int value, ReadEnum(field, kOptimizationWords));
  return static_cast<v1::Optimization>(value);
}

// Reads `{name, optimization}`. A missing optimization stays
// OPTIMIZATION_UNSPECIFIED, for StudyConfig::Create to judge.
absl::Status ParseMetric(const Field& field, KeyLines* lines,
                         v1::MetricSpec* metric) {
  AUGUR_ASSIGN_OR_RETURN(
      const MapReader map,
      MapReader::Create(field,
                        std::vector<absl::string_view>{"name", "optimization"},
                        lines));

  const Field* name = map.Find("name");
  if (name == nullptr) {
    return FieldError(field, "missing `name`, the metric to optimise");
  }
  AUGUR_ASSIGN_OR_RETURN(*metric->mutable_name(), ReadString(*name));

  if (const Field* optimization = map.Find("optimization")) {
    AUGUR_ASSIGN_OR_RETURN(const v1::Optimization value,
                           ReadOptimization(*optimization));
    metric->set_optimization(value);
  }
  return absl::OkStatus();
}

// Sets the int64 field `key` of a map through `set` when the map has it.
template <typename Setter>
absl::Status ReadOptionalInt(const MapReader& map, absl::string_view key,
                             Setter set) {
  const Field* field = map.Find(key);
  if (field == nullptr) return absl::OkStatus();
  AUGUR_ASSIGN_OR_RETURN(const int64_t value, ReadInt(*field));
  set(value);
  return absl::OkStatus();
}

template <typename Setter>
absl::Status ReadOptionalNumber(const MapReader& map, absl::string_view key,
                                Setter set) {
  const Field* field = map.Find(key);
  if (field == nullptr) return absl::OkStatus();
  AUGUR_ASSIGN_OR_RETURN(const double value, ReadNumber(*field));
  set(value);
  return absl::OkStatus();
}

// Reads the keys of one policy kind from `body` into `policy`. The three
// policy messages share their interval fields, so one template serves all.
template <typename Policy>
absl::Status ReadPolicyIntervals(const MapReader& body, Policy* policy) {
  AUGUR_RETURN_IF_ERROR(
      ReadOptionalInt(body, "evaluation_interval",
                      [&](int64_t v) { policy->set_evaluation_interval(v); }));
  AUGUR_RETURN_IF_ERROR(ReadOptionalInt(
      body, "min_interval", [&](int64_t v) { policy->set_min_interval(v); }));
  return ReadOptionalInt(body, "min_samples",
                         [&](int64_t v) { policy->set_min_samples(v); });
}

absl::Status ParsePolicyBody(absl::string_view kind, const Field& field,
                             bool with_kind_key, KeyLines* lines,
                             v1::StoppingPolicy* policy) {
  std::vector<absl::string_view> keys = {"evaluation_interval", "min_interval",
                                         "min_samples"};
  if (kind != "median") keys.insert(keys.begin(), "percent");
  if (with_kind_key) keys.insert(keys.begin(), "kind");
  AUGUR_ASSIGN_OR_RETURN(const MapReader body,
                         MapReader::Create(field, keys, lines,
                                           /*null_is_empty=*/true));

  if (kind == "median") {
    return ReadPolicyIntervals(body, policy->mutable_median());
  }
  if (kind == "truncation") {
    v1::TruncationPolicy* truncation = policy->mutable_truncation();
    AUGUR_RETURN_IF_ERROR(ReadOptionalNumber(
        body, "percent", [&](double v) { truncation->set_percent(v); }));
    return ReadPolicyIntervals(body, truncation);
  }
  v1::DiffPolicy* diff = policy->mutable_diff();
  AUGUR_RETURN_IF_ERROR(ReadOptionalNumber(
      body, "percent", [&](double v) { diff->set_percent(v); }));
  return ReadPolicyIntervals(body, diff);
}

// Reads a trial-level policy in either of two forms:
//   median: {evaluation_interval: 1, min_samples: 3}
//   {kind: median, evaluation_interval: 1, min_samples: 3}
// The first matches the nested layout of the rest of the file. The second
// names the choice with a `kind:` key, the other common way to write a
// tagged choice in YAML, so both are accepted.
absl::Status ParsePolicy(const Field& field, KeyLines* lines,
                         v1::StoppingPolicy* policy) {
  const std::vector<std::pair<absl::string_view, int>> kinds = {
      {"median", 0}, {"truncation", 1}, {"diff", 2}};
  const std::vector<absl::string_view> kind_names = {"median", "truncation",
                                                     "diff"};
  AUGUR_ASSIGN_OR_RETURN(const MapReader map,
                         MapReader::Create(field, std::nullopt, nullptr));

  if (const Field* kind = map.Find("kind")) {
    AUGUR_ASSIGN_OR_RETURN(const int index, ReadEnum(*kind, kinds));
    return ParsePolicyBody(kind_names[index], field, /*with_kind_key=*/true,
                           lines, policy);
  }

  if (map.entries().size() != 1) {
    return FieldError(field,
                      "expected one policy, such as median: "
                      "{evaluation_interval: 1, min_samples: 3}, or a "
                      "map with kind: median|truncation|diff");
  }
  const auto& [name, body] = map.entries()[0];
  AUGUR_ASSIGN_OR_RETURN(
      const int index,
      ReadEnum(Field{body.path, body.line, YAML::Node(name)}, kinds));
  if (lines != nullptr) lines->emplace(body.path, body.line);
  return ParsePolicyBody(kind_names[index], body, /*with_kind_key=*/false,
                         lines, policy);
}

absl::Status ParseEarlyStopping(const Field& field, KeyLines* lines,
                                v1::StudySpec* spec) {
  AUGUR_ASSIGN_OR_RETURN(const std::vector<Field> entries,
                         ReadList(field, lines));
  for (const Field& entry : entries) {
    AUGUR_ASSIGN_OR_RETURN(
        const MapReader map,
        MapReader::Create(entry,
                          std::vector<absl::string_view>{
                              "metric", "value", "optimization", "policy"},
                          lines));
    v1::EarlyStoppingRule* rule = spec->add_early_stopping();

    const Field* metric = map.Find("metric");
    const Field* value = map.Find("value");
    if (metric == nullptr || value == nullptr) {
      return FieldError(entry,
                        "an early_stopping entry needs `metric` and "
                        "`value`, for example {metric: loss, value: "
                        "0.01, optimization: minimize}");
    }
    AUGUR_ASSIGN_OR_RETURN(*rule->mutable_metric(), ReadString(*metric));
    AUGUR_ASSIGN_OR_RETURN(const double threshold, ReadNumber(*value));
    rule->set_value(threshold);

    if (const Field* optimization = map.Find("optimization")) {
      AUGUR_ASSIGN_OR_RETURN(const v1::Optimization direction,
                             ReadOptimization(*optimization));
      rule->set_optimization(direction);
    }
    if (const Field* policy = map.Find("policy")) {
      AUGUR_RETURN_IF_ERROR(
          ParsePolicy(*policy, lines, rule->mutable_policy()));
    }
  }
  return absl::OkStatus();
}

// Reads `{n_experiments}`. A null map or a missing key gives 0.
absl::StatusOr<int64_t> ParseNExperiments(const Field& field, KeyLines* lines) {
  AUGUR_ASSIGN_OR_RETURN(
      const MapReader map,
      MapReader::Create(field, std::vector<absl::string_view>{"n_experiments"},
                        lines, /*null_is_empty=*/true));
  int64_t n_experiments = 0;
  AUGUR_RETURN_IF_ERROR(ReadOptionalInt(map, "n_experiments",
                                        [&](int64_t v) { n_experiments = v; }));
  return n_experiments;
}

absl::Status ParseHyperband(const Field& field, KeyLines* lines,
                            v1::Hyperband* hyperband) {
  AUGUR_ASSIGN_OR_RETURN(
      const MapReader map,
      MapReader::Create(field,
                        std::vector<absl::string_view>{
                            "max_iter", "eta", "resource", "metric", "resume"},
                        lines, /*null_is_empty=*/true));

  AUGUR_RETURN_IF_ERROR(ReadOptionalNumber(
      map, "max_iter", [&](double v) { hyperband->set_max_iter(v); }));
  AUGUR_RETURN_IF_ERROR(
      ReadOptionalNumber(map, "eta", [&](double v) { hyperband->set_eta(v); }));

  if (const Field* resource = map.Find("resource")) {
    AUGUR_ASSIGN_OR_RETURN(
        const MapReader resource_map,
        MapReader::Create(
            *resource, std::vector<absl::string_view>{"name", "type"}, lines));
    v1::Hyperband::Resource* out = hyperband->mutable_resource();
    if (const Field* name = resource_map.Find("name")) {
      AUGUR_ASSIGN_OR_RETURN(*out->mutable_name(), ReadString(*name));
    }
    if (const Field* type = resource_map.Find("type")) {
      AUGUR_ASSIGN_OR_RETURN(
          const int value, ReadEnum(*type, {{"int", v1::Hyperband::INT},
                                            {"float", v1::Hyperband::FLOAT}}));
      out->set_type(static_cast<v1::Hyperband::ResourceType>(value));
    }
  }

  if (const Field* metric = map.Find("metric")) {
    AUGUR_RETURN_IF_ERROR(
        ParseMetric(*metric, lines, hyperband->mutable_metric()));
  }
  if (const Field* resume = map.Find("resume")) {
    AUGUR_ASSIGN_OR_RETURN(const bool value, ReadBool(*resume));
    hyperband->set_resume(value);
  }
  return absl::OkStatus();
}

absl::Status ParseGaussianProcess(
    const Field& field, KeyLines* lines,
    v1::BayesianOptimization::GaussianProcess* process) {
  AUGUR_ASSIGN_OR_RETURN(const MapReader map,
                         MapReader::Create(field,
                                           std::vector<absl::string_view>{
                                               "kernel", "length_scale", "nu",
                                               "n_restarts_optimizer"},
                                           lines, /*null_is_empty=*/true));

  if (const Field* kernel = map.Find("kernel")) {
    AUGUR_ASSIGN_OR_RETURN(
        const int value,
        ReadEnum(*kernel, {{"rbf", v1::BayesianOptimization::RBF},
                           {"matern", v1::BayesianOptimization::MATERN}}));
    process->set_kernel(static_cast<v1::BayesianOptimization::Kernel>(value));
  }
  AUGUR_RETURN_IF_ERROR(ReadOptionalNumber(
      map, "length_scale", [&](double v) { process->set_length_scale(v); }));
  AUGUR_RETURN_IF_ERROR(
      ReadOptionalNumber(map, "nu", [&](double v) { process->set_nu(v); }));
  return ReadOptionalInt(map, "n_restarts_optimizer", [&](int64_t v) {
    process->set_n_restarts_optimizer(v);
  });
}

absl::Status ParseUtilityFunction(
    const Field& field, KeyLines* lines,
    v1::BayesianOptimization::UtilityFunction* utility) {
  AUGUR_ASSIGN_OR_RETURN(
      const MapReader map,
      MapReader::Create(field,
                        std::vector<absl::string_view>{
                            "acquisition_function", "kappa", "eps",
                            "gaussian_process", "n_warmup", "n_iter"},
                        lines, /*null_is_empty=*/true));

  if (const Field* acquisition = map.Find("acquisition_function")) {
    AUGUR_ASSIGN_OR_RETURN(
        const int value,
        ReadEnum(*acquisition, {{"ucb", v1::BayesianOptimization::UCB},
                                {"ei", v1::BayesianOptimization::EI},
                                {"poi", v1::BayesianOptimization::POI}}));
    utility->set_acquisition_function(
        static_cast<v1::BayesianOptimization::AcquisitionFunction>(value));
  }
  AUGUR_RETURN_IF_ERROR(ReadOptionalNumber(
      map, "kappa", [&](double v) { utility->set_kappa(v); }));
  AUGUR_RETURN_IF_ERROR(
      ReadOptionalNumber(map, "eps", [&](double v) { utility->set_eps(v); }));

  if (const Field* process = map.Find("gaussian_process")) {
    AUGUR_RETURN_IF_ERROR(ParseGaussianProcess(
        *process, lines, utility->mutable_gaussian_process()));
  }
  AUGUR_RETURN_IF_ERROR(ReadOptionalInt(
      map, "n_warmup", [&](int64_t v) { utility->set_n_warmup(v); }));
  return ReadOptionalInt(map, "n_iter",
                         [&](int64_t v) { utility->set_n_iter(v); });
}

absl::Status ParseBayesian(const Field& field, KeyLines* lines,
                           v1::BayesianOptimization* bo) {
  AUGUR_ASSIGN_OR_RETURN(
      const MapReader map,
      MapReader::Create(
          field,
          std::vector<absl::string_view>{"n_initial_trials", "n_iterations",
                                         "metric", "utility_function"},
          lines, /*null_is_empty=*/true));

  AUGUR_RETURN_IF_ERROR(
      ReadOptionalInt(map, "n_initial_trials",
                      [&](int64_t v) { bo->set_n_initial_trials(v); }));
  AUGUR_RETURN_IF_ERROR(ReadOptionalInt(
      map, "n_iterations", [&](int64_t v) { bo->set_n_iterations(v); }));
  if (const Field* metric = map.Find("metric")) {
    AUGUR_RETURN_IF_ERROR(ParseMetric(*metric, lines, bo->mutable_metric()));
  }
  if (const Field* utility = map.Find("utility_function")) {
    AUGUR_RETURN_IF_ERROR(
        ParseUtilityFunction(*utility, lines, bo->mutable_utility_function()));
  }
  return absl::OkStatus();
}

absl::Status ParseAlgorithm(const MapReader& section, KeyLines* lines,
                            v1::StudySpec* spec) {
  const Field* chosen = nullptr;
  absl::string_view chosen_name;
  for (absl::string_view name : kAlgorithmKeys) {
    const Field* field = section.Find(name);
    if (field == nullptr) continue;
    if (chosen != nullptr) {
      return FieldError(*field,
                        absl::StrCat("a second algorithm beside ", chosen_name,
                                     " on line ", chosen->line,
                                     "; give at most one of grid_search, "
                                     "random_search, hyperband, bo"));
    }
    chosen = field;
    chosen_name = name;
  }

  if (chosen == nullptr) return absl::OkStatus();
  if (chosen_name == "grid_search") {
    AUGUR_ASSIGN_OR_RETURN(const int64_t n, ParseNExperiments(*chosen, lines));
    spec->mutable_grid_search()->set_n_experiments(n);
    return absl::OkStatus();
  }
  if (chosen_name == "random_search") {
    AUGUR_ASSIGN_OR_RETURN(const int64_t n, ParseNExperiments(*chosen, lines));
    spec->mutable_random_search()->set_n_experiments(n);
    return absl::OkStatus();
  }
  if (chosen_name == "hyperband") {
    return ParseHyperband(*chosen, lines, spec->mutable_hyperband());
  }
  return ParseBayesian(*chosen, lines, spec->mutable_bo());
}

absl::Status ParseSettings(const MapReader& section, KeyLines* lines,
                           v1::StudySpec* spec) {
  AUGUR_RETURN_IF_ERROR(ReadOptionalInt(
      section, "concurrency", [&](int64_t v) { spec->set_concurrency(v); }));
  AUGUR_RETURN_IF_ERROR(
      ReadOptionalInt(section, "seed", [&](int64_t v) { spec->set_seed(v); }));
  AUGUR_RETURN_IF_ERROR(ReadOptionalNumber(
      section, "trial_timeout",
      [&](double v) { spec->set_trial_timeout_seconds(v); }));
  AUGUR_RETURN_IF_ERROR(
      ReadOptionalInt(section, "max_failed_trials",
                      [&](int64_t v) { spec->set_max_failed_trials(v); }));

  if (const Field* runner = section.Find("runner")) {
    AUGUR_ASSIGN_OR_RETURN(const int value,
                           ReadEnum(*runner, {{"local", v1::LOCAL},
                                              {"kubernetes", v1::KUBERNETES}}));
    spec->set_runner(static_cast<v1::Runner>(value));
  }
  if (const Field* metric = section.Find("metric")) {
    AUGUR_RETURN_IF_ERROR(ParseMetric(*metric, lines, spec->mutable_metric()));
  }
  if (const Field* metrics = section.Find("metrics")) {
    AUGUR_ASSIGN_OR_RETURN(const std::vector<Field> names,
                           ReadList(*metrics, lines));
    for (const Field& name : names) {
      AUGUR_ASSIGN_OR_RETURN(*spec->add_metrics(), ReadString(name));
    }
  }
  if (const Field* early_stopping = section.Find("early_stopping")) {
    AUGUR_RETURN_IF_ERROR(ParseEarlyStopping(*early_stopping, lines, spec));
  }
  if (const Field* policy = section.Find("stopping_policy")) {
    AUGUR_RETURN_IF_ERROR(
        ParsePolicy(*policy, lines, spec->mutable_stopping_policy()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseTuningSection(const Field& section,
                                absl::string_view section_name, KeyLines* lines,
                                v1::StudySpec* spec) {
  const Field named{std::string(section_name), section.line, section.node};
  if (!section.node.IsMap()) {
    return FieldError(named, absl::StrCat("expected a map with a matrix, got ",
                                          DescribeNode(section.node)));
  }
  AUGUR_ASSIGN_OR_RETURN(const MapReader map,
                         MapReader::Create(section, kTuningKeys, lines));

  const Field* matrix = map.Find("matrix");
  if (matrix == nullptr) {
    return FieldError(named,
                      "missing `matrix`, the map of parameters to "
                      "search, for example matrix: {lr: {values: "
                      "[0.1, 0.01]}}");
  }
  AUGUR_RETURN_IF_ERROR(
      ParseMatrix(*matrix, lines, spec->mutable_parameters()));

  AUGUR_RETURN_IF_ERROR(ParseAlgorithm(map, lines, spec));
  return ParseSettings(map, lines, spec);
}

}  // namespace augur::spec_internal
