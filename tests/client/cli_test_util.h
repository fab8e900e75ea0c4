#ifndef AUGUR_TESTS_CLIENT_CLI_TEST_UTIL_H_
#define AUGUR_TESTS_CLIENT_CLI_TEST_UTIL_H_

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "client/runner/trial_process.h"

namespace augur::testing {

// The output of one `augur` invocation.
struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A temporary directory per test, removed at the end unless the test failed.
class TempDirectory {
 public:
  TempDirectory();
  ~TempDirectory();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs the built `augur` binary with `args` (already shell-quoted) in
// `directory` and returns its exit code, stdout and stderr.
CliResult RunAugur(const std::filesystem::path& directory,
                   const std::string& args);

// Starts the built `augur` binary with `args` (already shell-quoted) in
// `directory` as a background process, with stdout and stderr in
// `directory`/augur.out and augur.err. Fails the test and returns nullptr
// when it cannot start.
std::unique_ptr<TrialProcess> StartAugur(const std::filesystem::path& directory,
                                         const std::string& args);

// Waits up to `timeout` for a process started by StartAugur to exit and
// returns its exit status. Fails the test and returns a default ExitStatus
// when the process is still running.
ExitStatus WaitForAugur(TrialProcess& process,
                        std::chrono::seconds timeout = std::chrono::seconds(60));

// Writes `text` to `path`.
void WriteFile(const std::filesystem::path& path, const std::string& text);

std::string ReadFile(const std::filesystem::path& path);

// Runs `augur show STUDY --db test.db --format json` in `directory`, expects
// exit code 0 and returns the parsed output, or a discarded JSON value when
// the output is not JSON.
nlohmann::json ShowStudy(const std::filesystem::path& directory,
                         const std::string& study);

// Counts the entries of `shown["trials"]` whose "state" is `state`.
int CountTrialsInState(const nlohmann::json& shown, const std::string& state);

// Runs `augur` with `args` in `directory` and expects a nonzero exit code and
// a stderr that contains `named_value`.
void ExpectAugurError(const std::filesystem::path& directory,
                      const std::string& args, const std::string& named_value);

}  // namespace augur::testing

#endif  // AUGUR_TESTS_CLIENT_CLI_TEST_UTIL_H_
