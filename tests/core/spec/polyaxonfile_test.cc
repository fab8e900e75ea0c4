#include "core/spec/polyaxonfile.h"

#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "yaml-cpp/yaml.h"

namespace augur {
namespace {

using ::google::protobuf::TextFormat;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Drops the newline after R"( so that the YAML's first line is line 1.
std::string Yaml(std::string_view text) {
  if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  return std::string(text);
}

StudyFile ParseOrDie(const std::string& text) {
  absl::StatusOr<StudyFile> file = ParsePolyaxonfile(text, "default-name");
  EXPECT_TRUE(file.ok()) << file.status();
  return file.ok() ? *std::move(file) : StudyFile{};
}

std::string ErrorOf(const std::string& text) {
  const absl::StatusOr<StudyFile> file =
      ParsePolyaxonfile(text, "default-name");
  EXPECT_FALSE(file.ok()) << "parsed without error:\n" << text;
  if (file.ok()) return "";
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(file.status().message());
}

template <typename Message>
Message TextProto(const std::string& text) {
  Message message;
  EXPECT_TRUE(TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

// Parses a file whose matrix contains the single entry `entry` (written at the
// indentation of a matrix key's value) and returns that parameter.
v1::ParameterSpec ParseEntry(const std::string& entry) {
  const std::string text =
      "hptuning:\n  matrix:\n    p:\n      " + entry + "\n";
  const StudyFile file = ParseOrDie(text);
  if (file.spec.parameters_size() != 1) return v1::ParameterSpec();
  return file.spec.parameters(0);
}

std::string EntryError(const std::string& entry) {
  return ErrorOf("hptuning:\n  matrix:\n    p:\n      " + entry + "\n");
}

void ExpectProtoEq(const google::protobuf::Message& actual,
                   const google::protobuf::Message& expected) {
  EXPECT_TRUE(MessageDifferencer::Equals(actual, expected))
      << "actual:\n"
      << actual.DebugString() << "expected:\n"
      << expected.DebugString();
}

// ---------------------------------------------------------------------------
// Layouts, kind and name.

const char kHptuningFile[] = R"(
version: 1
kind: group
hptuning:
  concurrency: 2
  seed: 7
  random_search:
    n_experiments: 10
  matrix:
    lr:
      logspace: -4:-1:4
    dropout:
      values: [0.25, 0.5]
  metric: {name: loss, optimization: minimize}
run:
  cmd: python train.py --lr={{ lr }} --dropout={{ dropout }}
)";

TEST(Polyaxonfile, SettingsLayoutMatchesHptuning) {
  std::string settings = Yaml(kHptuningFile);
  settings.replace(settings.find("hptuning:"), 9, "settings:");

  const StudyFile from_hptuning = ParseOrDie(Yaml(kHptuningFile));
  const StudyFile from_settings = ParseOrDie(settings);

  ExpectProtoEq(from_settings.spec, from_hptuning.spec);
  EXPECT_EQ(from_hptuning.spec.parameters_size(), 2);
  EXPECT_EQ(from_hptuning.spec.concurrency(), 2);
  EXPECT_EQ(from_hptuning.spec.seed(), 7);
  EXPECT_EQ(from_hptuning.spec.random_search().n_experiments(), 10);
}

TEST(Polyaxonfile, ReadsWholeHptuningFile) {
  const StudyFile file = ParseOrDie(Yaml(kHptuningFile));
  const auto expected = TextProto<v1::StudySpec>(R"pb(
    name: "default-name"
    concurrency: 2
    seed: 7
    random_search { n_experiments: 10 }
    parameters {
      name: "lr"
      logspace { start: -4 stop: -1 num: 4 }
    }
    parameters {
      name: "dropout"
      values {
        values { double_value: 0.25 }
        values { double_value: 0.5 }
      }
    }
    metric { name: "loss" optimization: MINIMIZE }
    run { cmd: "python train.py --lr={{ lr }} --dropout={{ dropout }}" }
  )pb");
  ExpectProtoEq(file.spec, expected);
  EXPECT_THAT(file.ignored_keys, ElementsAre("version"));
}

TEST(Polyaxonfile, RejectsBothLayouts) {
  const std::string text = Yaml(R"(
hptuning:
  matrix: {a: {values: [1]}}
settings:
  matrix: {a: {values: [1]}}
)");
  const std::string error = ErrorOf(text);
  EXPECT_THAT(error, StartsWith("line 3: settings: "));
  EXPECT_THAT(error, HasSubstr("hptuning (line 1)"));
}

TEST(Polyaxonfile, RejectsMissingTuningSection) {
  EXPECT_THAT(ErrorOf("kind: group\nrun: {cmd: echo}\n"),
              HasSubstr("no hptuning: section"));
}

TEST(Polyaxonfile, RejectsMissingMatrix) {
  EXPECT_THAT(ErrorOf("hptuning:\n  concurrency: 2\n"),
              StartsWith("line 1: hptuning: missing `matrix`"));
}

TEST(Polyaxonfile, AcceptsKindGroupInAnyCase) {
  for (const std::string kind : {"group", "Group", "GROUP"}) {
    const std::string text =
        "kind: " + kind + "\nhptuning: {matrix: {a: {values: [1]}}}\n";
    EXPECT_TRUE(ParsePolyaxonfile(text, "n").ok()) << kind;
  }
  EXPECT_TRUE(
      ParsePolyaxonfile("hptuning: {matrix: {a: {values: [1]}}}\n", "n").ok());
}

TEST(Polyaxonfile, RejectsOtherKind) {
  const std::string error =
      ErrorOf("kind: experiment\nhptuning: {matrix: {a: {values: [1]}}}\n");
  EXPECT_THAT(error,
              StartsWith("line 1: kind: kind experiment is not supported"));
}

TEST(Polyaxonfile, NamesStudyFromFileOrDefault) {
  const std::string body = "hptuning: {matrix: {a: {values: [1]}}}\n";
  EXPECT_EQ(ParseOrDie("name: mnist-lr\n" + body).spec.name(), "mnist-lr");
  EXPECT_EQ(ParseOrDie(body).spec.name(), "default-name");

  const absl::StatusOr<StudyFile> unnamed = ParsePolyaxonfile(body, "");
  ASSERT_FALSE(unnamed.ok());
  EXPECT_THAT(std::string(unnamed.status().message()),
              HasSubstr("add `name:`"));
}

TEST(Polyaxonfile, ListsIgnoredKeysInFileOrder) {
  const std::string text = Yaml(R"(
version: 1
kind: group
tags: [mnist]
framework: tensorflow
build:
  image: tensorflow/tensorflow:1.4.1-py3
  build_steps: [pip install polyaxon-client]
environment: {resources: {cpu: {requests: 1}}}
logging: {level: INFO}
description: a study
outputs: {jobs: [1]}
backend: native
hptuning: {matrix: {a: {values: [1]}}}
)");
  EXPECT_THAT(
      ParseOrDie(text).ignored_keys,
      ElementsAre("version", "tags", "framework", "build", "environment",
                  "logging", "description", "outputs", "backend"));
}

// ---------------------------------------------------------------------------
// Matrix options in every input form.

struct FormCase {
  std::string entry;
  std::string expected;  // v1::ParameterSpec text format, without the name
};

class MatrixForms : public ::testing::TestWithParam<FormCase> {};

TEST_P(MatrixForms, ParsesEachForm) {
  const FormCase& form = GetParam();
  auto expected = TextProto<v1::ParameterSpec>(form.expected);
  expected.set_name("p");
  ExpectProtoEq(ParseEntry(form.entry), expected);
}

INSTANTIATE_TEST_SUITE_P(
    Polyaxonfile, MatrixForms,
    ::testing::Values(
        // range: integer when start and step are written as integers.
        FormCase{"range: [10, 600, 50]",
                 "range { start: 10 stop: 600 step: 50 integer: true }"},
        FormCase{"range: {start: 10, stop: 600, step: 50}",
                 "range { start: 10 stop: 600 step: 50 integer: true }"},
        FormCase{"range: 10:600:50",
                 "range { start: 10 stop: 600 step: 50 integer: true }"},
        FormCase{"range: 0:1.5:1",
                 "range { start: 0 stop: 1.5 step: 1 integer: true }"},
        FormCase{"range: [0, 1, 0.25]",
                 "range { start: 0 stop: 1 step: 0.25 }"},
        FormCase{"range: {start: 1.0, stop: 5, step: 1}",
                 "range { start: 1 stop: 5 step: 1 }"},
        FormCase{"range: 1e0:5:1", "range { start: 1 stop: 5 step: 1 }"},
        FormCase{"range: \" 1 : 5 : 2 \"",
                 "range { start: 1 stop: 5 step: 2 integer: true }"},
        // linspace, geomspace, logspace.
        FormCase{"linspace: [0.01, 0.1, 5]",
                 "linspace { start: 0.01 stop: 0.1 num: 5 }"},
        FormCase{"linspace: {start: 0.01, stop: 0.1, num: 5}",
                 "linspace { start: 0.01 stop: 0.1 num: 5 }"},
        FormCase{"linspace: 0.01:0.1:5",
                 "linspace { start: 0.01 stop: 0.1 num: 5 }"},
        FormCase{"geomspace: [1, 1000, 4]",
                 "geomspace { start: 1 stop: 1000 num: 4 }"},
        FormCase{"geomspace: {start: 1, stop: 1000, num: 4}",
                 "geomspace { start: 1 stop: 1000 num: 4 }"},
        FormCase{"geomspace: 1:1000:4",
                 "geomspace { start: 1 stop: 1000 num: 4 }"},
        FormCase{"logspace: [-4, -1, 4]",
                 "logspace { start: -4 stop: -1 num: 4 }"},
        FormCase{"logspace: {start: -4, stop: -1, num: 4}",
                 "logspace { start: -4 stop: -1 num: 4 }"},
        FormCase{"logspace: -4:-1:4", "logspace { start: -4 stop: -1 num: 4 }"},
        FormCase{"logspace: [0, 3, 4, 2]",
                 "logspace { start: 0 stop: 3 num: 4 base: 2 }"},
        FormCase{"logspace: {start: 0, stop: 3, num: 4, base: 2}",
                 "logspace { start: 0 stop: 3 num: 4 base: 2 }"},
        FormCase{"logspace: 0:3:4:2",
                 "logspace { start: 0 stop: 3 num: 4 base: 2 }"},
        // uniform family.
        FormCase{"uniform: [0, 1]", "uniform { low: 0 high: 1 }"},
        FormCase{"uniform: {low: 0, high: 1}", "uniform { low: 0 high: 1 }"},
        FormCase{"uniform: 0:1", "uniform { low: 0 high: 1 }"},
        FormCase{"quniform: [0, 10, 2]", "quniform { low: 0 high: 10 q: 2 }"},
        FormCase{"quniform: {low: 0, high: 10, q: 2}",
                 "quniform { low: 0 high: 10 q: 2 }"},
        FormCase{"quniform: 0:10:2", "quniform { low: 0 high: 10 q: 2 }"},
        FormCase{"loguniform: [-9.2, -2.3]",
                 "loguniform { low: -9.2 high: -2.3 }"},
        FormCase{"loguniform: {low: -9.2, high: -2.3}",
                 "loguniform { low: -9.2 high: -2.3 }"},
        FormCase{"loguniform: -9.2:-2.3",
                 "loguniform { low: -9.2 high: -2.3 }"},
        FormCase{"qloguniform: [0, 5, 1]",
                 "qloguniform { low: 0 high: 5 q: 1 }"},
        FormCase{"qloguniform: {low: 0, high: 5, q: 1}",
                 "qloguniform { low: 0 high: 5 q: 1 }"},
        FormCase{"qloguniform: 0:5:1", "qloguniform { low: 0 high: 5 q: 1 }"},
        // normal family.
        FormCase{"normal: [0, 1]", "normal { loc: 0 scale: 1 }"},
        FormCase{"normal: {loc: 0, scale: 1}", "normal { loc: 0 scale: 1 }"},
        FormCase{"normal: 0:1", "normal { loc: 0 scale: 1 }"},
        FormCase{"qnormal: [0, 1, 0.5]", "qnormal { loc: 0 scale: 1 q: 0.5 }"},
        FormCase{"qnormal: {loc: 0, scale: 1, q: 0.5}",
                 "qnormal { loc: 0 scale: 1 q: 0.5 }"},
        FormCase{"qnormal: 0:1:0.5", "qnormal { loc: 0 scale: 1 q: 0.5 }"},
        FormCase{"lognormal: [0, 1]", "lognormal { loc: 0 scale: 1 }"},
        FormCase{"lognormal: {loc: 0, scale: 1}",
                 "lognormal { loc: 0 scale: 1 }"},
        FormCase{"lognormal: 0:1", "lognormal { loc: 0 scale: 1 }"},
        FormCase{"qlognormal: [0, 1, 2]",
                 "qlognormal { loc: 0 scale: 1 q: 2 }"},
        FormCase{"qlognormal: {loc: 0, scale: 1, q: 2}",
                 "qlognormal { loc: 0 scale: 1 q: 2 }"},
        FormCase{"qlognormal: 0:1:2", "qlognormal { loc: 0 scale: 1 q: 2 }"},
        // pvalues.
        FormCase{"pvalues: [[relu, 0.2], [sigmoid, 0.8]]",
                 R"pb(pvalues {
                        entries {
                          value { string_value: "relu" }
                          probability: 0.2
                        }
                        entries {
                          value { string_value: "sigmoid" }
                          probability: 0.8
                        }
                      })pb"},
        FormCase{"pvalues: [[1, 0.5], [2.5, 0.5]]",
                 R"pb(pvalues {
                        entries {
                          value { int_value: 1 }
                          probability: 0.5
                        }
                        entries {
                          value { double_value: 2.5 }
                          probability: 0.5
                        }
                      })pb"}));

TEST(Polyaxonfile, ValuesKeepYamlTypes) {
  const v1::ParameterSpec spec = ParseEntry(
      "values: [1, -2, 2.5, 1e-4, 0x10, abc, \"3\", 'yes', true, yes, No, OFF, "
      "!!str 5, 1.0]");
  const auto expected = TextProto<v1::ParameterSpec>(R"pb(
    name: "p"
    values {
      values { int_value: 1 }
      values { int_value: -2 }
      values { double_value: 2.5 }
      values { double_value: 1e-4 }
      values { int_value: 16 }
      values { string_value: "abc" }
      values { string_value: "3" }
      values { string_value: "yes" }
      values { bool_value: true }
      values { bool_value: true }
      values { bool_value: false }
      values { bool_value: false }
      values { string_value: "5" }
      values { double_value: 1 }
    }
  )pb");
  ExpectProtoEq(spec, expected);
}

TEST(Polyaxonfile, KeepsMatrixInFileOrder) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning:
  matrix:
    zeta: {values: [1]}
    alpha: {values: [2]}
    mid: {values: [3]}
)"));
  ASSERT_EQ(file.spec.parameters_size(), 3);
  EXPECT_EQ(file.spec.parameters(0).name(), "zeta");
  EXPECT_EQ(file.spec.parameters(1).name(), "alpha");
  EXPECT_EQ(file.spec.parameters(2).name(), "mid");
}

TEST(Polyaxonfile, RejectsPValuesTupleForm) {
  const std::string error =
      EntryError("pvalues: [(relu, 0.2), (sigmoid, 0.8)]");
  EXPECT_THAT(error, StartsWith("line 4: matrix.p.pvalues: "));
  EXPECT_THAT(error, HasSubstr("write it as [[relu, 0.2], [sigmoid, 0.8]]"));
}

TEST(Polyaxonfile, RejectsUnpairedPValuesTupleForm) {
  const std::string error = EntryError("pvalues: [(relu, 0.2, x)]");
  EXPECT_THAT(error, HasSubstr("write it as [[relu, 0.2], [sigmoid, 0.8]]"));
}

// ---------------------------------------------------------------------------
// Structural errors name the key and its line.

struct ErrorCase {
  std::string yaml;
  std::string expected_prefix;  // "line N: path: " and the start of the message
};

class StructuralErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(StructuralErrors, NameKeyAndLine) {
  const ErrorCase& error_case = GetParam();
  EXPECT_THAT(ErrorOf(Yaml(error_case.yaml)),
              StartsWith(error_case.expected_prefix));
}

INSTANTIATE_TEST_SUITE_P(
    Polyaxonfile, StructuralErrors,
    ::testing::Values(
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  concurency: 3
)",
                  "line 3: concurency: unknown key; expected one of "
                  "concurrency, seed,"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      lnspace: 1:2:3
)",
                  "line 4: matrix.lr.lnspace: unknown key; expected one of "
                  "values, pvalues,"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr: {}
)",
                  "line 3: matrix.lr: no option; give exactly one of values,"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
    dropout: {values: [1]}
)",
                  "line 3: matrix.lr: expected a map with one option"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      values: [1, 2]
      range: 1:5:1
)",
                  "line 3: matrix.lr: two options, values on line 4 and range "
                  "on line 5; give exactly one"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      range: [1, 5]
)",
                  "line 4: matrix.lr.range: range expects [start, stop, step], "
                  "{start, stop, step} "
                  "or \"start:stop:step\"; got 2 elements"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      linspace: 1:2:3:4
)",
                  "line 4: matrix.lr.linspace: linspace expects"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      logspace: [1, 2, 3, 4, 5]
)",
                  "line 4: matrix.lr.logspace: logspace expects [start, stop, "
                  "num, base], "
                  "{start, stop, num, base} or \"start:stop:num:base\" (base "
                  "optional); got 5 elements"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      uniform: 0.5
)",
                  "line 4: matrix.lr.uniform: uniform expects [low, high], "
                  "{low, high} or "
                  "\"low:high\"; got the float 0.5"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      range: [a, 5, 1]
)",
                  "line 4: matrix.lr.range.start: expected a number, got the "
                  "string \"a\""},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      linspace: 0:x:5
)",
                  "line 4: matrix.lr.linspace.stop: expected a number, got the "
                  "string \"x\""},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      linspace: [0, 1, 2.5]
)",
                  "line 4: matrix.lr.linspace.num: expected an integer, got "
                  "the float 2.5"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      normal: {loc: 0, scale: .inf}
)",
                  "line 4: matrix.lr.normal.scale: expected a finite number, "
                  "got .inf"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      quniform: {low: 0, high: 1}
)",
                  "line 4: matrix.lr.quniform: quniform is missing `q`"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      normal: {loc: 0, scale: 1, q: 2}
)",
                  "line 4: matrix.lr.normal.q: unknown key; expected one of "
                  "loc, scale"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      values: [1, [2, 3]]
)",
                  "line 4: matrix.lr.values[1]: expected a single value "
                  "(number, string or bool), "
                  "got a list"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      values:
        - 1
        - {a: 2}
)",
                  "line 6: matrix.lr.values[1]: expected a single value "
                  "(number, string or bool), "
                  "got a map"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      values: [1, ~]
)",
                  "line 4: matrix.lr.values[1]: expected a value, got null"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      values: 1:5
)",
                  "line 4: matrix.lr.values: expected a list, got the string "
                  "\"1:5\""},
        ErrorCase{R"(
hptuning:
  matrix:
    lr:
      values: [99999999999999999999]
)",
                  "line 4: matrix.lr.values[0]: 99999999999999999999 is "
                  "outside the 64-bit integer range"},
        ErrorCase{R"(
hptuning:
  matrix:
    act:
      pvalues: [[relu, 0.2, 1]]
)",
                  "line 4: matrix.act.pvalues[0]: expected a [value, "
                  "probability] pair such as "
                  "[relu, 0.2], got a list of 3 elements"},
        ErrorCase{R"(
hptuning:
  matrix:
    act:
      pvalues: [[relu, high]]
)",
                  "line 4: matrix.act.pvalues[0][1]: expected a number, got "
                  "the string \"high\""},
        ErrorCase{
            R"(
hptuning:
  matrix:
    a: {values: [1]}
    a: {values: [2]}
)",
            "line 4: matrix.a: duplicate key; the first one is on line 3"},
        ErrorCase{R"(
hptuning:
  matrix: [a, b]
)",
                  "line 2: matrix: expected a map, got a list"},
        ErrorCase{R"(
hptuning:
  matrix: {}
)",
                  "line 2: matrix: the matrix is empty"},
        ErrorCase{
            R"(
hptuning:
  matrix: {a: {values: [1]}}
  random_search: {n_experiments: 5}
  bo: {n_iterations: 3}
)",
            "line 4: bo: a second algorithm beside random_search on line 3"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  random_search: {n_experiment: 5}
)",
                  "line 3: random_search.n_experiment: unknown key; expected "
                  "one of n_experiments"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  grid_search: {n_experiments: ten}
)",
                  "line 3: grid_search.n_experiments: expected an integer, got "
                  "the string \"ten\""},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  concurrency: "4"
)",
                  "line 3: concurrency: expected an integer, got the string "
                  "\"4\"; remove the quotes"},
        ErrorCase{
            R"(
hptuning:
  matrix: {a: {values: [1]}}
  concurrency: 2.0
)",
            "line 3: concurrency: expected an integer, got the float 2.0"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  hyperband:
    max_iter: 81
    eta: 3
    resource: {name: epochs, type: long}
)",
                  "line 6: hyperband.resource.type: expected one of int, float "
                  "(in any letter case), "
                  "got the string \"long\""},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  hyperband:
    max_iter: 81
    rungs: 3
)",
                  "line 5: hyperband.rungs: unknown key; expected one of "
                  "max_iter, eta, resource, "
                  "metric, resume"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  hyperband:
    resume: maybe
)",
                  "line 4: hyperband.resume: expected true or false, got the "
                  "string \"maybe\""},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  bo:
    utility_function:
      gaussian_process:
        kernel: matern
        lengthscale: 1.0
)",
                  "line 7: bo.utility_function.gaussian_process.lengthscale: "
                  "unknown key"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  bo:
    utility_function:
      acquisition_function: thompson
)",
                  "line 5: bo.utility_function.acquisition_function: expected "
                  "one of ucb, ei, poi"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  bo:
    metric: {name: loss, optimization: lowest}
)",
                  "line 4: bo.metric.optimization: expected one of maximize, "
                  "minimize"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  metric: {optimization: minimize}
)",
                  "line 3: metric: missing `name`"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  early_stopping:
    - metric: loss
      value: 0.1
    - metric: accuracy
      threshold: 0.9
)",
                  "line 7: early_stopping[1].threshold: unknown key; expected "
                  "one of metric, value, "
                  "optimization, policy"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  early_stopping:
    - {metric: loss}
)",
                  "line 4: early_stopping[0]: an early_stopping entry needs "
                  "`metric` and `value`"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  early_stopping:
    - metric: loss
      value: 0.1
      policy:
        mean: {evaluation_interval: 1}
)",
                  "line 7: early_stopping[0].policy.mean: expected one of "
                  "median, truncation, diff"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  stopping_policy:
    median: {evaluation_interval: 1, percent: 10}
)",
                  "line 4: stopping_policy.median.percent: unknown key; "
                  "expected one of "
                  "evaluation_interval, min_interval, min_samples"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  stopping_policy: {kind: truncation, percnt: 10}
)",
                  "line 3: stopping_policy.percnt: unknown key; expected one "
                  "of kind, percent,"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  runner: slurm
)",
                  "line 3: runner: expected one of local, kubernetes"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  metrics: loss
)",
                  "line 3: metrics: expected a list, got the string \"loss\""},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
