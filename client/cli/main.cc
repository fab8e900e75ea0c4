// The augur command line: runs studies locally and inspects them.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <string>
#include <vector>

#include "client/cli/commands.h"

namespace {

// Adds --db and --server to `command`, filling `connection`.
void AddConnectionOptions(CLI::App* command,
                          augur::ConnectionOptions* connection) {
  CLI::Option* db = command->add_option(
      "--db", connection->database_path,
      "SQLite file of an embedded server started for this command");
  db->capture_default_str();
  CLI::Option* server = command->add_option(
      "--server", connection->server_address,
      "host:port of a running augur server, instead of --db");
  db->excludes(server);
}

// Adds the options of the local runner, shared by run and resume.
void AddLocalRunOptions(CLI::App* command, augur::LocalRunOptions* local) {
  command->add_option("--concurrency", local->concurrency,
                      "Trial processes at once (default: the study's concurrency)")
      ->check(CLI::PositiveNumber);
  command->add_option("--runs-dir", local->runs_directory,
                      "Directory of the trial output directories "
                      "(<runs-dir>/<study>/<trial id>/)")
      ->capture_default_str();
  command->add_option("--stop-grace", local->stop_grace_seconds,
                      "Seconds between SIGTERM and SIGKILL for a trial told to stop")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"augur: hyperparameter tuning for Polyaxon-style study files"};
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log server and runner details to stderr");

  augur::RunCommandOptions run_options;
  CLI::App* run = app.add_subcommand(
      "run", "Create the study of FILE (or continue it) and run its trials on "
             "this machine; run.cmd runs in FILE's directory");
  run->add_option("FILE", run_options.file, "Polyaxon group file (YAML)")
      ->required();
  AddConnectionOptions(run, &run_options.connection);
  AddLocalRunOptions(run, &run_options.local);

  std::string create_file;
  augur::ConnectionOptions create_connection;
  CLI::App* create = app.add_subcommand(
      "create", "Create the study of FILE and print its name, seed, budget and "
                "notes");
  create->add_option("FILE", create_file, "Polyaxon group file (YAML)")
      ->required();
  AddConnectionOptions(create, &create_connection);

  std::string validate_file;
  CLI::App* validate = app.add_subcommand(
      "validate", "Check FILE without running anything and print its study: "
                  "algorithm, parameters with their values, size of the space "
                  "and budget; exit status 2 when FILE is invalid");
  validate->add_option("FILE", validate_file, "Polyaxon group file (YAML)")
      ->required();

  augur::ConnectionOptions ls_connection;
  ls_connection.create_database = false;
  CLI::App* ls = app.add_subcommand(
      "ls", "List the studies with their state, trial counts and best value");
  AddConnectionOptions(ls, &ls_connection);

  augur::ShowCommandOptions show_options;
  show_options.connection.create_database = false;
  CLI::App* show = app.add_subcommand(
      "show", "Show a study and its trials, best objective first");
  show->add_option("STUDY", show_options.study, "Study name")->required();
  show->add_option("--format", show_options.format,
                   "Output format: table, json (every trial with every "
                   "measurement) or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  show->add_option("--csv-rows", show_options.csv_rows,
                   "With --format csv: one row per trial with its latest "
                   "values, or one row per measurement")
      ->check(CLI::IsMember({"trial", "measurement"}))
      ->capture_default_str();
  show->add_option("--where", show_options.where,
                   "Keep the trials that meet every condition, such as "
                   "'accuracy > 0.9 and kernel == rbf, state == SUCCEEDED'");
  show->add_option("--sort", show_options.sort,
                   "Sort by metrics or parameters, '-' for descending, such "
                   "as -accuracy,lr (missing values last)");
  AddConnectionOptions(show, &show_options.connection);

  std::vector<std::string> compare_studies;
  augur::ConnectionOptions compare_connection;
  compare_connection.create_database = false;
  CLI::App* compare = app.add_subcommand(
      "compare", "Show studies side by side: state, budget used, best trial, "
                 "the parameters that differ between the best trials and the "
                 "spec settings that differ");
  compare->add_option("STUDY", compare_studies, "Two or more study names")
      ->required();
  AddConnectionOptions(compare, &compare_connection);

