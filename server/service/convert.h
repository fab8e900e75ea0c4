#ifndef AUGUR_SERVER_SERVICE_CONVERT_H_
#define AUGUR_SERVER_SERVICE_CONVERT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "core/study_config.h"
#include "server/store/trial_store.h"

namespace augur {

// Builds the wire form of a trial from its row, its measurements (in step
// order) and its latest metric values.
v1::Trial TrialToProto(const TrialRow& trial, const std::string& study_name,
                       const std::vector<v1::Measurement>& measurements,
                       const std::map<std::string, double>& latest_metrics);

// Loads the measurements and latest metric values of `trial` and builds its
// wire form.
absl::StatusOr<v1::Trial> LoadTrialProto(StoreTransaction& transaction,
                                         const TrialRow& trial,
                                         const std::string& study_name);

// Loads the trial counts by state and the best trial of `study` and builds
// its wire form.
absl::StatusOr<v1::Study> LoadStudyProto(StoreTransaction& transaction,
                                         const StudyRow& study,
                                         const StudyConfig& config);

// True when `a` is a better objective value than `b` in the objective's
// direction.
bool IsBetter(double a, double b, const Objective& objective);

// Returns the SUCCEEDED or STOPPED trial of `trials` with the best objective value
// (ties: the lower id), or nullopt when none has a value.
std::optional<TrialRow> BestTrial(const std::vector<TrialRow>& trials,
                                  const Objective& objective);

// The upper-case name of a state, as messages show it ("SUCCEEDED").
std::string StateName(v1::TrialState state);
std::string StateName(v1::StudyState state);

// True for SUCCEEDED, FAILED and STOPPED.
bool IsFinished(v1::TrialState state);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_CONVERT_H_