run:
  cmd: python train.py
  image: python:3.11
  command: python train.py
)",
                  "line 6: run.command: unknown key; expected one of cmd, "
                  "image, pod_template"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
run:
  cmd: []
)",
                  "line 4: run.cmd: the command list is empty"},
        ErrorCase{R"(
kind: group
hptuning:
  matrix: {a: {values: [1]}}
hptunning: {}
)",
                  "line 4: hptunning: unknown key; expected one of kind, name, "
                  "hptuning, settings,"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
  matrix: {b: {values: [1]}}
)",
                  "line 3: matrix: duplicate key; the first one is on line 2"},
        ErrorCase{R"(
hptuning:
  matrix: {a: {values: [1]}}
params:
  batch_size: [32, 64]
)",
                  "line 4: params.batch_size: expected a single value"},
        ErrorCase{R"(
hptuning:
  matrix:
    lr: {values: [0.1]
)",
                  "line 4: invalid YAML: "},
        ErrorCase{R"(
hptuning: {matrix: {a: {values: [1]}}}
---
hptuning: {matrix: {a: {values: [1]}}}
)",
                  "line 2: a second YAML document starts here"},
        ErrorCase{R"(
- hptuning
)",
                  "line 1: the top level of a study file must be a map"},
        ErrorCase{R"(
hptuning: 5
)",
                  "line 1: hptuning: expected a map with a matrix, got the "
                  "integer 5"},
        ErrorCase{R"(
? [a, b]
: 1
hptuning: {matrix: {a: {values: [1]}}}
)",
                  "line 1: a key is a list; keys must be plain names"}));