  augur::AddCommandOptions add_options;
  add_options.connection.create_database = false;
  CLI::App* add = app.add_subcommand(
      "add", "Queue a trial with given parameters as PENDING, or with "
             "--import record a finished result (SUCCEEDED) to warm-start the "
             "study; the algorithm never suggests an added point again");
  add->add_option("STUDY", add_options.study, "Study name")->required();
  add->add_option("--param", add_options.parameters,
                  "NAME=VALUE for each matrix parameter; VALUE is read as a "
                  "bool, int, float or string (quote it for a string)")
      ->required();
  CLI::Option* import = add->add_flag(
      "--import", add_options.import,
      "Record a finished result as SUCCEEDED instead of queueing a trial");
  add->add_option("--metric", add_options.metrics,
                  "NAME=NUMBER of the imported result (repeatable)")
      ->needs(import);
  add->add_option("--step", add_options.step,
                  "Step of the imported measurement")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber)
      ->needs(import);
  AddConnectionOptions(add, &add_options.connection);

  int64_t restart_trial = 0;
  bool restart_resume = false;
  augur::ConnectionOptions restart_connection;
  restart_connection.create_database = false;
  CLI::App* restart = app.add_subcommand(
      "restart", "Queue a finished trial's parameters again as a new PENDING "
                 "trial whose parent is TRIAL");
  restart->add_option("TRIAL", restart_trial, "Trial id")
      ->required()
      ->check(CLI::PositiveNumber);
  restart->add_flag("--resume", restart_resume,
                    "Tell the new trial to load TRIAL's checkpoint "
                    "(AUGUR_RESUME_FROM and AUGUR_RESUME_DIR)");
  AddConnectionOptions(restart, &restart_connection);

  augur::ResumeCommandOptions resume_options;
  resume_options.connection.create_database = false;
  CLI::App* resume = app.add_subcommand(
      "resume", "Reopen a STOPPED or COMPLETED study and run its trials here, "
                "as `augur run FILE` does; run.cmd runs in --workdir");
  resume->add_option("STUDY", resume_options.study, "Study name")->required();
  resume->add_option("--budget", resume_options.budget,
                     "New total number of trials the algorithm may create "
                     "(larger than the current budget)")
      ->check(CLI::PositiveNumber);
  resume->add_flag("--no-run", resume_options.no_run,
                   "Only reopen the study on the server; run no trial");
  resume->add_option("--workdir", resume_options.working_directory,
                     "Working directory of run.cmd (the study file's "
                     "directory, for a study made by `augur run FILE`)")
      ->capture_default_str()
      ->check(CLI::ExistingDirectory);
  AddConnectionOptions(resume, &resume_options.connection);
  AddLocalRunOptions(resume, &resume_options.local);

  std::string stop_study;
  std::string stop_reason = "stopped by the user";
  augur::ConnectionOptions stop_connection;
  stop_connection.create_database = false;
  CLI::App* stop = app.add_subcommand(
      "stop", "Stop a study: no new trials, and running trials are told to "
              "stop");
  stop->add_option("STUDY", stop_study, "Study name")->required();
  stop->add_option("--reason", stop_reason, "Why, as shown by augur show")
      ->capture_default_str();
  AddConnectionOptions(stop, &stop_connection);

  CLI11_PARSE(app, argc, argv);
  // The embedded server logs each rejected request as a warning, which would
  // repeat the error that a one-shot command prints itself. Runs keep
  // warnings, because the runner logs the trial calls it cannot make there.
  const bool runs_trials = run->parsed() || resume->parsed();
  spdlog::set_level(verbose       ? spdlog::level::debug
                    : runs_trials ? spdlog::level::warn
                                  : spdlog::level::err);

  if (run->parsed()) return augur::RunStudyCommand(run_options);
  if (create->parsed()) {
    return augur::CreateStudyCommand(create_file, create_connection);
  }
  if (validate->parsed()) return augur::ValidateFileCommand(validate_file);
  if (ls->parsed()) return augur::ListStudiesCommand(ls_connection);
  if (compare->parsed()) {
    return augur::CompareStudiesCommand(compare_studies, compare_connection);
  }
  if (add->parsed()) return augur::AddTrialCommand(add_options);
  if (restart->parsed()) {
    return augur::RestartTrialCommand(restart_trial, restart_resume,
                                      restart_connection);
  }
  if (resume->parsed()) return augur::ResumeStudyCommand(resume_options);
  if (stop->parsed()) {
    return augur::StopStudyCommand(stop_study, stop_reason, stop_connection);
  }
  return augur::ShowStudyCommand(show_options);
}
