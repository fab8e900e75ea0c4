#ifndef AUGUR_TESTS_CORE_TEST_UTIL_H_
#define AUGUR_TESTS_CORE_TEST_UTIL_H_

#include <string>
#include <utility>

#include "augur/v1/augur.pb.h"
#include "core/algorithms/algorithm.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace augur {

// Parses a protobuf text-format message, failing the test on a syntax error.
template <typename Message>
Message ParseText(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

inline v1::ParameterSpec ParseParameter(const std::string& text) {
  return ParseText<v1::ParameterSpec>(text);
}

inline v1::StudySpec ParseStudy(const std::string& text) {
  return ParseText<v1::StudySpec>(text);
}

// Stores each suggestion as a new trial of `view`, as the server does.
inline void AddTrials(const std::vector<Suggestion>& suggestions, StudyView& view) {
  for (const Suggestion& suggestion : suggestions) {
    TrialRecord trial;
    trial.id = static_cast<int64_t>(view.trials.size()) + 1;
    trial.state = v1::SUCCEEDED;
    trial.point = suggestion.point;
    trial.algorithm_state = suggestion.algorithm_state;
    view.trials.push_back(std::move(trial));
  }
}

// Adds a trial holding `point` that no algorithm created (AddTrial).
inline void AddUserTrial(Point point, StudyView& view) {
  TrialRecord trial;
  trial.id = static_cast<int64_t>(view.trials.size()) + 1;
  trial.state = v1::PENDING;
  trial.point = std::move(point);
  view.trials.push_back(std::move(trial));
}

}  // namespace augur

#endif  // AUGUR_TESTS_CORE_TEST_UTIL_H_