TEST(Polyaxonfile, ReadsWindowsLineEndingsAndBom) {
  const StudyFile unix_file = ParseOrDie(Yaml(kHptuningFile));
  std::string windows = "\xEF\xBB\xBF";
  for (const char c : Yaml(kHptuningFile)) {
    if (c == '\n') windows += '\r';
    windows += c;
  }
  ExpectProtoEq(ParseOrDie(windows).spec, unix_file.spec);
}

TEST(Polyaxonfile, CountsLinesFromDocumentStart) {
  const std::string text = Yaml(R"(
---
# A study of two parameters.

hptuning:
  matrix:
    lr: {range: [a, 1, 1]}
)");
  EXPECT_THAT(ErrorOf(text), StartsWith("line 6: matrix.lr.range.start: "));
}

TEST(Polyaxonfile, HintsAtTabIndentation) {
  const std::string error =
      ErrorOf("hptuning:\n\tmatrix: {a: {values: [1]}}\n");
  EXPECT_THAT(error, StartsWith("line 2: invalid YAML: "));
  EXPECT_THAT(error, HasSubstr("indented with a tab"));

  const std::string other = ErrorOf("hptuning:\n  matrix: {a: {values: [1]}\n");
  EXPECT_THAT(other, StartsWith("line "));
  EXPECT_THAT(other, Not(HasSubstr("tab")));
}

