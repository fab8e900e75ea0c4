#ifndef AUGUR_CLIENT_RUNNER_TRIAL_PROCESS_H_
#define AUGUR_CLIENT_RUNNER_TRIAL_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace augur {

struct TrialProcessOptions {
  // Run as `/bin/sh -c command`.
  std::string command;
  // The process's working directory; it must exist.
  std::string working_directory;
  // Variables added to (or replacing those of) the runner's environment.
  std::map<std::string, std::string> environment;
  // Everything the process writes to stdout is appended here as the runner
  // reads it.
  std::string stdout_path;
  // The process's stderr goes straight to this file.
  std::string stderr_path;
};

// How a process ended, decoded from a wait status.
struct ExitStatus {
  // The exit code when the process exited, else -1.
  int exit_code = -1;
  // The signal that killed the process, else 0.
  int signal = 0;

  bool success() const { return exit_code == 0; }
  // "exit status 3" or "killed by signal 9 (SIGKILL)".
  std::string ToString() const;
};

// A trial command running in its own process group, with its stdout piped to
// the runner and stdin from /dev/null.
//
// The process group lets the runner signal the shell and every child it
// started at once. Destroying a TrialProcess whose process still runs kills
// the group with SIGKILL and reaps the leader.
//
// Thread safety: not thread-safe; one thread owns each object.
class TrialProcess {
 public:
  // Starts the command. Returns INTERNAL when a pipe, the log files or the
  // fork fail, naming the path or call and the OS error.
  static absl::StatusOr<std::unique_ptr<TrialProcess>> Start(
      const TrialProcessOptions& options);

  TrialProcess(const TrialProcess&) = delete;
  TrialProcess& operator=(const TrialProcess&) = delete;
  ~TrialProcess();

  pid_t pid() const { return pid_; }

  // The read end of the stdout pipe (non-blocking), or -1 once it reached
  // end of file. Poll it for POLLIN.
  int stdout_fd() const { return stdout_fd_; }

  // Reads what is available on stdout without blocking, appends it to the
  // stdout log and returns the complete lines (without '\n'). At end of file
  // the unterminated rest is returned as a last line and stdout_fd() becomes
  // -1. A line longer than 1 MiB is cut into 1 MiB pieces.
  std::vector<std::string> ReadLines();

  // Sends `signal` to the whole process group. Does nothing once the group
  // is gone.
  void SignalGroup(int signal);

  // Reaps the process without blocking. Returns its exit status once it has
  // ended (and from then on), nullopt while it runs. When the leader exits
  // and `kill_leftovers` is set, any process it left behind in its group is
  // sent SIGKILL. A trial that received a stop decision passes false, so that a program under
  // `sh -c` gets its grace period even after the shell died of SIGTERM.
  std::optional<ExitStatus> TryWait(bool kill_leftovers = true);

  // Returns true while any process of the group is alive.
  bool GroupAlive() const;

 private:
  TrialProcess(pid_t pid, int stdout_fd, int stdout_log_fd);

  const pid_t pid_;  // Also the process group id.
  int stdout_fd_;
  int stdout_log_fd_;
  std::string partial_line_;
  std::optional<ExitStatus> exit_status_;
};

// Returns the last `max_lines` lines of the file at `path` (at most the last
// 64 KiB of it), or an empty string when it cannot be read.
std::string ReadLastLines(const std::string& path, int max_lines);

}  // namespace augur

#endif  // AUGUR_CLIENT_RUNNER_TRIAL_PROCESS_H_
