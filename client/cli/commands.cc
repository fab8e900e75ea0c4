#include "client/cli/commands.h"

#include <filesystem>
#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/cli_util.h"
#include "client/cli/study_report.h"
#include "client/cli/trial_query.h"
#include "client/runner/interrupt.h"
#include "client/runner/local_runner.h"
#include "core/spec/polyaxonfile.h"
#include "core/status_macros.h"
#include "core/study_config.h"

namespace augur {
namespace {

// Calls CreateStudy; a taken name gets a message with the fix.
absl::StatusOr<v1::Study> CreateStudy(Client& client,
                                      const v1::StudySpec& spec,
                                      const ConnectionOptions& connection) {
  auto study = client.CreateStudy(spec);
  if (absl::IsAlreadyExists(study.status())) {
    const std::string where = connection.server_address.empty()
                                  ? "database " + connection.database_path
                                  : "server " + connection.server_address;
    return absl::AlreadyExistsError(absl::StrCat(
        study.status().message(), "; the ", where,
        " already has a study named ", spec.name(),
        " with a different spec. Rename the study (`name:` in the file) or "
        "use another database"));
  }
  return study;
}

void PrintStudySummary(const v1::Study& study, std::ostream& out) {
  out << "study:  " << study.name() << "\n"
      << "seed:   " << study.seed() << "\n"
      << "budget: "
      << (study.budget() > 0 ? absl::StrCat(study.budget(), " trials")
                             : "set by the algorithm")
      << "\n";
  for (const std::string& note : study.notes()) {
    out << "note:   " << note << "\n";
  }
}

// Applies `where` and `sort` (either may be empty) to the trials of `study`.
absl::StatusOr<std::vector<v1::Trial>> SelectTrials(
    const v1::Study& study, std::vector<v1::Trial> trials,
    const std::string& where, const std::string& sort) {
  const TrialKeyNames names = CollectTrialKeyNames(study, trials);
  std::vector<TrialCondition> conditions;
  if (!where.empty()) {
    AUGUR_ASSIGN_OR_RETURN(conditions, ParseTrialFilter(where, names));
  }
  std::vector<TrialSortKey> sort_keys;
  if (!sort.empty()) {
    AUGUR_ASSIGN_OR_RETURN(sort_keys, ParseTrialSort(sort, names));
  }

  std::vector<v1::Trial> selected;
  for (v1::Trial& trial : trials) {
    if (MatchesFilter(trial, conditions, study.spec())) {
      selected.push_back(std::move(trial));
    }
  }
  SortTrials(selected, sort_keys, study.spec());
  return selected;
}

// Prints the state of a study that is not ACTIVE, with the command that
// reopens it, because the runner would start no trial.
void PrintEndedStudyHint(const v1::Study& study) {
  if (study.state() != v1::STUDY_STOPPED && study.state() != v1::STUDY_COMPLETED) return;
  std::cerr << "augur: study " << study.name() << " is "
            << v1::StudyState_Name(study.state()).substr(6) << " ("
            << study.state_reason() << "); `augur resume " << study.name()
            << "` reopens it, with --budget N to allow more trials\n";
}

// Runs the trials of `study` with the local runner until the study ends or
// the user interrupts, then prints the trial table and the best trial.
absl::StatusOr<int> RunLocally(Connection& connection, v1::Study study,
                               const std::string& working_directory,
                               const LocalRunOptions& options) {
  AUGUR_ASSIGN_OR_RETURN(StudyConfig config, StudyConfig::Create(study.spec()));

  const int64_t done = study.succeeded_trials() + study.failed_trials() +
                       study.stopped_trials();
  std::cerr << (done > 0 ? "continuing" : "running") << " study "
            << study.name() << " (seed " << study.seed() << ", "
            << AlgorithmName(study.spec()) << ", concurrency "
            << config.concurrency() << ")";
  if (done > 0) std::cerr << ": " << done << " trials done before";
  std::cerr << "\n";
  for (const std::string& note : study.notes()) {
    std::cerr << "note: " << note << "\n";
  }
  PrintEndedStudyHint(study);

  LocalRunnerOptions runner_options;
  runner_options.concurrency = options.concurrency > 0
                                   ? options.concurrency
                                   : static_cast<int>(config.concurrency());
  if (runner_options.concurrency > config.concurrency()) {
    std::cerr << "augur: note: --concurrency " << options.concurrency
              << " exceeds the study's concurrency " << config.concurrency()
              << "; the server runs at most " << config.concurrency()
              << " trials at once\n";
  }
  runner_options.runs_directory = options.runs_directory;
  runner_options.working_directory =
      std::filesystem::absolute(working_directory).string();
  runner_options.stop_grace_period = absl::Seconds(options.stop_grace_seconds);
  runner_options.progress = &std::cerr;

  AUGUR_RETURN_IF_ERROR(InterruptSignals::Install());
  LocalRunner runner(&connection.client(), connection.address(),
                     std::move(study), std::move(config), runner_options);
  AUGUR_ASSIGN_OR_RETURN(const LocalRunResult result, runner.Run());

  AUGUR_ASSIGN_OR_RETURN(
      const std::vector<v1::Trial> trials,
      connection.client().ListTrials(result.study.name(), {}, true));
  std::cout << RenderStudyTable(result.study, trials);

  if (result.interrupted) {
    std::cerr << "augur: interrupted; run the same command again (or `augur resume "
              << result.study.name() << "`) to continue the study\n";
    return kExitInterrupted;
  }
  if (result.study.state() == v1::STUDY_FAILED) {
    std::cerr << "augur: study " << result.study.name() << " FAILED: "
              << result.study.state_reason() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

absl::StatusOr<int> RunStudy(const RunCommandOptions& options) {
  AUGUR_ASSIGN_OR_RETURN(const StudyFile study_file,
                         ReadStudyFile(options.file));

  // Checked before the study is created, so a file that cannot run leaves
  // nothing behind in the database.
  if (study_file.spec.run().cmd().empty() &&
      study_file.spec.runner() != v1::KUBERNETES) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.file, " has no run.cmd; add a `run:` section with a `cmd:` "
        "line holding the command that trains one trial"));
  }