TEST(Polyaxonfile, RejectsEmptyFile) {
  EXPECT_THAT(ErrorOf(""), HasSubstr("the file is empty"));
  EXPECT_THAT(ErrorOf("# only a comment\n"), HasSubstr("the file is empty"));
}

// yaml-cpp 0.7's LoadAll never returns on a stray top-level ','; the fuzzer
// found the input ",v\0\0" (a timeout).
TEST(Polyaxonfile, RejectsStrayCommaWithoutHanging) {
  EXPECT_THAT(ErrorOf(std::string(",v\0\0", 4)),
              StartsWith("line 1: a second YAML document starts here"));
  EXPECT_THAT(ErrorOf(","),
              StartsWith("line 1: a second YAML document starts here"));
  EXPECT_THAT(ErrorOf("---\n,\n"),
              StartsWith("line 2: a second YAML document"));
}

TEST(Polyaxonfile, RejectsSelfReferentialAlias) {
  EXPECT_THAT(EntryError("values: &loop [*loop]"),
              HasSubstr("matrix.p.values[0]: expected a single value"));

  const std::string pod_template = Yaml(R"(
hptuning: {matrix: {a: {values: [1]}}}
run:
  pod_template: &loop {spec: *loop}
)");
  EXPECT_THAT(
      ErrorOf(pod_template),
      StartsWith("line 3: run.pod_template: the template is nested deeper"));
}

