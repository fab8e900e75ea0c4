#include "tests/client/cli_test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "client/runner/command_template.h"
#include "gtest/gtest.h"

namespace augur::testing {

namespace fs = std::filesystem;

TempDirectory::TempDirectory() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  path_ = fs::path(::testing::TempDir()) /
          (std::string("augur_") + info->test_suite_name() + "_" +
           info->name() + "_" + std::to_string(getpid()));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDirectory::~TempDirectory() {
  if (!::testing::Test::HasFailure()) {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
}

CliResult RunAugur(const fs::path& directory, const std::string& args) {
  const fs::path out = directory / ".augur_cli_stdout";
  const fs::path err = directory / ".augur_cli_stderr";
  const std::string command =
      "cd " + ShellQuote(directory.string()) + " && " +
      ShellQuote(AUGUR_CLI_PATH) + " " + args + " >" +
      ShellQuote(out.string()) + " 2>" + ShellQuote(err.string());

  const int status = std::system(command.c_str());
  CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  return result;
}

std::unique_ptr<TrialProcess> StartAugur(const fs::path& directory,
                                         const std::string& args) {
  TrialProcessOptions options;
  options.command = "exec " + ShellQuote(AUGUR_CLI_PATH) + " " + args;
  options.working_directory = directory.string();
  options.stdout_path = (directory / "augur.out").string();
  options.stderr_path = (directory / "augur.err").string();
  auto process = TrialProcess::Start(options);
  EXPECT_TRUE(process.ok()) << process.status();
  if (!process.ok()) return nullptr;
  return *std::move(process);
}

ExitStatus WaitForAugur(TrialProcess& process, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    process.ReadLines();
    if (auto status = process.TryWait()) return *status;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "augur did not exit within " << timeout.count() << " s";
  return ExitStatus{};
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

nlohmann::json ShowStudy(const fs::path& directory, const std::string& study) {
  const CliResult show =
      RunAugur(directory, "show " + study + " --db test.db --format json");
  EXPECT_EQ(show.exit_code, 0) << show.err;
  return nlohmann::json::parse(show.out, nullptr, /*allow_exceptions=*/false);
}

int CountTrialsInState(const nlohmann::json& shown, const std::string& state) {
  int count = 0;
  for (const auto& trial : shown["trials"]) count += trial["state"] == state;
  return count;
}

void ExpectAugurError(const fs::path& directory, const std::string& args,
                      const std::string& named_value) {
  const CliResult result = RunAugur(directory, args);

  EXPECT_NE(result.exit_code, 0) << "augur " << args << " succeeded";
  EXPECT_NE(result.err.find(named_value), std::string::npos)
      << "stderr of augur " << args << " does not contain " << named_value
      << ":\n" << result.err;
}

}  // namespace augur::testing
