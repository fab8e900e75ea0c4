#include "server/service/study_handlers.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/logging.h"
#include "server/service/convert.h"
#include "server/service/trial_sweep.h"
#include "server/service/validation.h"
#include "server/store/trial_store.h"

namespace augur {
namespace {

// Draws a non-negative 63-bit seed from the operating system's entropy
// source. The only place where augur takes randomness from outside a seed.
int64_t DrawSeed() {
  std::random_device device;
  const uint64_t high = device();
  const uint64_t low = device();
  return static_cast<int64_t>(((high << 32) | low) >> 1);
}

StudyRow NewStudyRow(const v1::StudySpec& spec, const StudyConfig& config) {
  StudyRow study;
  study.name = spec.name();
  study.spec = spec;
  study.state = v1::STUDY_ACTIVE;
  study.seed = spec.has_seed() ? spec.seed() : DrawSeed();
  study.budget = config.initial_budget();
  study.notes = config.notes();
  study.create_time_ms = NowMs();
  return study;
}

// Loads a study row and its runtime and fails its timed-out trials, then
// builds the reply after `change` edits the row. `change` returns whether
// the row must be written.
template <typename Change>
absl::StatusOr<v1::Study> UpdateStudy(ServiceContext& context,
                                      const std::string& name, Change change) {
  v1::Study reply;
  StudyRow study;
  SweepResult sweep;
  AUGUR_RETURN_IF_ERROR(context.store->Transact(
      [&](StoreTransaction& transaction) -> absl::Status {
        AUGUR_ASSIGN_OR_RETURN(study, transaction.GetStudy(name));
        AUGUR_ASSIGN_OR_RETURN(auto runtime, context.configs->Get(study));
        AUGUR_ASSIGN_OR_RETURN(
            sweep, SweepTimedOutTrials(transaction, study, *runtime, NowMs()));

        AUGUR_ASSIGN_OR_RETURN(bool changed, change(transaction, study));
        if (changed) AUGUR_RETURN_IF_ERROR(transaction.UpdateStudy(study));

        AUGUR_ASSIGN_OR_RETURN(
            reply, LoadStudyProto(transaction, study, runtime->config));
        return absl::OkStatus();
      }));

  LogSweep(study, sweep);
  return reply;
}

}  // namespace

absl::StatusOr<v1::Study> CreateStudy(ServiceContext& context,
                                      const v1::CreateStudyRequest& request) {
  const v1::StudySpec& spec = request.spec();
  if (spec.name().empty()) {
    return absl::InvalidArgumentError(
        "spec.name is missing; give the study a name");
  }
  AUGUR_ASSIGN_OR_RETURN(auto runtime, BuildStudyRuntime(spec));

  bool created = false;
  v1::Study reply;
  AUGUR_RETURN_IF_ERROR(context.store->Transact(
      [&](StoreTransaction& transaction) -> absl::Status {
        AUGUR_ASSIGN_OR_RETURN(std::optional<StudyRow> existing,
                               transaction.FindStudy(spec.name()));
        if (existing.has_value()) {
          // The stored spec is the one the user sent, without a drawn seed,
          // so resending the same file compares equal.
          if (!google::protobuf::util::MessageDifferencer::Equals(
                  existing->spec, spec)) {
            return absl::AlreadyExistsError(absl::StrCat(
                "study \"", spec.name(),
                "\" already exists with a different spec; choose another "
                "name, or read the stored spec with GetStudy (`augur show NAME`)"));
          }
          AUGUR_ASSIGN_OR_RETURN(
              reply, LoadStudyProto(transaction, *existing, runtime->config));
          return absl::OkStatus();
        }

        StudyRow study = NewStudyRow(spec, runtime->config);
        AUGUR_RETURN_IF_ERROR(transaction.InsertStudy(study));
        created = true;
        AUGUR_ASSIGN_OR_RETURN(
            reply, LoadStudyProto(transaction, study, runtime->config));
        return absl::OkStatus();
      }));

  if (created) {
    AUGUR_LOG_INFO("created study \"{}\" (seed {}, budget {})", reply.name(),
                   reply.seed(), reply.budget());
  }
  return reply;
}

absl::StatusOr<v1::Study> GetStudy(ServiceContext& context,
                                   const v1::GetStudyRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateStudyName(request.study()));
  return UpdateStudy(context, request.study(),
                     [](StoreTransaction&, StudyRow&) -> absl::StatusOr<bool> {
                       return false;
                     });
}

