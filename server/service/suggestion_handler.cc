#include "server/service/suggestion_handler.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "server/logging.h"
#include "server/service/convert.h"
#include "server/service/study_lifecycle.h"
#include "server/service/trial_sweep.h"
#include "server/service/validation.h"
#include "server/store/study_view_loader.h"

namespace augur {
namespace {

// The trials and reason of one GetSuggestions call, before the reply is built.
struct Allocation {
  std::vector<TrialRow> trials;
  v1::SuggestionReason reason = v1::COMPLETE;
  std::string message;
  bool study_changed = false;
};

absl::Status ValidateRequest(const v1::GetSuggestionsRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateStudyName(request.study()));
  if (request.client_id().empty()) {
    return absl::InvalidArgumentError(
        "client_id is missing; pass an id that is stable across retries, "
        "one per worker slot");
  }
  if (request.count() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "count is ", request.count(), "; request at least 1 suggestion"));
  }
  return absl::OkStatus();
}

// Builds a trial's parameters: the matrix point in matrix order, then the
// values the algorithm injects, then the spec's fixed params.
absl::StatusOr<std::vector<v1::Parameter>> SuggestionParameters(
    const Suggestion& suggestion, const StudyConfig& config) {
  const std::vector<Parameter>& space = config.space().parameters();
  if (suggestion.point.size() != space.size()) {
    return absl::InternalError(absl::StrCat(
        "the algorithm suggested a point with ", suggestion.point.size(),
        " values for a matrix of ", space.size(), " parameters"));
  }

  std::vector<v1::Parameter> parameters;
  for (size_t i = 0; i < space.size(); ++i) {
    v1::Parameter& parameter = parameters.emplace_back();
    parameter.set_name(space[i].name());
    *parameter.mutable_value() = ValueToProto(suggestion.point[i]);
  }
  for (const auto& [name, value] : suggestion.injected) {
    v1::Parameter& parameter = parameters.emplace_back();
    parameter.set_name(name);
    *parameter.mutable_value() = ValueToProto(value);
  }
  for (const v1::Parameter& fixed : config.spec().params()) {
    parameters.push_back(fixed);
  }
  return parameters;
}

absl::StatusOr<TrialRow> InsertSuggestion(StoreTransaction& transaction,
                                          const StudyRow& study,
                                          const StudyConfig& config,
                                          const Suggestion& suggestion,
                                          const std::string& client_id,
                                          int64_t now_ms) {
  TrialRow trial;
  trial.study_id = study.id;
  trial.state = v1::ACTIVE;
  trial.origin = TrialOrigin::kAlgorithm;
  AUGUR_ASSIGN_OR_RETURN(trial.parameters,
                         SuggestionParameters(suggestion, config));
  trial.point_key = PointKey(suggestion.point);
  trial.client_id = client_id;
  trial.parent_id = suggestion.parent_id;
  trial.resume_from_parent = suggestion.resume_from_parent;
  trial.algorithm_state = suggestion.algorithm_state;
  trial.create_time_ms = now_ms;
  trial.start_time_ms = now_ms;
  trial.last_seen_ms = now_ms;
  AUGUR_RETURN_IF_ERROR(transaction.InsertTrial(trial));
  return trial;
}

// Asks the algorithm for up to `count` new trials within the budget, inserts
// them as ACTIVE for `client_id` and appends them to `allocation`.
absl::Status AskAlgorithm(StoreTransaction& transaction, StudyRow& study,
                          const StudyRuntime& runtime, int64_t count,
                          const std::string& client_id, int64_t now_ms,
                          Allocation& allocation) {
  if (study.exhausted) {
    allocation.reason = v1::EXHAUSTED;
    allocation.message = study.state_reason;
    return absl::OkStatus();
  }

  int64_t ask = count;
  bool budget_limits = false;
  if (study.budget > 0) {
    AUGUR_ASSIGN_OR_RETURN(
        int64_t created,
        transaction.CountTrialsByOrigin(study.id, TrialOrigin::kAlgorithm));
    const int64_t left = std::max<int64_t>(study.budget - created, 0);
    budget_limits = left <= ask;
    ask = std::min(ask, left);
  }
  const std::string budget_message =
      absl::StrCat("the budget of ", study.budget, " trials is used up");

  if (ask > 0) {
    AUGUR_ASSIGN_OR_RETURN(StudyView view,
                           LoadStudyView(transaction, study, runtime.config));
    AUGUR_ASSIGN_OR_RETURN(
        SuggestResult result,
        runtime.algorithm->Suggest(view, static_cast<int>(ask)));
    if (static_cast<int64_t>(result.suggestions.size()) > ask) {
      return absl::InternalError(
          absl::StrCat("the algorithm returned ", result.suggestions.size(),
                       " suggestions for a request of ", ask));
    }

    for (const Suggestion& suggestion : result.suggestions) {
      AUGUR_ASSIGN_OR_RETURN(
          TrialRow trial, InsertSuggestion(transaction, study, runtime.config,
                                           suggestion, client_id, now_ms));
      allocation.trials.push_back(std::move(trial));
    }
    if (result.new_study_state.has_value()) {
      study.algorithm_state = *result.new_study_state;
      allocation.study_changed = true;
    }

    if (static_cast<int64_t>(result.suggestions.size()) < ask) {
      allocation.reason = result.reason;
      allocation.message = result.message;
      if (result.reason == v1::EXHAUSTED) {
        MarkExhausted(study, result.message);
        allocation.study_changed = true;
      }
      return absl::OkStatus();
    }
  }

  if (budget_limits) {
    MarkExhausted(study, budget_message);
    allocation.study_changed = true;
    if (ask < count) {
      allocation.reason = v1::EXHAUSTED;
      allocation.message = budget_message;
    }
  }
  return absl::OkStatus();
}

