#ifndef AUGUR_CLIENT_CLI_STUDY_REPORT_H_
#define AUGUR_CLIENT_CLI_STUDY_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "augur/v1/augur.pb.h"

namespace augur {

// The metric a study optimises, read from its spec: `metric`, or the
// Hyperband or BO metric. nullopt for a study without one.
std::optional<v1::MetricSpec> StudyObjective(const v1::StudySpec& spec);

// "grid_search", "random_search", "hyperband" or "bo".
std::string AlgorithmName(const v1::StudySpec& spec);

// Returns a trial's parameter value as text, as it reaches run.cmd.
std::string ParameterText(const v1::Value& value);

// Returns a parameter value for people: doubles with at most 6 significant
// digits, everything else as ParameterText.
std::string ParameterDisplayText(const v1::Value& value);

// Renders `augur ls`: one row per study with its state, trial counts and
// best objective value.
std::string RenderStudyList(const std::vector<v1::Study>& studies);

// Renders `augur show` as text: a summary of the study, then a table of the
// trials in the given order with parameters, state, latest metrics and
// objective, plus a parent column when a trial continues another.
std::string RenderStudyTable(const v1::Study& study,
                             const std::vector<v1::Trial>& trials);

// Renders the study and its trials as one JSON document:
// {"study": {...}, "trials": [{"id", "state", "parameters", "latest_metrics",
// "objective_value", "measurements", ...}]}. Parameter values keep their
// types; a missing objective is null.
std::string RenderStudyJson(const v1::Study& study,
                            const std::vector<v1::Trial>& trials);

// Renders the trials as CSV with a header row: trial, state, one column per
// parameter, one per metric name, objective, message.
std::string RenderStudyCsv(const v1::Study& study,
                           const std::vector<v1::Trial>& trials);

// Renders every measurement as CSV with a header row: trial, state, one
// column per parameter, step, one column per metric name reported in any
// measurement. Each measurement is one row, in step order. A trial without
// measurements (PENDING, or imported without metrics) gets one row with an
// empty step, so that no trial is left out.
std::string RenderStudyMeasurementsCsv(const v1::Study& study,
                                       const std::vector<v1::Trial>& trials);

// Returns "best trial 8: accuracy=0.97 (C=1.5 gamma=0.001)", or an empty
// string when the study has no best trial.
std::string RenderBestTrial(const v1::Study& study);

}  // namespace augur

#endif  // AUGUR_CLIENT_CLI_STUDY_REPORT_H_