absl::StatusOr<v1::ListStudiesResponse> ListStudies(
    ServiceContext& context, const v1::ListStudiesRequest& request) {
  v1::ListStudiesResponse reply;
  AUGUR_RETURN_IF_ERROR(context.store->Transact(
      [&](StoreTransaction& transaction) -> absl::Status {
        AUGUR_ASSIGN_OR_RETURN(std::vector<StudyRow> studies,
                               transaction.ListStudies());
        for (const StudyRow& study : studies) {
          AUGUR_ASSIGN_OR_RETURN(auto runtime, context.configs->Get(study));
          AUGUR_ASSIGN_OR_RETURN(
              *reply.add_studies(),
              LoadStudyProto(transaction, study, runtime->config));
        }
        return absl::OkStatus();
      }));
  return reply;
}

absl::StatusOr<v1::Study> StopStudy(ServiceContext& context,
                                    const v1::StopStudyRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateStudyName(request.study()));

  auto change = [&](StoreTransaction&,
                    StudyRow& study) -> absl::StatusOr<bool> {
    if (study.state == v1::STUDY_STOPPED) return false;
    if (study.state != v1::STUDY_ACTIVE) {
      return absl::FailedPreconditionError(
          absl::StrCat("study \"", study.name, "\" is ", StateName(study.state),
                       "; only an ACTIVE study can be stopped"));
    }
    study.state = v1::STUDY_STOPPED;
    study.state_reason =
        request.reason().empty() ? "stopped by the user" : request.reason();
    return true;
  };
  AUGUR_ASSIGN_OR_RETURN(v1::Study reply,
                         UpdateStudy(context, request.study(), change));

  AUGUR_LOG_INFO("study \"{}\" is {}: {}", reply.name(),
                 StateName(reply.state()), reply.state_reason());
  return reply;
}

absl::StatusOr<v1::Study> ResumeStudy(ServiceContext& context,
                                      const v1::ResumeStudyRequest& request) {
  AUGUR_RETURN_IF_ERROR(ValidateStudyName(request.study()));

  auto change = [&](StoreTransaction& transaction,
                    StudyRow& study) -> absl::StatusOr<bool> {
    if (study.state == v1::STUDY_FAILED) {
      return absl::FailedPreconditionError(absl::StrCat(
          "study \"", study.name, "\" FAILED (", study.state_reason,
          ") and cannot be resumed; create a new study"));
    }

    bool changed = false;
    if (request.has_budget()) {
      AUGUR_ASSIGN_OR_RETURN(
          int64_t created,
          transaction.CountTrialsByOrigin(study.id, TrialOrigin::kAlgorithm));
      const int64_t floor = std::max(study.budget, created);
      if (request.budget() <= floor) {
        return absl::InvalidArgumentError(
            absl::StrCat("budget ", request.budget(), " must be larger than ",
                         floor, " (the current budget is ", study.budget,
                         " and the algorithm has "
                         "created ",
                         created, " trials); pass a larger budget or none"));
      }
      study.budget = request.budget();
      study.exhausted = false;
      changed = true;
    }

    if (study.state != v1::STUDY_ACTIVE) {
      study.state = v1::STUDY_ACTIVE;
      study.state_reason = "resumed";
      study.stop_trigger.reset();
      // A study that completed is asked again, so a larger budget or trials
      // added meanwhile are seen.
      study.exhausted = false;
      changed = true;
    }
    return changed;
  };
  AUGUR_ASSIGN_OR_RETURN(v1::Study reply,
                         UpdateStudy(context, request.study(), change));

  AUGUR_LOG_INFO("study \"{}\" is {} with budget {}", reply.name(),
                 StateName(reply.state()), reply.budget());
  return reply;
}

}  // namespace augur