// ---------------------------------------------------------------------------
// Algorithms, enumerations and stopping.

TEST(Polyaxonfile, ReadsHyperband) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning:
  matrix: {lr: {uniform: [0, 1]}}
  hyperband:
    max_iter: 81
    eta: 3
    resource: {name: num_epochs, type: INT}
    metric: {name: loss, optimization: Minimize}
    resume: True
)"));
  const auto expected = TextProto<v1::Hyperband>(R"pb(
    max_iter: 81
    eta: 3
    resource { name: "num_epochs" type: INT }
    metric { name: "loss" optimization: MINIMIZE }
    resume: true
  )pb");
  ExpectProtoEq(file.spec.hyperband(), expected);
}

TEST(Polyaxonfile, ReadsBayesianOptimization) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning:
  matrix: {lr: {uniform: [0, 1]}}
  bo:
    n_initial_trials: 5
    n_iterations: 15
    metric: {name: accuracy, optimization: MAXIMIZE}
    utility_function:
      acquisition_function: UCB
      kappa: 1.2
      eps: 0.1
      n_warmup: 1000
      n_iter: 50
      gaussian_process:
        kernel: Matern
        length_scale: 1.0
        nu: 1.9
        n_restarts_optimizer: 2
)"));
  const auto expected = TextProto<v1::BayesianOptimization>(R"pb(
    n_initial_trials: 5
    n_iterations: 15
    metric { name: "accuracy" optimization: MAXIMIZE }
    utility_function {
      acquisition_function: UCB
      kappa: 1.2
      eps: 0.1
      n_warmup: 1000
      n_iter: 50
      gaussian_process {
        kernel: MATERN
        length_scale: 1
        nu: 1.9
        n_restarts_optimizer: 2
      }
    }
  )pb");
  ExpectProtoEq(file.spec.bo(), expected);
}

