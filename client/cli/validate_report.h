#ifndef AUGUR_CLIENT_CLI_VALIDATE_REPORT_H_
#define AUGUR_CLIENT_CLI_VALIDATE_REPORT_H_

#include <string>

#include "core/space/parameter.h"
#include "core/study_config.h"

namespace augur {

// Renders what `augur validate` prints for a valid study file. It lists the
// study name, the algorithm with its settings (and, for Hyperband, the
// brackets), the objective, concurrency and seed. Then each parameter with
// its option, its arguments and its values (at most 7 listed, the rest
// elided) or its distribution. Last, the size of the space and the trial
// budget with any notes.
std::string RenderStudyFileSummary(const StudyConfig& config);

// Describes a matrix parameter: its arguments and values, such as
// "start=0.0 stop=1.0 num=3 -> 3 values: 0.0, 0.5, 1.0" or
// "low=0.0 high=1.0, continuous". The option name is not included.
std::string DescribeParameter(const Parameter& parameter);

// Returns "12 grid points", "36 distinct points" (every parameter finite
// but one a pvalues distribution), "continuous (uniform x)" or "more than
// 9223372036854775807 points".
std::string SpaceSizeText(const SearchSpace& space);

}  // namespace augur

#endif  // AUGUR_CLIENT_CLI_VALIDATE_REPORT_H_
