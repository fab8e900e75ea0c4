#include "client/cli/study_compare.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/study_report.h"
#include "client/cli/table.h"
#include "client/cli/validate_report.h"
#include "core/space/parameter.h"

namespace augur {
namespace {

constexpr char kMissing[] = "-";

std::string JsonText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

void Flatten(const nlohmann::json& node, const std::string& path,
             std::map<std::string, std::string>& settings) {
  if (!node.is_object()) {
    settings[path] = JsonText(node);
    return;
  }
  for (const auto& [key, value] : node.items()) {
    Flatten(value, path.empty() ? key : absl::StrCat(path, ".", key), settings);
  }
}

// "linspace start=0.0 stop=1.0 num=3 -> 3 values: 0.0, 0.5, 1.0", or the
// entry as JSON when it is invalid (a stored spec has been validated, so
// that should not happen).
std::string MatrixEntryText(const v1::ParameterSpec& spec) {
  auto parameter = Parameter::Create(spec);
  if (!parameter.ok()) {
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(spec, &json);
    return json;
  }
  return absl::StrCat(OptionName(parameter->kind()), " ",
                      DescribeParameter(*parameter));
}

std::string StateText(v1::StudyState state) {
  std::string name = v1::StudyState_Name(state);
  if (name.rfind("STUDY_", 0) == 0) name = name.substr(6);
  return name;
}

std::string TrialsAgainstBudget(const v1::Study& study) {
  const int64_t total = study.pending_trials() + study.active_trials() +
                        study.succeeded_trials() + study.failed_trials() +
                        study.stopped_trials();
  if (study.budget() > 0) return absl::StrCat(total, " / ", study.budget());
  return absl::StrCat(total, " / set by ", AlgorithmName(study.spec()));
}

std::string ObjectiveText(const v1::Study& study) {
  const std::optional<v1::MetricSpec> objective = StudyObjective(study.spec());
  if (!objective.has_value()) return "none";
  return absl::StrCat(
      objective->optimization() == v1::MINIMIZE ? "minimize " : "maximize ",
      objective->name());
}

bool HasBestTrial(const v1::Study& study) {
  return study.has_best_trial() && study.best_trial().id() != 0;
}

std::optional<std::string> BestParameter(const v1::Study& study,
                                         const std::string& name) {
  if (!HasBestTrial(study)) return std::nullopt;
  for (const v1::Parameter& parameter : study.best_trial().parameters()) {
    if (parameter.name() == name) return ParameterText(parameter.value());
  }
  return std::nullopt;
}

std::string BestParameterDisplay(const v1::Study& study,
                                 const std::string& name) {
  if (!HasBestTrial(study)) return kMissing;
  for (const v1::Parameter& parameter : study.best_trial().parameters()) {
    if (parameter.name() == name)
      return ParameterDisplayText(parameter.value());
  }
  return kMissing;
}

std::vector<std::string> BestParameterNames(
    const std::vector<v1::Study>& studies) {
  std::vector<std::string> names;
  for (const v1::Study& study : studies) {
    if (!HasBestTrial(study)) continue;
    for (const v1::Parameter& parameter : study.best_trial().parameters()) {
      if (std::find(names.begin(), names.end(), parameter.name()) ==
          names.end()) {
        names.push_back(parameter.name());
      }
    }
  }
  return names;
}

// Adds one row: `label`, then one cell per study.
template <typename CellFunction>
void AddRow(TextTable& table, const std::string& label,
            const std::vector<v1::Study>& studies, CellFunction cell) {
  std::vector<std::string> row = {label};
  for (const v1::Study& study : studies) row.push_back(cell(study));
  table.AddRow(std::move(row));
}

std::vector<std::string> Headers(const std::vector<v1::Study>& studies) {
  std::vector<std::string> headers = {""};
  for (const v1::Study& study : studies) headers.push_back(study.name());
  return headers;
}

std::string SummaryTable(const std::vector<v1::Study>& studies) {
  TextTable table(Headers(studies));
  AddRow(table, "state", studies,
         [](const v1::Study& s) { return StateText(s.state()); });
  AddRow(table, "algorithm", studies,
         [](const v1::Study& s) { return AlgorithmName(s.spec()); });
  AddRow(table, "seed", studies,
         [](const v1::Study& s) { return absl::StrCat(s.seed()); });
  AddRow(table, "trials / budget", studies, TrialsAgainstBudget);
  AddRow(table, "succeeded", studies,
         [](const v1::Study& s) { return absl::StrCat(s.succeeded_trials()); });
  AddRow(table, "failed", studies,
         [](const v1::Study& s) { return absl::StrCat(s.failed_trials()); });
  AddRow(table, "stopped", studies,
         [](const v1::Study& s) { return absl::StrCat(s.stopped_trials()); });
  AddRow(table, "objective", studies, ObjectiveText);
  AddRow(table, "best trial", studies, [](const v1::Study& s) {
    return HasBestTrial(s) ? absl::StrCat(s.best_trial().id())
                           : std::string(kMissing);
  });
  AddRow(table, "best value", studies, [](const v1::Study& s) {
    if (!HasBestTrial(s) || !s.best_trial().has_objective_value())
      return std::string(kMissing);
    return FormatMetricValue(s.best_trial().objective_value());
  });
  return table.Render();
}

std::string BestParameterTable(const std::vector<v1::Study>& studies) {
  const std::vector<std::string> differing = DifferingBestParameters(studies);
  TextTable table(Headers(studies));
  for (const std::string& name : BestParameterNames(studies)) {
    const bool differs =
        std::find(differing.begin(), differing.end(), name) != differing.end();
    AddRow(
        table, differs ? name + " *" : name, studies,
        [&name](const v1::Study& s) { return BestParameterDisplay(s, name); });
  }
  return table.Render();
}

std::string SpecDifferenceTable(const std::vector<v1::Study>& studies) {
  std::vector<std::map<std::string, std::string>> flattened;
  std::set<std::string> paths;
  for (const v1::Study& study : studies) {
    flattened.push_back(FlattenStudySpec(study.spec()));
    for (const auto& [path, value] : flattened.back()) paths.insert(path);
  }

  TextTable table(Headers(studies));
  for (const std::string& path : paths) {
    std::vector<std::string> row = {path};
    for (const auto& settings : flattened) {
      const auto found = settings.find(path);
      row.push_back(found == settings.end() ? kMissing : found->second);
    }
    const bool all_equal =
        std::all_of(row.begin() + 2, row.end(),
                    [&row](const std::string& cell) { return cell == row[1]; });
    if (!all_equal) table.AddRow(std::move(row));
  }
  if (table.row_count() == 0)
    return "none: the specs are the same apart from their names\n";
  return table.Render();
}

}  // namespace

std::map<std::string, std::string> FlattenStudySpec(const v1::StudySpec& spec) {
  std::string json_text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  // Printing fails only on an Any field of an unknown type, and a
  // StudySpec has no Any fields.
  (void)google::protobuf::util::MessageToJsonString(spec, &json_text, options);

  nlohmann::json json = nlohmann::json::parse(json_text);
  json.erase("name");
  json.erase("parameters");
  json.erase("params");
  std::map<std::string, std::string> settings;
  Flatten(json, "", settings);

  for (const v1::ParameterSpec& parameter : spec.parameters()) {
    settings[absl::StrCat("matrix.", parameter.name())] =
        MatrixEntryText(parameter);
  }
  for (const v1::Parameter& fixed : spec.params()) {
    settings[absl::StrCat("params.", fixed.name())] =
        ParameterText(fixed.value());
  }
  return settings;
}

std::vector<std::string> DifferingBestParameters(
    const std::vector<v1::Study>& studies) {
  std::vector<std::string> differing;
  for (const std::string& name : BestParameterNames(studies)) {
    std::optional<std::optional<std::string>> first;
    bool differs = false;
    for (const v1::Study& study : studies) {
      if (!HasBestTrial(study)) continue;
      const std::optional<std::string> value = BestParameter(study, name);
      if (!first.has_value()) {
        first = value;
      } else if (*first != value) {
        differs = true;
      }
    }
    if (differs) differing.push_back(name);
  }
  return differing;
}

std::string RenderStudyComparison(const std::vector<v1::Study>& studies) {
  std::string text = SummaryTable(studies);

  const std::vector<std::string> differing = DifferingBestParameters(studies);
  absl::StrAppend(&text, "\nparameters of the best trials (* differs: ",
                  differing.empty() ? "none" : absl::StrJoin(differing, ", "),
                  ")\n");
  absl::StrAppend(&text, BestParameterNames(studies).empty()
                             ? "no study has a best trial yet\n"
                             : BestParameterTable(studies));

  absl::StrAppend(&text, "\nspec settings that differ\n",
                  SpecDifferenceTable(studies));
  return text;
}

}  // namespace augur
