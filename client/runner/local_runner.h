#ifndef AUGUR_CLIENT_RUNNER_LOCAL_RUNNER_H_
#define AUGUR_CLIENT_RUNNER_LOCAL_RUNNER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "augur/v1/augur.pb.h"
#include "client/cpp/client.h"
#include "client/runner/metric_line_parser.h"
#include "client/runner/trial_process.h"
#include "core/study_config.h"

namespace augur {

// The prefix of every client_id the local runner uses; slot i is
// "local-runner/slot-i".
inline constexpr char kLocalRunnerClientPrefix[] = "local-runner/";

struct LocalRunnerOptions {
  // Trial processes running at once; at most the study's concurrency is
  // useful because the server never hands out more.
  int concurrency = 1;
  // Trial output goes to <runs_directory>/<study>/<trial id>/.
  std::string runs_directory = "augur-runs";
  // The working directory of trial commands, so that run.cmd can name
  // scripts relative to it. Empty means the runner's own.
  std::string working_directory;
  // Time between SIGTERM and SIGKILL for a trial that must stop.
  absl::Duration stop_grace_period = absl::Seconds(10);
  // Bounds of the wait before asking again for suggestions after a reply
  // without trials (concurrency reached, waiting for a rung, ...).
  absl::Duration min_retry_delay = absl::Milliseconds(200);
  absl::Duration max_retry_delay = absl::Seconds(5);
  // How often the runner calls ShouldStop for each running trial, so that a
  // trial that prints nothing still stops when the server decides so, and
  // its trial_timeout keeps being reset while the runner lives. A study with
  // a trial_timeout is checked at least three times per timeout.
  absl::Duration stop_check_interval = absl::Seconds(2);
  // Lines of a failed trial's stderr kept in its message.
  int stderr_tail_lines = 20;
  // Receives the live progress lines.
  std::ostream* progress = nullptr;
};

// The outcome of a run.
struct LocalRunResult {
  // True when SIGINT or SIGTERM ended the run before the study ended.
  bool interrupted = false;
  // The study as it was at the end of the run.
  v1::Study study;
};

// The local runner: keeps up to `concurrency` trial processes of one study
// running on this machine, feeding their stdout metrics to the server and
// ending each trial with its outcome.
//
// Per trial it renders run.cmd with the shell-quoted parameters and runs it
// with /bin/sh -c in `working_directory`, keeping stdout.log and stderr.log
// in the trial's output directory <runs_directory>/<study>/<trial id>/, and
// exporting AUGUR_ADDRESS, AUGUR_STUDY,
// AUGUR_TRIAL_ID, AUGUR_PARAMS and POLYAXON_PARAMS (a JSON object of every
// parameter, fixed `params` included), AUGUR_OUTPUT_DIR,
// PYTHONUNBUFFERED=1 and, for a trial that resumes its parent,
// AUGUR_RESUME_FROM and AUGUR_RESUME_DIR.
//
// Every stop_check_interval the runner calls ShouldStop for each running
// trial. A stop decision, from ShouldStop or from a ReportMetric reply,
// sends SIGTERM to the trial's process group and SIGKILL after the grace
// period. The trial then ends STOPPED. Exit status 0 ends it SUCCEEDED, or
// STOPPED when ShouldStop returns a stop decision, because training code
// that honours a decision by itself exits 0, anything else FAILED with the
// exit status and the last lines of stderr. A trial that the training
// code or the server already ended keeps its state, such as FAILED for a
// trial_timeout.
//
// On SIGINT or SIGTERM (see InterruptSignals) the runner sends SIGTERM to
// every trial, SIGKILL after the grace period or at a second signal, and
// marks the trials FAILED "runner interrupted". The study itself stays
// ACTIVE, so a new run continues it.
//
// Thread safety: Run is called once, from one thread.
class LocalRunner {
 public:
  // `client` must outlive the runner. `address` is what trials get as
  // AUGUR_ADDRESS.
  LocalRunner(Client* client, std::string address, v1::Study study,
              StudyConfig config, LocalRunnerOptions options);
  ~LocalRunner();

  // Marks this study's trials that an earlier local runner left ACTIVE as
  // FAILED "runner restarted", then runs trials until the study is
  // COMPLETED, STOPPED or FAILED and none runs, or until interrupted.
  // Returns INVALID_ARGUMENT when run.cmd is missing or uses a name that is
  // not a parameter, and the server's error when a call that the run
  // cannot do without fails (listing or creating trials).
  absl::StatusOr<LocalRunResult> Run();

 private:
  struct RunningTrial;

  absl::Status CheckCommand() const;
  absl::Status FailLeftoverTrials();
  absl::Status FillSlots();
  void StartTrial(int slot, const v1::Trial& trial);
  void FailUnstartedTrial(const v1::Trial& trial, const std::string& message);
  void PollProcesses();
  void HandleLine(RunningTrial& running, const std::string& line);
  void RequestStop(RunningTrial& running, const std::string& reason,
                   v1::TrialState end_state);
  void FinishTrial(int slot, const ExitStatus& exit);
  void CheckTrials();
  absl::Duration StopCheckInterval() const;
  void EnforceKillDeadlines();
  void Interrupt();
  void PrintCounts();

  int running_count() const;
  std::map<std::string, std::string> FormattedParameters(
      const v1::Trial& trial) const;
  std::string ParametersJson(const v1::Trial& trial) const;
  std::string TrialDirectory(int64_t trial_id) const;
  std::string Describe(const v1::Trial& trial) const;
  std::ostream& progress();

  Client* const client_;
  const std::string address_;
  const std::string study_name_;
  const StudyConfig config_;
  const LocalRunnerOptions options_;

  v1::Study study_;
  std::vector<std::unique_ptr<RunningTrial>> slots_;
  bool study_ended_ = false;
  bool interrupted_ = false;
  absl::Time next_suggestion_time_ = absl::InfinitePast();
  absl::Duration retry_delay_;
  absl::Time next_stop_check_ = absl::InfinitePast();
};

}  // namespace augur

#endif  // AUGUR_CLIENT_RUNNER_LOCAL_RUNNER_H_
