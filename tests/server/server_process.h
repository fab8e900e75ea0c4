#ifndef AUGUR_TESTS_SERVER_SERVER_PROCESS_H_
#define AUGUR_TESTS_SERVER_SERVER_PROCESS_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#ifndef AUGUR_SERVER_PATH
#error "AUGUR_SERVER_PATH must name the augur-server binary"
#endif

namespace augur {

// The real augur-server binary as a child process on 127.0.0.1:0 over the
// SQLite file `db`. Its stderr is appended to the file `log`, and its address
// is read from the "listening on ADDRESS" line of its stdout. The destructor
// kills the process with SIGKILL if it still runs.
class ServerProcess {
 public:
  ServerProcess(const std::string& db, const std::string& log) : log_(log) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(pipe_fds[1], STDOUT_FILENO);
      const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
      close(pipe_fds[0]);
      close(pipe_fds[1]);
      execl(AUGUR_SERVER_PATH, AUGUR_SERVER_PATH, "--listen", "127.0.0.1:0",
            "--db", db.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(pipe_fds[1]);
    stdout_fd_ = pipe_fds[0];
    address_ = ReadAddress();
  }

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  ~ServerProcess() {
    Kill(SIGKILL);
    if (stdout_fd_ >= 0) close(stdout_fd_);
  }

  // "127.0.0.1:PORT", or empty when the server did not start within 20 s.
  const std::string& address() const { return address_; }

  // Sends `signal`, waits for the process to end and returns its wait
  // status, or -1 when it was not running.
  int Kill(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  // The server's stderr so far, for failure messages.
  std::string Log() const {
    std::ifstream file(log_);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

 private:
  std::string ReadAddress() {
    const std::string prefix = "listening on ";
    std::string text;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd fd{stdout_fd_, POLLIN, 0};
      if (poll(&fd, 1, 100) <= 0) continue;
      char buffer[256];
      const ssize_t size = read(stdout_fd_, buffer, sizeof(buffer));
      if (size <= 0) return "";
      text.append(buffer, size);

      const size_t start = text.find(prefix);
      if (start == std::string::npos) continue;
      const size_t end = text.find('\n', start);
      if (end == std::string::npos) continue;
      return text.substr(start + prefix.size(), end - start - prefix.size());
    }
    return "";
  }

  std::string log_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string address_;
};

}  // namespace augur

#endif  // AUGUR_TESTS_SERVER_SERVER_PROCESS_H_