// Fills `allocation` for an ACTIVE study: own ACTIVE trials, then PENDING
// ones, then the algorithm's, within the study's concurrency.
absl::Status Allocate(StoreTransaction& transaction, StudyRow& study,
                      const StudyRuntime& runtime,
                      const v1::GetSuggestionsRequest& request,
                      Allocation& allocation) {
  const int64_t now_ms = NowMs();
  const int64_t count = request.count();
  AUGUR_ASSIGN_OR_RETURN(
      std::vector<TrialRow> open,
      transaction.ListTrials(study.id, {v1::ACTIVE, v1::PENDING}));

  int64_t active = 0;
  for (TrialRow& trial : open) {
    if (trial.state != v1::ACTIVE) continue;
    ++active;
    const bool own = trial.client_id == request.client_id();
    if (own && static_cast<int64_t>(allocation.trials.size()) < count) {
      trial.last_seen_ms = now_ms;
      AUGUR_RETURN_IF_ERROR(transaction.UpdateTrial(trial));
      allocation.trials.push_back(trial);
    }
  }

  const int64_t requested = count - static_cast<int64_t>(allocation.trials.size());
  const int64_t room =
      std::max<int64_t>(runtime.config.concurrency() - active, 0);
  int64_t grant = std::min(requested, room);
  for (TrialRow& trial : open) {
    if (grant == 0) break;
    if (trial.state != v1::PENDING) continue;
    trial.state = v1::ACTIVE;
    trial.client_id = request.client_id();
    trial.start_time_ms = now_ms;
    trial.last_seen_ms = now_ms;
    AUGUR_RETURN_IF_ERROR(transaction.UpdateTrial(trial));
    allocation.trials.push_back(trial);
    --grant;
  }

  if (grant > 0) {
    AUGUR_RETURN_IF_ERROR(AskAlgorithm(transaction, study, runtime, grant,
                                       request.client_id(), now_ms,
                                       allocation));
  }
  const bool short_of_count =
      static_cast<int64_t>(allocation.trials.size()) < count;
  if (short_of_count && allocation.reason == v1::COMPLETE) {
    allocation.reason = v1::CONCURRENCY_REACHED;
    allocation.message = absl::StrCat(
        "the study's concurrency of ", runtime.config.concurrency(),
        " ACTIVE trials is reached; ask again when a trial ends");
  }
  return absl::OkStatus();
}

void SetStudyEnded(const StudyRow& study, v1::GetSuggestionsResponse& reply) {
  reply.set_reason(v1::STUDY_ENDED);
  reply.set_message(absl::StrCat("study \"", study.name, "\" is ",
                                 StateName(study.state), ": ",
                                 study.state_reason));
}

}  // namespace

absl::StatusOr<v1::GetSuggestionsResponse> GetSuggestions(
    ServiceContext& context, const v1::GetSuggestionsRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateRequest(request));

  v1::GetSuggestionsResponse reply;
  bool completed = false;
  StudyRow study;
  SweepResult sweep;
  AUGUR_RETURN_IF_ERROR(context.store->Transact(
      [&](StoreTransaction& transaction) -> absl::Status {
        AUGUR_ASSIGN_OR_RETURN(study, transaction.GetStudy(request.study()));
        AUGUR_ASSIGN_OR_RETURN(auto runtime, context.configs->Get(study));
        // Timed-out trials free their slots before any is handed out.
        AUGUR_ASSIGN_OR_RETURN(
            sweep, SweepTimedOutTrials(transaction, study, *runtime, NowMs()));
        if (study.state != v1::STUDY_ACTIVE) {
          SetStudyEnded(study, reply);
          reply.set_study_state(study.state);
          return absl::OkStatus();
        }

        Allocation allocation;
        AUGUR_RETURN_IF_ERROR(
            Allocate(transaction, study, *runtime, request, allocation));
        if (allocation.study_changed) {
          AUGUR_RETURN_IF_ERROR(transaction.UpdateStudy(study));
        }
        AUGUR_ASSIGN_OR_RETURN(completed,
                               CompleteStudyIfDone(transaction, study));

        for (const TrialRow& trial : allocation.trials) {
          AUGUR_ASSIGN_OR_RETURN(
              *reply.add_trials(),
              LoadTrialProto(transaction, trial, study.name));
        }
        reply.set_reason(allocation.reason);
        reply.set_message(allocation.message);
        if (completed) SetStudyEnded(study, reply);
        reply.set_study_state(study.state);
        return absl::OkStatus();
      }));

  LogSweep(study, sweep);
  if (completed) {
    AUGUR_LOG_INFO("study \"{}\" is COMPLETED: {}", study.name,
                   study.state_reason);
  }
  return reply;
}

}  // namespace augur
