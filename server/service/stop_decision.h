#ifndef AUGUR_SERVER_SERVICE_STOP_DECISION_H_
#define AUGUR_SERVER_SERVICE_STOP_DECISION_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "augur/v1/augur.pb.h"
#include "core/stopping/stopping_rules.h"
#include "core/stopping/threshold.h"
#include "server/service/study_config_cache.h"
#include "server/store/trial_store.h"

namespace augur {

// The server side of early stopping: it loads what the pure decisions of
// core/stopping need from the store and applies their outcome to the rows.
// Every function runs inside the caller's transaction, so a decision and the
// writes it causes commit together.

// Decides whether the training code of `trial` should stop, and why, as
// ReportMetric and ShouldStop return it (see augur::DecideStop in
// core/stopping/stop_decision.h for the order of the checks). A trial that
// ended stops: TIMED_OUT when trial_timeout failed it, else TRIAL_FINISHED.
// Every trial of a study that is not ACTIVE stops: THRESHOLD_REACHED when a
// threshold stopped the study, else STUDY_NOT_ACTIVE. An ACTIVE trial of an
// ACTIVE study stops when one of the study's trial policies fires (POLICY).
//
// `study` and `trial` are the rows as the transaction sees them. The
// measurements of every trial of the study are loaded only when a trial
// policy must be checked.
absl::StatusOr<v1::StopDecision> DecideTrialStop(StoreTransaction& transaction,
                                                 const StudyRow& study,
                                                 const StudyRuntime& runtime,
                                                 const TrialRow& trial);

// Checks one new measurement of trial `trial_id` against the study's
// early_stopping thresholds. On a hit while `study` is ACTIVE, moves it to
// STOPPED with the hit's message as state reason and its trigger (trial,
// metric, value), writes the row and returns the hit. Returns nullopt, and
// changes nothing, when no threshold is reached or the study is not ACTIVE.
absl::StatusOr<std::optional<ThresholdHit>> ApplyThresholds(
    StoreTransaction& transaction, StudyRow& study, const StoppingRules& rules,
    int64_t trial_id, const v1::Measurement& measurement);

// Returns true when `trial` is FAILED because trial_timeout expired.
bool IsTimedOut(const TrialRow& trial, const StoppingRules& rules);

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_STOP_DECISION_H_
