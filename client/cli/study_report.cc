#include "client/cli/study_report.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/cli/table.h"
#include "core/space/value.h"

namespace augur {
namespace {

constexpr size_t kMaxMessageColumn = 60;

std::string TrialStateText(v1::TrialState state) {
  return v1::TrialState_Name(state);
}

std::string StudyStateText(v1::StudyState state) {
  std::string name = v1::StudyState_Name(state);
  if (name.rfind("STUDY_", 0) == 0) name = name.substr(6);
  return name;
}

std::string OptimizationText(v1::Optimization optimization) {
  return optimization == v1::MINIMIZE ? "minimize" : "maximize";
}

// Parameter names in matrix order, then any other name a trial carries (such
// as a Hyperband resource).
std::vector<std::string> ParameterColumns(
    const v1::Study& study, const std::vector<v1::Trial>& trials) {
  std::vector<std::string> names;
  auto add = [&names](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  };
  for (const auto& parameter : study.spec().parameters()) add(parameter.name());
  for (const auto& trial : trials) {
    for (const auto& parameter : trial.parameters()) add(parameter.name());
  }
  return names;
}

// Metric names: the objective first, then the others alphabetically.
std::vector<std::string> MetricColumns(const v1::Study& study,
                                       const std::vector<v1::Trial>& trials) {
  std::set<std::string> others;
  for (const auto& trial : trials) {
    for (const auto& metric : trial.latest_metrics()) {
      others.insert(metric.name());
    }
  }
  std::vector<std::string> names;
  if (auto objective = StudyObjective(study.spec())) {
    names.push_back(objective->name());
    others.erase(objective->name());
  }
  names.insert(names.end(), others.begin(), others.end());
  return names;
}

const v1::Value* FindParameter(const v1::Trial& trial,
                               const std::string& name) {
  for (const auto& parameter : trial.parameters()) {
    if (parameter.name() == name) return &parameter.value();
  }
  return nullptr;
}

const v1::Metric* FindMetric(const v1::Trial& trial, const std::string& name) {
  for (const auto& metric : trial.latest_metrics()) {
    if (metric.name() == name) return &metric;
  }
  return nullptr;
}

// "4", or "4 (resumed)" for a trial that loads its parent's checkpoint.
std::string ParentText(const v1::Trial& trial) {
  if (trial.parent_id() == 0) return "";
  return absl::StrCat(trial.parent_id(), trial.resume_from_parent() ? " (resumed)" : "");
}

std::string BudgetText(const v1::Study& study) {
  if (study.budget() > 0) return absl::StrCat(study.budget(), " trials");
  return "set by the algorithm";
}

nlohmann::json ValueJson(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kIntValue: return value.int_value();
    case v1::Value::kDoubleValue: return value.double_value();
    case v1::Value::kStringValue: return value.string_value();
    case v1::Value::kBoolValue: return value.bool_value();
    case v1::Value::KIND_NOT_SET: break;
  }
  return nullptr;
}

nlohmann::json TrialJson(const v1::Trial& trial) {
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& parameter : trial.parameters()) {
    parameters[parameter.name()] = ValueJson(parameter.value());
  }
  nlohmann::json latest = nlohmann::json::object();
  for (const auto& metric : trial.latest_metrics()) {
    latest[metric.name()] = metric.value();
  }
  nlohmann::json measurements = nlohmann::json::array();
  for (const auto& measurement : trial.measurements()) {
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& metric : measurement.metrics()) {
      metrics[metric.name()] = metric.value();
    }
    measurements.push_back({{"step", measurement.step()}, {"metrics", metrics}});
  }

  nlohmann::json json = {
      {"id", trial.id()},
      {"state", TrialStateText(trial.state())},
      {"parameters", parameters},
      {"latest_metrics", latest},
      {"objective_value", nullptr},
      {"measurements", measurements},
      {"client_id", trial.client_id()},
      {"parent_id", trial.parent_id() == 0 ? nlohmann::json(nullptr)
                                           : nlohmann::json(trial.parent_id())},
      {"resume_from_parent", trial.resume_from_parent()},
      {"message", trial.message()},
  };
  if (trial.has_objective_value()) {
    json["objective_value"] = trial.objective_value();
  }
  return json;
}

}  // namespace

std::optional<v1::MetricSpec> StudyObjective(const v1::StudySpec& spec) {
  if (!spec.metric().name().empty()) return spec.metric();
  if (spec.has_hyperband() && !spec.hyperband().metric().name().empty()) {
    return spec.hyperband().metric();
  }
  if (spec.has_bo() && !spec.bo().metric().name().empty()) {
    return spec.bo().metric();
  }
  return std::nullopt;
}

std::string AlgorithmName(const v1::StudySpec& spec) {
  switch (spec.algorithm_case()) {
    case v1::StudySpec::kRandomSearch: return "random_search";
    case v1::StudySpec::kHyperband: return "hyperband";
    case v1::StudySpec::kBo: return "bo";
    case v1::StudySpec::kGridSearch:
    case v1::StudySpec::ALGORITHM_NOT_SET: break;
  }
  return "grid_search";
}