TEST(Polyaxonfile, ReadsEnumerationWordsInAnyCase) {
  for (const std::string word : {"minimize", "Minimize", "MINIMIZE"}) {
    const StudyFile file = ParseOrDie(
        "hptuning:\n  matrix: {a: {values: [1]}}\n  metric: {name: loss, "
        "optimization: " +
        word + "}\n");
    EXPECT_EQ(file.spec.metric().optimization(), v1::MINIMIZE) << word;
  }
  for (const std::string word : {"rbf", "RBF", "Rbf"}) {
    const StudyFile file = ParseOrDie(
        "hptuning:\n  matrix: {a: {values: [1]}}\n  bo:\n    "
        "utility_function:\n"
        "      acquisition_function: ei\n      gaussian_process: {kernel: " +
        word + "}\n");
    EXPECT_EQ(file.spec.bo().utility_function().gaussian_process().kernel(),
              v1::BayesianOptimization::RBF)
        << word;
    EXPECT_EQ(file.spec.bo().utility_function().acquisition_function(),
              v1::BayesianOptimization::EI);
  }
  for (const std::string word : {"kubernetes", "Kubernetes", "KUBERNETES"}) {
    const StudyFile file = ParseOrDie(
        "hptuning:\n  matrix: {a: {values: [1]}}\n  runner: " + word + "\n");
    EXPECT_EQ(file.spec.runner(), v1::KUBERNETES) << word;
  }
  EXPECT_EQ(
      ParseOrDie("hptuning:\n  matrix: {a: {values: [1]}}\n  runner: Local\n")
          .spec.runner(),
      v1::LOCAL);
}

