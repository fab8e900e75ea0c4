#include "client/cli/validate_report.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/study_report.h"
#include "client/cli/table.h"
#include "core/algorithms/hyperband_schedule.h"
#include "core/space/parameter.h"

namespace augur {
namespace {

// Values listed per enumerated parameter before the rest are elided.
constexpr int64_t kMaxListedValues = 7;

std::string Number(double value) { return FormatValue(Value(value)); }

std::string OptimizationText(v1::Optimization optimization) {
  return optimization == v1::MINIMIZE ? "minimize" : "maximize";
}

// The option's arguments as the file gives them, for example
// "start=0 stop=1 num=3".
std::string OptionArguments(const Parameter& parameter) {
  const v1::ParameterSpec& spec = parameter.spec();
  switch (spec.option_case()) {
    case v1::ParameterSpec::kRange:
      return absl::StrCat("start=", Number(spec.range().start()),
                          " stop=", Number(spec.range().stop()),
                          " step=", Number(spec.range().step()));
    case v1::ParameterSpec::kLinspace:
    case v1::ParameterSpec::kLogspace:
    case v1::ParameterSpec::kGeomspace: {
      const v1::SpaceOption& option =
          spec.option_case() == v1::ParameterSpec::kLinspace ? spec.linspace()
          : spec.option_case() == v1::ParameterSpec::kLogspace
              ? spec.logspace()
              : spec.geomspace();
      std::string text =
          absl::StrCat("start=", Number(option.start()),
                       " stop=", Number(option.stop()), " num=", option.num());
      if (spec.option_case() == v1::ParameterSpec::kLogspace) {
        absl::StrAppend(
            &text, " base=", Number(option.has_base() ? option.base() : 10.0));
      }
      return text;
    }
    case v1::ParameterSpec::kUniform:
    case v1::ParameterSpec::kLoguniform: {
      const v1::UniformOption& option =
          spec.option_case() == v1::ParameterSpec::kUniform ? spec.uniform()
                                                            : spec.loguniform();
      return absl::StrCat("low=", Number(option.low()),
                          " high=", Number(option.high()));
    }
    case v1::ParameterSpec::kQuniform:
    case v1::ParameterSpec::kQloguniform: {
      const v1::UniformOption& option =
          spec.option_case() == v1::ParameterSpec::kQuniform
              ? spec.quniform()
              : spec.qloguniform();
      return absl::StrCat("low=", Number(option.low()),
                          " high=", Number(option.high()),
                          " q=", Number(option.q()));
    }
    case v1::ParameterSpec::kNormal:
    case v1::ParameterSpec::kLognormal: {
      const v1::NormalOption& option =
          spec.option_case() == v1::ParameterSpec::kNormal ? spec.normal()
                                                           : spec.lognormal();
      return absl::StrCat("loc=", Number(option.loc()),
                          " scale=", Number(option.scale()));
    }
    case v1::ParameterSpec::kQnormal:
    case v1::ParameterSpec::kQlognormal: {
      const v1::NormalOption& option =
          spec.option_case() == v1::ParameterSpec::kQnormal ? spec.qnormal()
                                                            : spec.qlognormal();
      return absl::StrCat("loc=", Number(option.loc()),
                          " scale=", Number(option.scale()),
                          " q=", Number(option.q()));
    }
    case v1::ParameterSpec::kValues:
    case v1::ParameterSpec::kPvalues:
    case v1::ParameterSpec::OPTION_NOT_SET:
      break;
  }
  return "";
}

// "3 values: 0, 0.5, 1", eliding the middle of a long list. Floats show at
// most 6 significant digits, as in `augur show`.
std::string ListedValues(const Parameter& parameter) {
  const int64_t size = parameter.size();
  std::vector<std::string> shown;
  for (int64_t i = 0; i < size; ++i) {
    if (size > kMaxListedValues && i == kMaxListedValues - 2) {
      shown.push_back("...");
      i = size - 1;
    }
    shown.push_back(ParameterDisplayText(ValueToProto(parameter.ValueAt(i))));
  }
  return absl::StrCat(
      size, size == 1 ? " value: " : " values: ", absl::StrJoin(shown, ", "));
}

std::string PValuesText(const Parameter& parameter) {
  std::vector<std::string> entries;
  for (const auto& entry : parameter.spec().pvalues().entries()) {
    entries.push_back(absl::StrCat(FormatValue(ValueFromProto(entry.value())),
                                   " (p=", Number(entry.probability()), ")"));
  }
  return absl::StrCat("draws one of ", absl::StrJoin(entries, ", "));
}

std::string AlgorithmSettings(const StudyConfig& config) {
  const v1::StudySpec& spec = config.spec();
  switch (spec.algorithm_case()) {
    case v1::StudySpec::kRandomSearch:
      return absl::StrCat("n_experiments=",
                          spec.random_search().n_experiments());
    case v1::StudySpec::kHyperband: {
      const v1::Hyperband& hyperband = spec.hyperband();
      return absl::StrCat(
          "max_iter=", Number(hyperband.max_iter()),
          " eta=", Number(hyperband.eta()),
          " resource=", hyperband.resource().name(), " (",
          hyperband.resource().type() == v1::Hyperband::FLOAT ? "float" : "int",
          ") resume=", hyperband.resume() ? "true" : "false");
    }
    case v1::StudySpec::kBo: {
      const v1::BayesianOptimization& bo = spec.bo();
      const auto acquisition = bo.utility_function().acquisition_function();
      return absl::StrCat("n_initial_trials=", bo.n_initial_trials(),
                          " n_iterations=", bo.n_iterations(), " acquisition=",
                          acquisition == v1::BayesianOptimization::EI ? "ei"
                          : acquisition == v1::BayesianOptimization::POI
                              ? "poi"
                              : "ucb",
                          " kernel=",
                          bo.utility_function().gaussian_process().kernel() ==
                                  v1::BayesianOptimization::RBF
                              ? "rbf"
                              : "matern");
    }
    case v1::StudySpec::kGridSearch:
      if (spec.grid_search().n_experiments() > 0) {
        return absl::StrCat("n_experiments=",
                            spec.grid_search().n_experiments());
      }
      break;
    case v1::StudySpec::ALGORITHM_NOT_SET:
      break;
  }
  return "whole grid";
}

// One line per Hyperband bracket, each rung as trials@resource:
// "  bracket s=4: 81@1 27@3 9@9 3@27 1@81". Sets `total` to the trials of
// all brackets.
std::string HyperbandBrackets(const v1::Hyperband& hyperband, int64_t* total) {
  auto schedule =
      HyperbandSchedule::Create(hyperband.max_iter(), hyperband.eta());
  if (!schedule.ok()) return "";
  *total = schedule->total_trials();

  std::string text;
  for (const HyperbandBracket& bracket : schedule->brackets()) {
    std::vector<std::string> rungs;
    for (const HyperbandRung& rung : bracket.rungs) {
      rungs.push_back(
          absl::StrCat(rung.num_trials, "@", FormatMetricValue(rung.resource)));
    }
    absl::StrAppend(&text, "  bracket s=", bracket.s, ": ",
                    absl::StrJoin(rungs, " "), "\n");
  }
  return text;
}

std::string BudgetText(const StudyConfig& config, int64_t hyperband_total) {
  if (config.initial_budget() > 0)
    return absl::StrCat(config.initial_budget(), " trials");
  if (hyperband_total > 0) {
    return absl::StrCat(hyperband_total,
                        " trials over all brackets, promotions included");
  }
  return "set by the algorithm";
}

}  // namespace

std::string DescribeParameter(const Parameter& parameter) {
  if (parameter.kind() == OptionKind::kPValues) return PValuesText(parameter);
  const std::string arguments = OptionArguments(parameter);
  if (parameter.is_enumerated()) {
    if (arguments.empty()) return ListedValues(parameter);
    return absl::StrCat(arguments, " -> ", ListedValues(parameter));
  }
  return absl::StrCat(arguments, ", continuous");
}

std::string SpaceSizeText(const SearchSpace& space) {
  if (const auto grid_size = space.grid_size()) {
    return absl::StrCat(*grid_size,
                        *grid_size == 1 ? " grid point" : " grid points");
  }
  if (const auto distinct = space.distinct_count()) {
    return absl::StrCat(
        *distinct, " distinct points (not a grid: pvalues draws its values)");
  }

  std::vector<std::string> continuous;
  bool finite = true;
  for (const Parameter& parameter : space.parameters()) {
    if (!parameter.has_finite_support()) {
      finite = false;
      continuous.push_back(
          absl::StrCat(OptionName(parameter.kind()), " ", parameter.name()));
    }
  }
  if (finite) {
    return absl::StrCat("more than ", std::numeric_limits<int64_t>::max(),
                        " points");
  }
  return absl::StrCat("continuous (", absl::StrJoin(continuous, ", "), ")");
}

std::string RenderStudyFileSummary(const StudyConfig& config) {
  const v1::StudySpec& spec = config.spec();
  std::string text = absl::StrCat("study:       ", spec.name(), "\n");
  absl::StrAppend(&text, "algorithm:   ", AlgorithmName(spec), " (",
                  AlgorithmSettings(config), ")\n");
  int64_t hyperband_total = 0;
  const std::string brackets =
      spec.has_hyperband()
          ? HyperbandBrackets(spec.hyperband(), &hyperband_total)
          : "";
  absl::StrAppend(&text, brackets);

  if (const auto objective = StudyObjective(spec)) {
    absl::StrAppend(
        &text, "objective:   ", OptimizationText(objective->optimization()),
        " ", objective->name(), "\n");
  } else {
    absl::StrAppend(
        &text,
        "objective:   none (no metric: the study names no best trial)\n");
  }
  absl::StrAppend(&text, "concurrency: ", config.concurrency(), "\n");
  absl::StrAppend(&text, "seed:        ",
                  spec.has_seed() ? absl::StrCat(spec.seed())
                                  : "drawn when the study is created",
                  "\n");

  absl::StrAppend(&text, "parameters:\n");
  TextTable table({"name", "option", "values"});
  for (const Parameter& parameter : config.space().parameters()) {
    table.AddRow({parameter.name(), OptionName(parameter.kind()),
                  DescribeParameter(parameter)});
  }
  absl::StrAppend(&text, table.Render());
  for (const v1::Parameter& fixed : spec.params()) {
    absl::StrAppend(&text, "fixed:       ", fixed.name(), "=",
                    ParameterText(fixed.value()), "\n");
  }

  absl::StrAppend(&text, "space:       ", SpaceSizeText(config.space()), "\n");
  absl::StrAppend(&text, "budget:      ", BudgetText(config, hyperband_total),
                  "\n");
  for (const std::string& note : config.notes()) {
    absl::StrAppend(&text, "note:        ", note, "\n");
  }
  if (!spec.run().cmd().empty())
    absl::StrAppend(&text, "run.cmd:     ", spec.run().cmd(), "\n");
  return text;
}

}  // namespace augur