  AUGUR_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                         Connection::Open(options.connection));
  AUGUR_ASSIGN_OR_RETURN(
      v1::Study study,
      CreateStudy(connection->client(), study_file.spec, options.connection));

  const std::string working_directory =
      std::filesystem::absolute(options.file).parent_path().string();
  return RunLocally(*connection, std::move(study), working_directory,
                    options.local);
}

absl::StatusOr<int> ResumeStudy(const ResumeCommandOptions& options) {
  AUGUR_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                         Connection::Open(options.connection));
  AUGUR_ASSIGN_OR_RETURN(
      v1::Study study,
      connection->client().ResumeStudy(options.study, options.budget));
  std::cerr << "study " << study.name() << " is ACTIVE"
            << (study.state_reason().empty() ? ""
                                             : " (" + study.state_reason() + ")")
            << ", budget "
            << (study.budget() > 0 ? absl::StrCat(study.budget(), " trials")
                                   : "set by the algorithm")
            << "\n";

  if (options.no_run) {
    std::cout << "study " << study.name() << " is "
              << v1::StudyState_Name(study.state()).substr(6)
              << "; run its trials with `augur resume " << study.name()
              << "` or `augur run FILE`\n";
    return kExitOk;
  }
  if (study.spec().runner() == v1::KUBERNETES) {
    std::cout << "study " << study.name()
              << " is ACTIVE; its runner is kubernetes, so the augur "
                 "dispatcher starts its trials\n";
    return kExitOk;
  }
  return RunLocally(*connection, std::move(study), options.working_directory,
                    options.local);
}

}  // namespace

int RunStudyCommand(const RunCommandOptions& options) {
  auto exit_code = RunStudy(options);
  if (!exit_code.ok()) return PrintError(exit_code.status());
  return *exit_code;
}

int ResumeStudyCommand(const ResumeCommandOptions& options) {
  auto exit_code = ResumeStudy(options);
  if (!exit_code.ok()) return PrintError(exit_code.status());
  return *exit_code;
}

int CreateStudyCommand(const std::string& file,
                       const ConnectionOptions& connection_options) {
  auto study_file = ReadStudyFile(file);
  if (!study_file.ok()) return PrintError(study_file.status());
  auto connection = Connection::Open(connection_options);
  if (!connection.ok()) return PrintError(connection.status());

  auto study = CreateStudy((*connection)->client(), study_file->spec,
                           connection_options);
  if (!study.ok()) return PrintError(study.status());
  PrintStudySummary(*study, std::cout);
  return kExitOk;
}

int ListStudiesCommand(const ConnectionOptions& connection_options) {
  auto connection = Connection::Open(connection_options);
  if (!connection.ok()) return PrintError(connection.status());

  auto studies = (*connection)->client().ListStudies();
  if (!studies.ok()) return PrintError(studies.status());
  if (studies->empty()) {
    std::cerr << "no studies yet; create one with `augur run FILE`\n";
    return kExitOk;
  }
  std::cout << RenderStudyList(*studies);
  return kExitOk;
}

int StopStudyCommand(const std::string& study_name, const std::string& reason,
                     const ConnectionOptions& connection_options) {
  auto connection = Connection::Open(connection_options);
  if (!connection.ok()) return PrintError(connection.status());

  auto study = (*connection)->client().StopStudy(study_name, reason);
  if (!study.ok()) return PrintError(study.status());
  std::cout << "study " << study->name() << " is "
            << v1::StudyState_Name(study->state()).substr(6) << "\n";
  return kExitOk;
}

int ShowStudyCommand(const ShowCommandOptions& options) {
  auto connection = Connection::Open(options.connection);
  if (!connection.ok()) return PrintError(connection.status());

  auto study = (*connection)->client().GetStudy(options.study);
  if (!study.ok()) return PrintError(study.status());
  auto trials = (*connection)->client().ListTrials(options.study, {}, true);
  if (!trials.ok()) return PrintError(trials.status());

  const size_t total = trials->size();
  auto shown = SelectTrials(*study, *std::move(trials), options.where,
                            options.sort);
  if (!shown.ok()) return PrintError(shown.status());
  if (!options.where.empty()) {
    std::cerr << shown->size() << " of " << total
              << " trials match --where " << options.where << "\n";
  }

  if (options.format == "json") {
    std::cout << RenderStudyJson(*study, *shown);
  } else if (options.format == "csv" && options.csv_rows == "measurement") {
    std::cout << RenderStudyMeasurementsCsv(*study, *shown);
  } else if (options.format == "csv") {
    std::cout << RenderStudyCsv(*study, *shown);
  } else {
    std::cout << RenderStudyTable(*study, *shown);
  }
  return kExitOk;
}

}  // namespace augur