TEST(Polyaxonfile, ReadsGridAndRandomSearch) {
  const StudyFile grid = ParseOrDie(
      "hptuning:\n  matrix: {a: {values: [1, 2]}}\n  grid_search: "
      "{n_experiments: 1}\n");
  EXPECT_TRUE(grid.spec.has_grid_search());
  EXPECT_EQ(grid.spec.grid_search().n_experiments(), 1);

  const StudyFile bare_grid = ParseOrDie(
      "hptuning:\n  matrix: {a: {values: [1, 2]}}\n  grid_search:\n");
  EXPECT_TRUE(bare_grid.spec.has_grid_search());
  EXPECT_EQ(bare_grid.spec.grid_search().n_experiments(), 0);

  const StudyFile no_algorithm =
      ParseOrDie("hptuning:\n  matrix: {a: {values: [1]}}\n");
  EXPECT_EQ(no_algorithm.spec.algorithm_case(),
            v1::StudySpec::ALGORITHM_NOT_SET);
}

TEST(Polyaxonfile, ReadsStudySettings) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning:
  matrix: {a: {values: [1]}}
  trial_timeout: 90.5
  max_failed_trials: 3
  metrics: [accuracy, loss]
  runner: kubernetes
)"));
  EXPECT_DOUBLE_EQ(file.spec.trial_timeout_seconds(), 90.5);
  EXPECT_EQ(file.spec.max_failed_trials(), 3);
  EXPECT_THAT(file.spec.metrics(), ElementsAre("accuracy", "loss"));
  EXPECT_EQ(file.spec.runner(), v1::KUBERNETES);
  EXPECT_FALSE(file.spec.has_seed());
}

TEST(Polyaxonfile, ReadsEarlyStoppingRules) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning:
  matrix: {a: {values: [1]}}
  early_stopping:
    - metric: loss
      value: 0.01
      optimization: minimize
    - metric: accuracy
      value: 0.97
      optimization: maximize
      policy:
        truncation: {percent: 25, evaluation_interval: 2, min_interval: 4, min_samples: 3}
)"));
  ASSERT_EQ(file.spec.early_stopping_size(), 2);
  ExpectProtoEq(
      file.spec.early_stopping(0),
      TextProto<v1::EarlyStoppingRule>(R"pb(metric: "loss"
                                            value: 0.01
                                            optimization: MINIMIZE)pb"));
  ExpectProtoEq(file.spec.early_stopping(1),
                TextProto<v1::EarlyStoppingRule>(R"pb(
                  metric: "accuracy"
                  value: 0.97
                  optimization: MAXIMIZE
                  policy {
                    truncation {
                      percent: 25
                      evaluation_interval: 2
                      min_interval: 4
                      min_samples: 3
                    }
                  }
                )pb"));
}

TEST(Polyaxonfile, ReadsBothPolicyForms) {
  const StudyFile nested = ParseOrDie(Yaml(R"(
hptuning:
  matrix: {a: {values: [1]}}
  metric: {name: loss, optimization: minimize}
  stopping_policy:
    median: {evaluation_interval: 1, min_interval: 5, min_samples: 3}
)"));
  const StudyFile with_kind = ParseOrDie(Yaml(R"(
hptuning:
  matrix: {a: {values: [1]}}
  metric: {name: loss, optimization: minimize}
  stopping_policy: {kind: Median, evaluation_interval: 1, min_interval: 5, min_samples: 3}
)"));
  ExpectProtoEq(nested.spec, with_kind.spec);
  ExpectProtoEq(
      nested.spec.stopping_policy(),
      TextProto<v1::StoppingPolicy>(
          "median { evaluation_interval: 1 min_interval: 5 min_samples: 3 }"));

  const StudyFile diff = ParseOrDie(
      "hptuning:\n  matrix: {a: {values: [1]}}\n  stopping_policy:\n    "
      "diff:\n");
  EXPECT_TRUE(diff.spec.stopping_policy().has_diff());
}

// ---------------------------------------------------------------------------
// run, params, declarations and inputs.

TEST(Polyaxonfile, JoinsCommandList) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning: {matrix: {a: {values: [1]}}}
run:
  cmd:
    - pip install -r requirements.txt
    - python train.py --a={{ a }}
  image: python:3.11
)"));
  EXPECT_EQ(file.spec.run().cmd(),
            "pip install -r requirements.txt\npython train.py --a={{ a }}");
  EXPECT_EQ(file.spec.run().image(), "python:3.11");
}

TEST(Polyaxonfile, StoresPodTemplateMapAsYaml) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning: {matrix: {a: {values: [1]}}}
run:
  pod_template:
    spec:
      containers:
        - name: trial
          image: python:3.11
)"));
  const YAML::Node reread = YAML::Load(file.spec.run().pod_template());
  EXPECT_EQ(reread["spec"]["containers"][0]["image"].as<std::string>(),
            "python:3.11");

  const StudyFile text_template = ParseOrDie(
      "hptuning: {matrix: {a: {values: [1]}}}\nrun:\n  pod_template: "
      "'{\"spec\": {}}'\n");
  EXPECT_EQ(text_template.spec.run().pod_template(), "{\"spec\": {}}");
}

