#ifndef AUGUR_BENCH_STUDY_DRIVER_H_
#define AUGUR_BENCH_STUDY_DRIVER_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "bench/test_functions.h"
#include "client/cpp/client.h"
#include "server/server.h"

namespace augur::bench {

// The outcome of one study run.
struct StudyRun {
  // Objective values in trial order.
  std::vector<double> values;
  // Wall time of each call that returned a suggestion, in seconds.
  std::vector<double> suggest_seconds;
};

// Runs whole studies on a test function, one trial at a time: ask for one
// suggestion, evaluate the function at its point, report the value as the
// SUCCEEDED trial's final "loss", until the study's budget is used up.
// The spec's parameters must be uniform options named x0, x1, ... in order.
class StudyDriver {
 public:
  virtual ~StudyDriver() = default;
  virtual absl::StatusOr<StudyRun> Run(const v1::StudySpec& spec,
                                       const TestFunction& function) = 0;
};

// Calls the study's Algorithm directly and keeps the study view in memory,
// the way the server keeps it in SQLite. When `trace` is not null, writes
// each trial's value and every new study-wide algorithm state to it.
class InProcessDriver : public StudyDriver {
 public:
  explicit InProcessDriver(std::ostream* trace = nullptr) : trace_(trace) {}

  absl::StatusOr<StudyRun> Run(const v1::StudySpec& spec,
                               const TestFunction& function) override;

 private:
  std::ostream* trace_;
};

// Runs studies through the real service: an augur::Server on 127.0.0.1 with
// a port chosen by the system and a SQLite file in a fresh temporary
// directory, driven over gRPC by augur::Client with CreateStudy,
// GetSuggestions and CompleteTrial. Each study name must be new to the
// server.
class ServiceDriver : public StudyDriver {
 public:
  // Starts the server. Returns INTERNAL when no temporary directory can be
  // made and the server's error when it cannot start.
  static absl::StatusOr<std::unique_ptr<ServiceDriver>> Start();

  // Shuts the server down and deletes the temporary directory.
  ~ServiceDriver() override;

  absl::StatusOr<StudyRun> Run(const v1::StudySpec& spec,
                               const TestFunction& function) override;

 private:
  ServiceDriver(std::string directory, std::unique_ptr<Server> server,
                std::unique_ptr<Client> client);

  std::string directory_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
};

}  // namespace augur::bench

#endif  // AUGUR_BENCH_STUDY_DRIVER_H_
