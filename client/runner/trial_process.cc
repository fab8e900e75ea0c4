#include "client/runner/trial_process.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace augur {
namespace {

constexpr size_t kMaxLineBytes = size_t{1} << 20;

absl::Status OsError(const std::string& what, int error) {
  return absl::InternalError(absl::StrCat(what, ": ", strerror(error)));
}

// The runner's environment with `overrides` applied, as "NAME=value" strings.
std::vector<std::string> BuildEnvironment(
    const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const absl::string_view text(*entry);
    const std::string name(text.substr(0, text.find('=')));
    if (overrides.count(name) == 0) entries.emplace_back(text);
  }
  for (const auto& [name, value] : overrides) {
    entries.push_back(absl::StrCat(name, "=", value));
  }
  return entries;
}

std::vector<char*> PointerArray(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

const char* SignalName(int signal) {
  switch (signal) {
    case SIGTERM: return "SIGTERM";
    case SIGKILL: return "SIGKILL";
    case SIGINT: return "SIGINT";
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGPIPE: return "SIGPIPE";
    case SIGHUP: return "SIGHUP";
    default: return "unknown";
  }
}

// Runs in the forked child, so it calls only async-signal-safe functions and
// never returns.
[[noreturn]] void ExecChild(const char* working_directory, int stdout_fd,
                            int stderr_fd, char* const argv[],
                            char* const envp[]) {
  setpgid(0, 0);

  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  struct sigaction default_action = {};
  default_action.sa_handler = SIG_DFL;
  for (int signal : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    sigaction(signal, &default_action, nullptr);
  }

  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
      dup2(stdout_fd, STDOUT_FILENO) < 0 ||
      dup2(stderr_fd, STDERR_FILENO) < 0) {
    _exit(126);
  }
  if (chdir(working_directory) != 0) _exit(126);

  execve("/bin/sh", argv, envp);
  _exit(127);
}

}  // namespace

std::string ExitStatus::ToString() const {
  if (signal != 0) {
    return absl::StrCat("killed by signal ", signal, " (", SignalName(signal),
                        ")");
  }
  return absl::StrCat("exit status ", exit_code);
}

absl::StatusOr<std::unique_ptr<TrialProcess>> TrialProcess::Start(
    const TrialProcessOptions& options) {
  // Everything the child needs is allocated before fork: the runner has
  // gRPC threads, so the child may only call async-signal-safe functions.
  std::vector<std::string> args = {"/bin/sh", "-c", options.command};
  std::vector<std::string> env = BuildEnvironment(options.environment);
  std::vector<char*> argv = PointerArray(args);
  std::vector<char*> envp = PointerArray(env);

  const int stdout_log_fd =
      open(options.stdout_path.c_str(),
           O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (stdout_log_fd < 0) {
    return OsError(absl::StrCat("cannot open ", options.stdout_path), errno);
  }
  const int stderr_fd =
      open(options.stderr_path.c_str(),
           O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (stderr_fd < 0) {
    const int error = errno;
    close(stdout_log_fd);
    return OsError(absl::StrCat("cannot open ", options.stderr_path), error);
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    const int error = errno;
    close(stdout_log_fd);
    close(stderr_fd);
    return OsError("cannot create the stdout pipe", error);
  }

  const pid_t pid = fork();
  if (pid == 0) {
    ExecChild(options.working_directory.c_str(), pipe_fds[1], stderr_fd,
              argv.data(), envp.data());
  }
  const int fork_error = errno;
  close(pipe_fds[1]);
  close(stderr_fd);
  if (pid < 0) {
    close(pipe_fds[0]);
    close(stdout_log_fd);
    return OsError("cannot fork the trial process", fork_error);
  }

  // Set the group from the parent too, so that SignalGroup works even if
  // it runs before the child's own setpgid.
  setpgid(pid, pid);
  fcntl(pipe_fds[0], F_SETFL, fcntl(pipe_fds[0], F_GETFL) | O_NONBLOCK);
  return std::unique_ptr<TrialProcess>(
      new TrialProcess(pid, pipe_fds[0], stdout_log_fd));
}

TrialProcess::TrialProcess(pid_t pid, int stdout_fd, int stdout_log_fd)
    : pid_(pid), stdout_fd_(stdout_fd), stdout_log_fd_(stdout_log_fd) {}

TrialProcess::~TrialProcess() {
  if (!exit_status_.has_value()) {
    SignalGroup(SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  if (stdout_log_fd_ >= 0) close(stdout_log_fd_);
}

std::vector<std::string> TrialProcess::ReadLines() {
  std::vector<std::string> lines;
  if (stdout_fd_ < 0) return lines;

  char buffer[65536];
  while (true) {
    const ssize_t count = read(stdout_fd_, buffer, sizeof(buffer));
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) break;  // EAGAIN: nothing more for now.
    if (count == 0) {
      if (!partial_line_.empty()) lines.push_back(std::move(partial_line_));
      partial_line_.clear();
      close(stdout_fd_);
      stdout_fd_ = -1;
      break;
    }

    // The log is best effort: a full disk must not stop the trial.
    const ssize_t written = write(stdout_log_fd_, buffer, count);
    (void)written;
    for (ssize_t i = 0; i < count; ++i) {
      if (buffer[i] == '\n') {
        lines.push_back(std::move(partial_line_));
        partial_line_.clear();
      } else {
        partial_line_.push_back(buffer[i]);
        if (partial_line_.size() >= kMaxLineBytes) {
          lines.push_back(std::move(partial_line_));
          partial_line_.clear();
        }
      }
    }
  }
  return lines;
}

void TrialProcess::SignalGroup(int signal) { kill(-pid_, signal); }

bool TrialProcess::GroupAlive() const { return kill(-pid_, 0) == 0; }

std::optional<ExitStatus> TrialProcess::TryWait(bool kill_leftovers) {
  if (exit_status_.has_value()) return exit_status_;

  int status = 0;
  const pid_t reaped = waitpid(pid_, &status, WNOHANG);
  if (reaped != pid_) return std::nullopt;

  ExitStatus exit;
  if (WIFEXITED(status)) exit.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) exit.signal = WTERMSIG(status);
  exit_status_ = exit;

  // Background children of the trial would hold the stdout pipe open.
  if (kill_leftovers) SignalGroup(SIGKILL);
  return exit_status_;
}

std::string ReadLastLines(const std::string& path, int max_lines) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return "";

  file.seekg(0, std::ios::end);
  const std::streamoff size = file.tellg();
  const std::streamoff start = std::max<std::streamoff>(0, size - 65536);
  file.seekg(start);
  std::stringstream contents;
  contents << file.rdbuf();

  std::vector<std::string> lines =
      absl::StrSplit(contents.str(), '\n', absl::SkipWhitespace());
  if (static_cast<int>(lines.size()) > max_lines) {
    lines.erase(lines.begin(), lines.end() - max_lines);
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace augur
