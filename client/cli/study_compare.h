#ifndef AUGUR_CLIENT_CLI_STUDY_COMPARE_H_
#define AUGUR_CLIENT_CLI_STUDY_COMPARE_H_

#include <map>
#include <string>
#include <vector>

#include "augur/v1/augur.pb.h"

namespace augur {

// Flattens a study spec into setting path -> value text, for comparing specs
// setting by setting: nested messages become dotted paths
// ("random_search.n_experiments"), each matrix entry becomes "matrix.NAME"
// with its option, arguments and values, each fixed param "params.NAME".
// Scalars of set messages appear even at their default (concurrency 0);
// unset messages and optional fields are absent. The study name is left
// out.
std::map<std::string, std::string> FlattenStudySpec(const v1::StudySpec& spec);

// Returns the names of the parameters whose values differ between the best
// trials of `studies`, in first-seen order. A parameter that some best trial
// lacks differs. Studies without a best trial are left out, so fewer than
// two best trials give an empty list.
std::vector<std::string> DifferingBestParameters(
    const std::vector<v1::Study>& studies);

// Renders `augur compare` with one column per study. The first table has the
// state, algorithm, seed, trials created against the budget, trial counts by
// outcome, objective, best trial and its value. The second has the best
// trials' parameters, marking those that differ with '*'. The third has the
// spec settings that differ.
std::string RenderStudyComparison(const std::vector<v1::Study>& studies);

}  // namespace augur

#endif  // AUGUR_CLIENT_CLI_STUDY_COMPARE_H_