TEST(Polyaxonfile, ReadsParamsAndDeclarations) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning: {matrix: {lr: {values: [0.1]}}}
declarations:
  batch_size: 128
params:
  optimizer: adam
  use_bn: true
  decay: 0.9
)"));
  const auto expected = TextProto<v1::StudySpec>(R"pb(
    params {
      name: "optimizer"
      value { string_value: "adam" }
    }
    params {
      name: "use_bn"
      value { bool_value: true }
    }
    params {
      name: "decay"
      value { double_value: 0.9 }
    }
    params {
      name: "batch_size"
      value { int_value: 128 }
    }
  )pb");
  EXPECT_EQ(file.spec.params_size(), expected.params_size());
  for (int i = 0; i < expected.params_size() && i < file.spec.params_size();
       ++i) {
    ExpectProtoEq(file.spec.params(i), expected.params(i));
  }
}

TEST(Polyaxonfile, RejectsParamAlsoInMatrix) {
  const std::string error = ErrorOf(Yaml(R"(
hptuning:
  matrix:
    lr: {values: [0.1, 0.01]}
declarations:
  lr: 0.1
)"));
  EXPECT_THAT(
      error,
      StartsWith("line 5: declarations.lr: lr is also a matrix parameter "
                 "(line 3)"));
}

TEST(Polyaxonfile, RejectsNameInParamsAndDeclarations) {
  const std::string error = ErrorOf(Yaml(R"(
hptuning: {matrix: {lr: {values: [0.1]}}}
params:
  batch_size: 64
declarations:
  batch_size: 128
)"));
  EXPECT_THAT(
      error,
      StartsWith("line 5: declarations.batch_size: batch_size is already "
                 "fixed on line 3"));
}

TEST(Polyaxonfile, AppliesInputDefaultsOnlyOutsideMatrix) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning:
  matrix:
    lr: {values: [0.1, 0.01]}
params:
  epochs: 5
inputs:
  - {name: lr, type: float, default: 0.5, is_optional: true}
  - {name: epochs, type: int, default: 1}
  - {name: batch_size, type: int, default: 32, is_optional: true}
  - {name: momentum, type: float, default: 1}
  - {name: tag, type: str, default: 42}
  - {name: notes, type: str, is_optional: true}
)"));
  const auto expected = TextProto<v1::StudySpec>(R"pb(
    params {
      name: "epochs"
      value { int_value: 5 }
    }
    params {
      name: "batch_size"
      value { int_value: 32 }
    }
    params {
      name: "momentum"
      value { double_value: 1 }
    }
    params {
      name: "tag"
      value { string_value: "42" }
    }
  )pb");
  ASSERT_EQ(file.spec.params_size(), expected.params_size());
  for (int i = 0; i < expected.params_size(); ++i) {
    ExpectProtoEq(file.spec.params(i), expected.params(i));
  }
}

TEST(Polyaxonfile, ReadsInputValueAsDefault) {
  const StudyFile file = ParseOrDie(Yaml(R"(
hptuning: {matrix: {lr: {values: [0.1]}}}
inputs:
  - {name: optimizer, type: str, value: sgd, description: the optimiser}
  - {name: verbose, type: bool, default: false, is_flag: true, is_list: false}
)"));
  const auto expected = TextProto<v1::StudySpec>(R"pb(
    params {
      name: "optimizer"
      value { string_value: "sgd" }
    }
    params {
      name: "verbose"
      value { bool_value: false }
    }
  )pb");
  ASSERT_EQ(file.spec.params_size(), expected.params_size());
  for (int i = 0; i < expected.params_size(); ++i) {
    ExpectProtoEq(file.spec.params(i), expected.params(i));
  }
}

TEST(Polyaxonfile, RejectsUnknownInputKey) {
  const std::string error = ErrorOf(Yaml(R"(
hptuning: {matrix: {lr: {values: [0.1]}}}
inputs:
  - name: batch_size
    defualt: 32
)"));
  EXPECT_THAT(
      error,
      StartsWith("line 4: inputs[0].defualt: unknown key; expected one of "
                 "name, description, type, default, value,"));
}

TEST(Polyaxonfile, RejectsRequiredInputWithoutValue) {
  const std::string error = ErrorOf(Yaml(R"(
hptuning: {matrix: {lr: {values: [0.1]}}}
inputs:
  - name: batch_size
    type: int
)"));
  EXPECT_THAT(
      error,
      StartsWith("line 3: inputs[0].name: input batch_size has no default"));
}

TEST(Polyaxonfile, RejectsInputDefaultOfWrongType) {
  const std::string error = ErrorOf(Yaml(R"(
hptuning: {matrix: {lr: {values: [0.1]}}}
inputs:
  - {name: batch_size, type: int, default: 32.5}
)"));
  EXPECT_THAT(
      error,
      StartsWith("line 3: inputs[0].default: the default is the float 32.5 "
                 "but the input's type is int"));
}

}  // namespace
}  // namespace augur