std::string ParameterText(const v1::Value& value) {
  return FormatValue(ValueFromProto(value));
}

std::string ParameterDisplayText(const v1::Value& value) {
  if (value.kind_case() == v1::Value::kDoubleValue) {
    return FormatMetricValue(value.double_value());
  }
  return ParameterText(value);
}

std::string RenderStudyList(const std::vector<v1::Study>& studies) {
  TextTable table({"study", "state", "algorithm", "trials", "active",
                   "succeeded", "failed", "stopped", "best"});
  for (size_t column = 3; column <= 7; ++column) table.AlignRight(column);

  for (const v1::Study& study : studies) {
    const int64_t total = study.pending_trials() + study.active_trials() +
                          study.succeeded_trials() + study.failed_trials() +
                          study.stopped_trials();
    std::string best;
    const auto objective = StudyObjective(study.spec());
    if (objective.has_value() && study.has_best_trial() &&
        study.best_trial().has_objective_value()) {
      best = absl::StrCat(objective->name(), "=",
                          FormatMetricValue(study.best_trial().objective_value()),
                          " (trial ", study.best_trial().id(), ")");
    }
    table.AddRow({study.name(), StudyStateText(study.state()),
                  AlgorithmName(study.spec()), absl::StrCat(total),
                  absl::StrCat(study.active_trials()),
                  absl::StrCat(study.succeeded_trials()),
                  absl::StrCat(study.failed_trials()),
                  absl::StrCat(study.stopped_trials()), best});
  }
  return table.Render();
}

std::string RenderStudyTable(const v1::Study& study,
                             const std::vector<v1::Trial>& trials) {
  std::string text = absl::StrCat("study:     ", study.name(), "\n");
  absl::StrAppend(&text, "state:     ", StudyStateText(study.state()));
  if (!study.state_reason().empty()) {
    absl::StrAppend(&text, " (", study.state_reason(), ")");
  }
  absl::StrAppend(&text, "\nalgorithm: ", AlgorithmName(study.spec()),
                  "\nseed:      ", study.seed(),
                  "\nbudget:    ", BudgetText(study), "\n");
  const auto objective = StudyObjective(study.spec());
  if (objective.has_value()) {
    absl::StrAppend(&text, "objective: ", OptimizationText(objective->optimization()),
                    " ", objective->name(), "\n");
  }
  for (const std::string& note : study.notes()) {
    absl::StrAppend(&text, "note:      ", note, "\n");
  }
  const std::string best = RenderBestTrial(study);
  if (!best.empty()) absl::StrAppend(&text, best, "\n");
  absl::StrAppend(&text, "\n");

  const std::vector<std::string> parameters = ParameterColumns(study, trials);
  const std::vector<std::string> metrics = MetricColumns(study, trials);
  const bool any_parent =
      std::any_of(trials.begin(), trials.end(),
                  [](const v1::Trial& trial) { return trial.parent_id() != 0; });
  std::vector<std::string> headers = {"trial", "state"};
  headers.insert(headers.end(), parameters.begin(), parameters.end());
  headers.insert(headers.end(), metrics.begin(), metrics.end());
  if (any_parent) headers.push_back("parent");
  headers.push_back("message");

  TextTable table(headers);
  table.AlignRight(0);
  for (size_t i = 0; i < metrics.size(); ++i) {
    table.AlignRight(2 + parameters.size() + i);
  }
  for (const v1::Trial& trial : trials) {
    std::vector<std::string> row = {absl::StrCat(trial.id()),
                                    TrialStateText(trial.state())};
    for (const std::string& name : parameters) {
      const v1::Value* value = FindParameter(trial, name);
      row.push_back(value == nullptr ? "" : ParameterDisplayText(*value));
    }
    for (const std::string& name : metrics) {
      const bool is_objective = objective.has_value() && objective->name() == name;
      if (is_objective && trial.has_objective_value()) {
        row.push_back(FormatMetricValue(trial.objective_value()));
        continue;
      }
      const v1::Metric* metric = FindMetric(trial, name);
      row.push_back(metric == nullptr ? "" : FormatMetricValue(metric->value()));
    }
    if (any_parent) row.push_back(ParentText(trial));
    row.push_back(SummarizeMessage(trial.message(), kMaxMessageColumn));
    table.AddRow(std::move(row));
  }
  if (trials.empty()) return text + "no trials yet\n";
  return text + table.Render();
}

