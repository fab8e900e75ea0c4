#include "client/runner/command_template.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace augur {
namespace {

// Runs `command` with /bin/sh and returns its stdout.
std::string RunShell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "<popen failed>";
  std::string output;
  std::array<char, 256> buffer;
  size_t count = 0;
  while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    output.append(buffer.data(), count);
  }
  pclose(pipe);
  return output;
}

TEST(ShellQuote, LeavesSafeWordsBare) {
  EXPECT_EQ(ShellQuote("0.001"), "0.001");
  EXPECT_EQ(ShellQuote("-3"), "-3");
  EXPECT_EQ(ShellQuote("1e-05"), "1e-05");
  EXPECT_EQ(ShellQuote("relu"), "relu");
  EXPECT_EQ(ShellQuote("snake_case"), "snake_case");
  EXPECT_EQ(ShellQuote("a@b%c+d=e:f,g.h/i-j"), "a@b%c+d=e:f,g.h/i-j");
}

TEST(ShellQuote, QuotesEverythingElse) {
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("two words"), "'two words'");
  EXPECT_EQ(ShellQuote("$HOME"), "'$HOME'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\"'\"'s'");
  EXPECT_EQ(ShellQuote("caf\xc3\xa9"), "'caf\xc3\xa9'");
}

TEST(ShellQuote, InjectionAttemptsStayInert) {
  const std::string attempts[] = {
      "; touch /tmp/augur-pwned",
      "$(touch /tmp/augur-pwned)",
      "`touch /tmp/augur-pwned`",
      "' ; touch /tmp/augur-pwned ; '",
      "\"; touch /tmp/augur-pwned; \"",
      "a\nb && echo injected",
      "| cat /etc/passwd",
      "x' 'y",
      "*",
      "\\'",
  };
  for (const std::string& attempt : attempts) {
    const std::string output =
        RunShell("printf '%s|' " + ShellQuote(attempt));
    EXPECT_EQ(output, attempt + "|") << "value: " << attempt;
  }
}

TEST(PlaceholderNames, ListsNamesInOrderOfFirstUse) {
  auto names = PlaceholderNames("train --lr={{ lr }} --b={{batch}} {{lr}}");

  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(*names, (std::vector<std::string>{"lr", "batch"}));
}

TEST(PlaceholderNames, RejectsUnclosedPlaceholder) {
  auto names = PlaceholderNames("train --lr={{ lr");

  EXPECT_EQ(names.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(names.status().message().find("unclosed"), std::string::npos)
      << names.status();
}

TEST(PlaceholderNames, RejectsJinjaExpressions) {
  auto names = PlaceholderNames("train --lr={{ lr | default(0.1) }}");

  EXPECT_EQ(names.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(names.status().message().find("lr | default(0.1)"),
            std::string::npos)
      << names.status();
}

TEST(PlaceholderNames, RejectsEmptyPlaceholder) {
  EXPECT_EQ(PlaceholderNames("x {{ }}").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RenderCommand, SubstitutesQuotedValues) {
  const std::map<std::string, std::string> values = {
      {"lr", "0.01"}, {"activation", "leaky relu"}, {"layers", "3"}};

  auto command = RenderCommand(
      "python train.py --lr={{ lr }} --act {{activation}} -n {{  layers  }}",
      values);

  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(*command,
            "python train.py --lr=0.01 --act 'leaky relu' -n 3");
}

TEST(RenderCommand, LeavesTextWithoutPlaceholdersAlone) {
  auto command = RenderCommand("echo 'loss=1' } { }", {});

  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(*command, "echo 'loss=1' } { }");
}

TEST(RenderCommand, UnknownNameListsKnownNames) {
  auto command = RenderCommand("train {{ learning_rate }}",
                               {{"lr", "0.1"}, {"batch", "32"}});

  ASSERT_EQ(command.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(command.status().message().find("learning_rate"),
            std::string::npos);
  EXPECT_NE(command.status().message().find("batch, lr"), std::string::npos)
      << command.status();
}

TEST(RenderCommand, RenderedInjectionStaysOneArgument) {
  auto command = RenderCommand("printf '%s|' {{ name }} {{ other }}",
                               {{"name", "$(echo injected); rm -rf x"},
                                {"other", "a'b"}});

  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(RunShell(*command), "$(echo injected); rm -rf x|a'b|");
}

}  // namespace
}  // namespace augur
