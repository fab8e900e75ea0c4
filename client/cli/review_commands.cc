// augur add, restart and compare: commands that review a study and queue
// trials into it.

#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/assignment.h"
#include "client/cli/cli_util.h"
#include "client/cli/commands.h"
#include "client/cli/study_compare.h"
#include "client/cli/study_report.h"
#include "client/cli/table.h"
#include "core/status_macros.h"

namespace augur {
namespace {

std::string ParametersText(const v1::Trial& trial) {
  std::vector<std::string> parts;
  for (const v1::Parameter& parameter : trial.parameters()) {
    parts.push_back(absl::StrCat(parameter.name(), "=",
                                 ParameterDisplayText(parameter.value())));
  }
  return absl::StrJoin(parts, " ");
}

// Tells how a queued trial gets run, given the study's state.
void PrintRunHint(Client& client, const std::string& study_name) {
  auto study = client.GetStudy(study_name);
  if (!study.ok()) return;
  if (study->state() == v1::STUDY_ACTIVE) {
    std::cerr << "it runs with the next `augur resume " << study_name
              << "` or `augur run FILE` of this study\n";
    return;
  }
  std::cerr << "study " << study_name << " is "
            << v1::StudyState_Name(study->state()).substr(6);
  if (study->state() == v1::STUDY_FAILED) {
    // ResumeStudy rejects a FAILED study, so the trial waits until the
    // study's file runs under a new name or the trial is added elsewhere.
    std::cerr << "; a FAILED study cannot be resumed, so the trial stays "
                 "PENDING\n";
    return;
  }
  std::cerr << "; `augur resume " << study_name
            << "` reopens it and runs the trial\n";
}

absl::StatusOr<v1::AddTrialRequest> BuildAddRequest(
    const AddCommandOptions& options) {
  if (options.parameters.empty()) {
    return absl::InvalidArgumentError(
        "no --param given; pass each matrix parameter as --param NAME=VALUE");
  }
  if (!options.import && !options.metrics.empty()) {
    return absl::InvalidArgumentError(
        "--metric needs --import: only an imported result carries metrics; "
        "a queued trial reports its own when it runs");
  }

  v1::AddTrialRequest request;
  request.set_study(options.study);
  request.set_state(options.import ? v1::SUCCEEDED : v1::PENDING);
  for (const std::string& text : options.parameters) {
    AUGUR_ASSIGN_OR_RETURN(*request.add_parameters(),
                           ParseParameterAssignment(text));
  }
  if (!options.metrics.empty()) {
    v1::Measurement* measurement = request.add_measurements();
    measurement->set_step(options.step);
    for (const std::string& text : options.metrics) {
      AUGUR_ASSIGN_OR_RETURN(*measurement->add_metrics(),
                             ParseMetricAssignment(text));
    }
  }
  return request;
}

absl::StatusOr<std::vector<v1::Study>> GetStudies(
    Client& client, const std::vector<std::string>& names) {
  std::vector<v1::Study> studies;
  for (const std::string& name : names) {
    AUGUR_ASSIGN_OR_RETURN(studies.emplace_back(), client.GetStudy(name));
  }
  return studies;
}

}  // namespace

int AddTrialCommand(const AddCommandOptions& options) {
  auto request = BuildAddRequest(options);
  if (!request.ok()) return PrintError(request.status());
  auto connection = Connection::Open(options.connection);
  if (!connection.ok()) return PrintError(connection.status());

  Client& client = (*connection)->client();
  auto trial = client.AddTrial(*request);
  if (!trial.ok()) return PrintError(trial.status());

  if (options.import) {
    std::vector<std::string> metrics;
    for (const v1::Metric& metric : trial->latest_metrics()) {
      metrics.push_back(
          absl::StrCat(metric.name(), "=", FormatMetricValue(metric.value())));
    }
    std::cout << "imported trial " << trial->id() << " into study "
              << trial->study() << " as SUCCEEDED: " << ParametersText(*trial)
              << (metrics.empty() ? "" : " -> ") << absl::StrJoin(metrics, " ")
              << "\n";
    std::cerr << "the algorithm counts this point as already suggested\n";
    return kExitOk;
  }
  std::cout << "queued trial " << trial->id() << " in study " << trial->study()
            << " as PENDING: " << ParametersText(*trial) << "\n";
  PrintRunHint(client, trial->study());
  return kExitOk;
}

int RestartTrialCommand(int64_t trial_id, bool resume,
                        const ConnectionOptions& connection_options) {
  auto connection = Connection::Open(connection_options);
  if (!connection.ok()) return PrintError(connection.status());

  Client& client = (*connection)->client();
  auto trial = client.RestartTrial(trial_id, resume);
  if (!trial.ok()) return PrintError(trial.status());

  std::cout << "queued trial " << trial->id() << " in study " << trial->study()
            << " as PENDING: restarts trial " << trial->parent_id() << " ("
            << ParametersText(*trial) << ")"
            << (trial->resume_from_parent() ? ", resuming from its checkpoint"
                                            : ", starting fresh")
            << "\n";
  PrintRunHint(client, trial->study());
  return kExitOk;
}

int CompareStudiesCommand(const std::vector<std::string>& names,
                          const ConnectionOptions& connection_options) {
  if (names.size() < 2) {
    return PrintError(absl::InvalidArgumentError(
        "compare needs at least two study names; `augur show STUDY` shows "
        "one study"));
  }
  auto connection = Connection::Open(connection_options);
  if (!connection.ok()) return PrintError(connection.status());

  auto studies = GetStudies((*connection)->client(), names);
  if (!studies.ok()) return PrintError(studies.status());
  std::cout << RenderStudyComparison(*studies);
  return kExitOk;
}

}  // namespace augur
