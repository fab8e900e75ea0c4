#include "server/store/study_view_loader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace augur {

absl::StatusOr<Point> TrialPoint(const TrialRow& trial,
                                 const SearchSpace& space) {
  Point point;
  point.reserve(space.parameters().size());
  for (const Parameter& parameter : space.parameters()) {
    const v1::Parameter* found = nullptr;
    for (const v1::Parameter& stored : trial.parameters) {
      if (stored.name() == parameter.name()) {
        found = &stored;
        break;
      }
    }
    if (found == nullptr) {
      return absl::InternalError(
          absl::StrCat("trial ", trial.id, " has no value for parameter \"",
                       parameter.name(), "\" of its study's matrix"));
    }
    point.push_back(ValueFromProto(found->value()));
  }
  return point;
}

absl::StatusOr<StudyView> LoadStudyView(StoreTransaction& transaction,
                                        const StudyRow& study,
                                        const StudyConfig& config) {
  AUGUR_ASSIGN_OR_RETURN(std::vector<TrialRow> trials,
                         transaction.ListTrials(study.id));
  AUGUR_ASSIGN_OR_RETURN(auto measurements,
                         transaction.ListMeasurementsOfStudy(study.id));
  AUGUR_ASSIGN_OR_RETURN(auto latest,
                         transaction.ListLatestMetricsOfStudy(study.id));

  StudyView view;
  view.config = &config;
  view.seed = study.seed;
  view.budget = study.budget;
  view.algorithm_state = study.algorithm_state;
  view.trials.reserve(trials.size());
  for (TrialRow& trial : trials) {
    TrialRecord record;
    record.id = trial.id;
    record.state = trial.state;
    AUGUR_ASSIGN_OR_RETURN(record.point, TrialPoint(trial, config.space()));
    record.parent_id = trial.parent_id;
    record.measurements = std::move(measurements[trial.id]);
    record.latest_metrics = std::move(latest[trial.id]);
    record.objective_value = trial.objective_value;
    record.algorithm_state = std::move(trial.algorithm_state);
    view.trials.push_back(std::move(record));
  }
  return view;
}

}  // namespace augur
