#ifndef AUGUR_CLIENT_CLI_COMMANDS_H_
#define AUGUR_CLIENT_CLI_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/cli/connection.h"

namespace augur {

// Exit codes of the augur CLI.
inline constexpr int kExitOk = 0;
// The command failed (server error, study FAILED, invalid input).
inline constexpr int kExitFailure = 1;
// `augur validate`: the study file is missing, unreadable or invalid.
inline constexpr int kExitInvalidFile = 2;
// SIGINT or SIGTERM ended `augur run`, as shells report for SIGINT.
inline constexpr int kExitInterrupted = 130;

// Settings of the local runner, shared by `augur run` and `augur resume`.
struct LocalRunOptions {
  // Trial processes at once; 0 means the study's concurrency.
  int concurrency = 0;
  std::string runs_directory = "augur-runs";
  double stop_grace_seconds = 10;
};

struct RunCommandOptions {
  std::string file;
  ConnectionOptions connection;
  LocalRunOptions local;
};

struct ResumeCommandOptions {
  std::string study;
  // A new total budget for the algorithm's trials.
  std::optional<int64_t> budget;
  // Reopen the study on the server and run nothing.
  bool no_run = false;
  // The working directory of run.cmd for the trials run here.
  std::string working_directory = ".";
  ConnectionOptions connection;
  LocalRunOptions local;
};

struct ShowCommandOptions {
  std::string study;
  // "table", "json" or "csv".
  std::string format = "table";
  // With csv: "trial" for one row per trial with its latest values,
  // "measurement" for one row per measurement.
  std::string csv_rows = "trial";
  // A filter expression (see ParseTrialFilter); empty keeps every trial.
  std::string where;
  // Sort keys (see ParseTrialSort); empty keeps the best objective first.
  std::string sort;
  ConnectionOptions connection;
};

struct AddCommandOptions {
  std::string study;
  // "name=value" arguments.
  std::vector<std::string> parameters;
  // Import a finished result as SUCCEEDED instead of queueing a trial.
  bool import = false;
  // "name=number" arguments of the imported measurement.
  std::vector<std::string> metrics;
  // The step of the imported measurement.
  int64_t step = 0;
  ConnectionOptions connection;
};

// Each command prints its result on stdout, errors and progress on stderr,
// and returns the process exit code.
int RunStudyCommand(const RunCommandOptions& options);
int CreateStudyCommand(const std::string& file,
                       const ConnectionOptions& connection);
int ListStudiesCommand(const ConnectionOptions& connection);
int StopStudyCommand(const std::string& study, const std::string& reason,
                     const ConnectionOptions& connection);
int ShowStudyCommand(const ShowCommandOptions& options);

// Reopens a STOPPED or COMPLETED study (an ACTIVE one stays as it is), with
// a larger budget when given, then, unless no_run is set or the study's
// runner is kubernetes, runs its trials here as `augur run` does.
int ResumeStudyCommand(const ResumeCommandOptions& options);

// Queues a PENDING trial with the given parameters, or imports a SUCCEEDED
// result with its metrics.
int AddTrialCommand(const AddCommandOptions& options);

// Queues a finished trial's parameters again as a new PENDING trial whose
// parent is the old one. With `resume`, the new trial receives the parent's
// id and output directory so that it can load the parent's checkpoint.
int RestartTrialCommand(int64_t trial_id, bool resume,
                        const ConnectionOptions& connection);

// Prints studies side by side.
int CompareStudiesCommand(const std::vector<std::string>& studies,
                          const ConnectionOptions& connection);

// Parses and validates a study file without contacting any server, and
// prints what the study would run. Exits kExitInvalidFile on any error.
int ValidateFileCommand(const std::string& file);

}  // namespace augur

#endif  // AUGUR_CLIENT_CLI_COMMANDS_H_
