#include "client/runner/trial_process.h"

#include <poll.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace augur {
namespace {

namespace fs = std::filesystem;

class TrialProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::path(::testing::TempDir()) /
                 ("trial_process_" +
                  std::string(::testing::UnitTest::GetInstance()
                                  ->current_test_info()
                                  ->name()));
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }

  TrialProcessOptions Options(const std::string& command) const {
    TrialProcessOptions options;
    options.command = command;
    options.working_directory = directory_.string();
    options.stdout_path = (directory_ / "stdout.log").string();
    options.stderr_path = (directory_ / "stderr.log").string();
    return options;
  }

  // Reads stdout until end of file and waits for the exit, failing the test
  // after `timeout`.
  static ExitStatus Drain(TrialProcess& process,
                          std::vector<std::string>* lines,
                          std::chrono::seconds timeout =
                              std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (process.stdout_fd() >= 0) {
        pollfd entry = {process.stdout_fd(), POLLIN, 0};
        poll(&entry, 1, 100);
        for (std::string& line : process.ReadLines()) {
          lines->push_back(std::move(line));
        }
        continue;
      }
      if (auto status = process.TryWait()) return *status;
      poll(nullptr, 0, 10);
    }
    ADD_FAILURE() << "the process did not finish in time";
    return ExitStatus{};
  }

  static std::string ReadFile(const fs::path& path) {
    std::ifstream file(path);
    std::stringstream contents;
    contents << file.rdbuf();
    return contents.str();
  }

  fs::path directory_;
};

TEST_F(TrialProcessTest, ReadsLinesAndExitStatus) {
  auto process = TrialProcess::Start(
      Options("echo loss=1; printf 'loss=2\\nlast'; echo oops >&2; exit 3"));
  ASSERT_TRUE(process.ok()) << process.status();

  std::vector<std::string> lines;
  const ExitStatus status = Drain(**process, &lines);

  EXPECT_EQ(lines, (std::vector<std::string>{"loss=1", "loss=2", "last"}));
  EXPECT_EQ(status.exit_code, 3);
  EXPECT_FALSE(status.success());
  EXPECT_EQ(status.ToString(), "exit status 3");
  EXPECT_EQ(ReadFile(directory_ / "stdout.log"), "loss=1\nloss=2\nlast");
  EXPECT_EQ(ReadFile(directory_ / "stderr.log"), "oops\n");
}

TEST_F(TrialProcessTest, PassesEnvironmentAndWorkingDirectory) {
  TrialProcessOptions options = Options("echo \"$AUGUR_TEST_VALUE\"; pwd; "
                                        "read line; echo \"stdin=$line\"");
  options.environment["AUGUR_TEST_VALUE"] = "it's {\"a\": 1}";

  auto process = TrialProcess::Start(options);
  ASSERT_TRUE(process.ok()) << process.status();
  std::vector<std::string> lines;
  const ExitStatus status = Drain(**process, &lines);

  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "it's {\"a\": 1}");
  EXPECT_EQ(fs::canonical(lines[1]), fs::canonical(directory_));
  EXPECT_EQ(lines[2], "stdin=");
  EXPECT_EQ(status.exit_code, 0);
}

TEST_F(TrialProcessTest, SignalGroupReachesGrandchildren) {
  // The shell starts `sleep` as a child; SIGTERM to the group must end both.
  auto process =
      TrialProcess::Start(Options("sleep 60 & echo started; wait"));
  ASSERT_TRUE(process.ok()) << process.status();

  std::vector<std::string> lines;
  const auto start = std::chrono::steady_clock::now();
  while (lines.empty() &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    pollfd entry = {(*process)->stdout_fd(), POLLIN, 0};
    poll(&entry, 1, 100);
    lines = (*process)->ReadLines();
  }
  ASSERT_EQ(lines, (std::vector<std::string>{"started"}));

  (*process)->SignalGroup(SIGTERM);
  const ExitStatus status = Drain(**process, &lines, std::chrono::seconds(10));

  EXPECT_EQ(status.signal, SIGTERM);
  EXPECT_EQ(status.ToString(), "killed by signal 15 (SIGTERM)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(TrialProcessTest, BackgroundChildDoesNotHoldTrialOpen) {
  // The leader exits at once but leaves a child holding the stdout pipe.
  auto process = TrialProcess::Start(Options("sleep 60 & echo done"));
  ASSERT_TRUE(process.ok()) << process.status();

  const auto start = std::chrono::steady_clock::now();
  std::optional<ExitStatus> status;
  std::vector<std::string> lines;
  while (!status.has_value() &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    poll(nullptr, 0, 20);
    for (std::string& line : (*process)->ReadLines()) lines.push_back(line);
    status = (*process)->TryWait();
  }
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->exit_code, 0);

  // The leftover `sleep` was killed, so the pipe reaches end of file.
  Drain(**process, &lines, std::chrono::seconds(10));
  EXPECT_EQ(lines, (std::vector<std::string>{"done"}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(TrialProcessTest, MissingLogDirectoryIsAnError) {
  TrialProcessOptions options = Options("true");
  options.stdout_path = (directory_ / "missing" / "stdout.log").string();

  auto process = TrialProcess::Start(options);

  EXPECT_EQ(process.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(process.status().message().find("missing/stdout.log"),
            std::string::npos)
      << process.status();
}

TEST(ReadLastLines, KeepsTheLastLines) {
  const fs::path path = fs::path(::testing::TempDir()) / "last_lines.txt";
  std::ofstream(path) << "one\ntwo\nthree\nfour\n";

  EXPECT_EQ(ReadLastLines(path.string(), 2), "three\nfour");
  EXPECT_EQ(ReadLastLines(path.string(), 10), "one\ntwo\nthree\nfour");
  EXPECT_EQ(ReadLastLines((path.string() + ".missing"), 2), "");
}

}  // namespace
}  // namespace augur
