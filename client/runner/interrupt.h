#ifndef AUGUR_CLIENT_RUNNER_INTERRUPT_H_
#define AUGUR_CLIENT_RUNNER_INTERRUPT_H_

#include "absl/status/status.h"

namespace augur {

// Turns SIGINT and SIGTERM into a readable file descriptor (the self-pipe
// trick), so that the runner's poll loop wakes up on Ctrl-C.
//
// Thread safety: Install once, from the main thread, before starting other
// threads that might receive the signals.
class InterruptSignals {
 public:
  // Installs handlers for SIGINT and SIGTERM. Returns INTERNAL when the pipe
  // or a handler cannot be set up.
  static absl::Status Install();

  // The read end of the pipe (non-blocking): readable after a signal.
  // -1 before Install.
  static int fd();

  // The number of signals received so far.
  static int count();

  // Reads and drops whatever the pipe holds, so poll blocks again.
  static void Drain();
};

}  // namespace augur

#endif  // AUGUR_CLIENT_RUNNER_INTERRUPT_H_
