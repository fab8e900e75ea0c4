#ifndef AUGUR_SERVER_STORE_STUDY_VIEW_LOADER_H_
#define AUGUR_SERVER_STORE_STUDY_VIEW_LOADER_H_

#include "absl/status/statusor.h"
#include "core/algorithms/algorithm.h"
#include "core/study_config.h"
#include "server/store/trial_store.h"

namespace augur {

// Loads what an algorithm receives of `study`: every trial in id order with its
// matrix point, measurements and latest metric values, plus the seed, the
// budget and the study-wide algorithm state. Three queries whatever the
// number of trials.
//
// `config` must be the validated config of `study` and outlive the view.
// INTERNAL when a stored trial lacks a matrix parameter of the config.
//
// TODO: every call reads the whole study. A per-study cache keyed by a
// version number that each write increments would avoid it for large
// studies.
absl::StatusOr<StudyView> LoadStudyView(StoreTransaction& transaction,
                                        const StudyRow& study,
                                        const StudyConfig& config);

// Returns the matrix point of `trial` in the order of `space`.
// INTERNAL when a matrix parameter is missing.
absl::StatusOr<Point> TrialPoint(const TrialRow& trial,
                                 const SearchSpace& space);

}  // namespace augur

#endif  // AUGUR_SERVER_STORE_STUDY_VIEW_LOADER_H_