std::string RenderStudyJson(const v1::Study& study,
                            const std::vector<v1::Trial>& trials) {
  nlohmann::json objective = nullptr;
  if (auto metric = StudyObjective(study.spec())) {
    objective = {{"name", metric->name()},
                 {"optimization", OptimizationText(metric->optimization())}};
  }
  nlohmann::json notes = nlohmann::json::array();
  for (const std::string& note : study.notes()) notes.push_back(note);

  nlohmann::json summary = {
      {"name", study.name()},
      {"state", StudyStateText(study.state())},
      {"state_reason", study.state_reason()},
      {"algorithm", AlgorithmName(study.spec())},
      {"seed", study.seed()},
      {"budget", study.budget()},
      {"objective", objective},
      {"notes", notes},
      {"trial_counts",
       {{"pending", study.pending_trials()},
        {"active", study.active_trials()},
        {"succeeded", study.succeeded_trials()},
        {"failed", study.failed_trials()},
        {"stopped", study.stopped_trials()}}},
      {"best_trial_id", nullptr},
  };
  if (study.has_best_trial() && study.best_trial().id() != 0) {
    summary["best_trial_id"] = study.best_trial().id();
  }

  nlohmann::json trial_list = nlohmann::json::array();
  for (const v1::Trial& trial : trials) trial_list.push_back(TrialJson(trial));
  return nlohmann::json{{"study", summary}, {"trials", trial_list}}.dump(2) +
         "\n";
}

std::string RenderStudyCsv(const v1::Study& study,
                           const std::vector<v1::Trial>& trials) {
  const std::vector<std::string> parameters = ParameterColumns(study, trials);
  std::set<std::string> metric_set;
  for (const auto& trial : trials) {
    for (const auto& metric : trial.latest_metrics()) {
      metric_set.insert(metric.name());
    }
  }
  const std::vector<std::string> metrics(metric_set.begin(), metric_set.end());

  std::vector<std::string> header = {"trial", "state"};
  header.insert(header.end(), parameters.begin(), parameters.end());
  header.insert(header.end(), metrics.begin(), metrics.end());
  header.push_back("objective");
  header.push_back("message");
  std::string text = CsvRecord(header);

  for (const v1::Trial& trial : trials) {
    std::vector<std::string> row = {absl::StrCat(trial.id()),
                                    TrialStateText(trial.state())};
    for (const std::string& name : parameters) {
      const v1::Value* value = FindParameter(trial, name);
      row.push_back(value == nullptr ? "" : ParameterText(*value));
    }
    for (const std::string& name : metrics) {
      const v1::Metric* metric = FindMetric(trial, name);
      row.push_back(metric == nullptr ? "" : FormatValue(Value(metric->value())));
    }
    row.push_back(trial.has_objective_value()
                      ? FormatValue(Value(trial.objective_value()))
                      : "");
    row.push_back(trial.message());
    text += CsvRecord(row);
  }
  return text;
}

std::string RenderStudyMeasurementsCsv(const v1::Study& study,
                                       const std::vector<v1::Trial>& trials) {
  const std::vector<std::string> parameters = ParameterColumns(study, trials);
  std::set<std::string> metric_set;
  for (const auto& trial : trials) {
    for (const auto& measurement : trial.measurements()) {
      for (const auto& metric : measurement.metrics()) metric_set.insert(metric.name());
    }
  }
  const std::vector<std::string> metrics(metric_set.begin(), metric_set.end());

  std::vector<std::string> header = {"trial", "state"};
  header.insert(header.end(), parameters.begin(), parameters.end());
  header.push_back("step");
  header.insert(header.end(), metrics.begin(), metrics.end());
  std::string text = CsvRecord(header);

  for (const v1::Trial& trial : trials) {
    std::vector<std::string> prefix = {absl::StrCat(trial.id()),
                                       TrialStateText(trial.state())};
    for (const std::string& name : parameters) {
      const v1::Value* value = FindParameter(trial, name);
      prefix.push_back(value == nullptr ? "" : ParameterText(*value));
    }
    if (trial.measurements().empty()) {
      prefix.resize(prefix.size() + 1 + metrics.size());
      text += CsvRecord(prefix);
      continue;
    }
    for (const v1::Measurement& measurement : trial.measurements()) {
      std::vector<std::string> row = prefix;
      row.push_back(absl::StrCat(measurement.step()));
      for (const std::string& name : metrics) {
        std::string cell;
        for (const auto& metric : measurement.metrics()) {
          if (metric.name() == name) cell = FormatValue(Value(metric.value()));
        }
        row.push_back(std::move(cell));
      }
      text += CsvRecord(row);
    }
  }
  return text;
}

std::string RenderBestTrial(const v1::Study& study) {
  const auto objective = StudyObjective(study.spec());
  if (!objective.has_value() || !study.has_best_trial() ||
      !study.best_trial().has_objective_value()) {
    return "";
  }
  const v1::Trial& best = study.best_trial();
  std::vector<std::string> parameters;
  for (const auto& parameter : best.parameters()) {
    parameters.push_back(absl::StrCat(parameter.name(), "=",
                                      ParameterDisplayText(parameter.value())));
  }
  return absl::StrCat("best trial ", best.id(), ": ", objective->name(), "=",
                      FormatMetricValue(best.objective_value()), " (",
                      absl::StrJoin(parameters, " "), ")");
}

}  // namespace augur
