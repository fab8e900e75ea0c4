#include "client/runner/interrupt.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "absl/strings/str_cat.h"

namespace augur {
namespace {

int read_fd = -1;
int write_fd = -1;
std::atomic<int> signal_count{0};

void OnSignal(int) {
  const int saved_errno = errno;
  signal_count.fetch_add(1);
  const char byte = 1;
  const ssize_t written = write(write_fd, &byte, 1);
  (void)written;
  errno = saved_errno;
}

}  // namespace

absl::Status InterruptSignals::Install() {
  if (read_fd >= 0) return absl::OkStatus();

  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot create the signal pipe: ", strerror(errno)));
  }
  read_fd = fds[0];
  write_fd = fds[1];

  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int signal : {SIGINT, SIGTERM}) {
    if (sigaction(signal, &action, nullptr) != 0) {
      return absl::InternalError(absl::StrCat(
          "cannot install the handler for signal ", signal, ": ",
          strerror(errno)));
    }
  }
  return absl::OkStatus();
}

int InterruptSignals::fd() { return read_fd; }

int InterruptSignals::count() { return signal_count.load(); }

void InterruptSignals::Drain() {
  char buffer[64];
  while (read_fd >= 0 && read(read_fd, buffer, sizeof(buffer)) > 0) {
  }
}

}  // namespace augur
