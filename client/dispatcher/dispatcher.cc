#include "client/dispatcher/dispatcher.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/dispatcher/trial_pod.h"
#include "server/logging.h"

namespace augur {
namespace {

using nlohmann::json;

std::string PodName(const json& pod) {
  return pod.value("metadata", json::object()).value("name", "");
}

std::string ResourceVersion(const json& object) {
  return object.value("metadata", json::object()).value("resourceVersion", "");
}

}  // namespace

Dispatcher::Dispatcher(Client* augur, KubeClient* kube,
                       DispatcherOptions options)
    : augur_(augur), kube_(kube), options_(std::move(options)) {}

Dispatcher::~Dispatcher() {
  Stop();
  if (watch_thread_.joinable()) watch_thread_.join();
}

void Dispatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_.store(true);
  }
  kube_->Cancel();
  wake_.notify_all();
}

absl::Status Dispatcher::Run() {
  AUGUR_LOG_INFO(
      "dispatcher started: namespace {}, augur server {}, trials dial {}",
      kube_->namespace_name(), augur_->address(),
      options_.trial_server_address);
  watch_thread_ = std::thread([this] { WatchLoop(); });

  absl::Time next_reconcile = absl::Now();
  while (!stopping_.load()) {
    ProcessEvents();

    // Suggestions wait for the first pod list, so that a restarted
    // dispatcher adopts its pods instead of creating them again.
    if (synced_ && absl::Now() >= next_reconcile) {
      Reconcile();
      next_reconcile = absl::Now() + options_.poll_interval;
    }

    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock,
                   absl::ToChronoMilliseconds(std::max(
                       next_reconcile - absl::Now(), absl::ZeroDuration())),
                   [this] { return stopping_.load() || !events_.empty(); });
    // A pod event may have freed a slot: fill it without waiting a poll.
    if (!events_.empty()) next_reconcile = absl::Now();
  }

  if (watch_thread_.joinable()) watch_thread_.join();
  AUGUR_LOG_INFO(
      "dispatcher stopped; {} pods left running for the next one",
      std::count_if(pods_.begin(), pods_.end(), [](const auto& entry) {
        return !entry.second.state.finished();
      }));
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Watch thread.

void Dispatcher::WatchLoop() {
  const std::string selector = ManagedPodSelector();
  absl::Duration backoff = options_.initial_watch_backoff;

  while (!stopping_.load()) {
    absl::StatusOr<PodList> list = kube_->ListPods(selector);
    if (!list.ok()) {
      if (stopping_.load()) return;
      AUGUR_LOG_ERROR("listing pods failed: {}; listing again in {}",
                      std::string(list.status().message()),
                      absl::FormatDuration(backoff));
      SleepUnlessStopping(backoff);
      backoff = std::min(backoff * 2, options_.max_watch_backoff);
      continue;
    }
    std::string resource_version = list->resource_version;
    Push(PodEvent{PodEvent::Kind::kSync, std::move(list->items)});
    backoff = options_.initial_watch_backoff;

    while (!stopping_.load()) {
      const absl::Status watched = kube_->WatchPods(
          selector, resource_version, options_.watch_timeout,
          [&](const WatchEvent& event) {
            const std::string version = ResourceVersion(event.object);
            if (!version.empty()) resource_version = version;
            if (event.type == "ADDED" || event.type == "MODIFIED") {
              Push(PodEvent{PodEvent::Kind::kUpsert, {event.object}});
            } else if (event.type == "DELETED") {
              Push(PodEvent{PodEvent::Kind::kDelete, {event.object}});
            }
            return !stopping_.load();
          });

      if (watched.ok()) {
        backoff = options_.initial_watch_backoff;
        continue;
      }
      if (stopping_.load()) return;
      if (IsResourceExpired(watched)) {
        AUGUR_LOG_INFO("pod watch at resourceVersion {} expired; listing again",
                       resource_version);
        break;
      }
      AUGUR_LOG_WARN("pod watch failed: {}; watching again in {}",
                     std::string(watched.message()),
                     absl::FormatDuration(backoff));
      SleepUnlessStopping(backoff);
      backoff = std::min(backoff * 2, options_.max_watch_backoff);
    }
  }
}

void Dispatcher::Push(PodEvent event) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(std::move(event));
  }
  wake_.notify_all();
}

bool Dispatcher::SleepUnlessStopping(absl::Duration duration) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, absl::ToChronoMilliseconds(duration),
                 [this] { return stopping_.load(); });
  return !stopping_.load();
}

// ---------------------------------------------------------------------------
// Pod events.

void Dispatcher::ProcessEvents() {
  std::deque<PodEvent> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch.swap(events_);
  }

  for (const PodEvent& event : batch) {
    switch (event.kind) {
      case PodEvent::Kind::kSync:
        ApplySync(event.pods);
        break;
      case PodEvent::Kind::kUpsert:
        ApplyPod(event.pods.front());
        break;
      case PodEvent::Kind::kDelete:
        ForgetPod(PodName(event.pods.front()), event.pods.front());
        break;
    }
  }
}

void Dispatcher::ApplyPod(const json& pod) {
  absl::StatusOr<TrialPodState> state = ReadTrialPod(pod);
  if (!state.ok()) {
    AUGUR_LOG_WARN("ignoring pod: {}", std::string(state.status().message()));
    return;
  }

  auto [it, inserted] = pods_.try_emplace(state->name);
  PodRecord& record = it->second;
  if (inserted) {
    AUGUR_LOG_INFO("tracking pod {} of trial {} (study {}, phase {})",
                   state->name, state->trial_id, state->study, state->phase);
  }
  record.state = std::move(*state);
  record.object = pod;

  if (record.state.finished()) {
    if (record.observed_finish == absl::InfiniteFuture()) {
      record.observed_finish = absl::Now();
    }
    SettleFinishedPod(record);
  } else if (!record.state.start_failure.empty()) {
    FailPodThatCannotStart(record);
  }
}

void Dispatcher::ForgetPod(const std::string& name, const json& last_object) {
  auto it = pods_.find(name);
  if (it == pods_.end()) return;

  // The last state may hold a phase that the watch had not reported yet.
  if (!last_object.is_null()) ApplyPod(last_object);
  PodRecord& record = it->second;

  if (!record.trial_settled && !record.delete_requested &&
      !record.state.finished()) {
    AUGUR_LOG_WARN("pod {} of trial {} was deleted while the trial ran", name,
                   record.state.trial_id);
    CompleteTrialIfActive(record.state.trial_id, v1::FAILED,
                          absl::StrCat("pod ", name, " was deleted"));
  }
  pods_.erase(it);
}

void Dispatcher::ApplySync(const std::vector<json>& pods) {
  std::set<std::string> listed;
  for (const json& pod : pods) {
    listed.insert(PodName(pod));
    ApplyPod(pod);
  }

  std::vector<std::pair<std::string, json>> missing;
  for (const auto& [name, record] : pods_) {
    if (listed.count(name) == 0) missing.emplace_back(name, record.object);
  }
  for (const auto& [name, object] : missing) ForgetPod(name, object);

  if (!synced_) {
    AUGUR_LOG_INFO("found {} trial pods in namespace {}", pods.size(),
                   kube_->namespace_name());
  }
  synced_ = true;
}

void Dispatcher::SettleFinishedPod(PodRecord& record) {
  if (record.trial_settled) return;

  const bool succeeded = record.state.phase == "Succeeded";
  const std::string message =
      succeeded ? absl::StrCat("pod ", record.state.name, " succeeded")
                : DescribePodFailure(record.object);
  if (!record.delete_requested) {
    AUGUR_LOG_INFO("trial {} (study {}): {}", record.state.trial_id,
                   record.state.study, message);
  }
  record.trial_settled = CompleteTrialIfActive(
      record.state.trial_id, succeeded ? v1::SUCCEEDED : v1::FAILED, message);
}

void Dispatcher::FailPodThatCannotStart(PodRecord& record) {
  if (record.trial_settled) return;

  const std::string message = absl::StrCat(
      "pod ", record.state.name, " failed: ", record.state.start_failure);
  AUGUR_LOG_ERROR("trial {} (study {}): {}", record.state.trial_id,
                  record.state.study, message);
  record.trial_settled =
      CompleteTrialIfActive(record.state.trial_id, v1::FAILED, message);
  if (record.trial_settled) DeletePod(record, "it cannot start");
}

bool Dispatcher::CompleteTrialIfActive(int64_t trial_id, v1::TrialState state,
                                       const std::string& message) {
  absl::StatusOr<v1::Trial> trial = augur_->GetTrial(trial_id);
  if (absl::IsNotFound(trial.status())) {
    AUGUR_LOG_WARN("trial {} is not on the augur server; leaving it", trial_id);
    return true;
  }
  if (!trial.ok()) {
    AUGUR_LOG_ERROR("reading trial {} failed: {}; retrying at the next poll",
                    trial_id, std::string(trial.status().message()));
    return false;
  }
  if (trial->state() != v1::ACTIVE && trial->state() != v1::PENDING) {
    return true;
  }

  absl::StatusOr<v1::Trial> completed =
      augur_->CompleteTrial(trial_id, state, {}, message);
  if (completed.ok()) {
    AUGUR_LOG_INFO("trial {} completed {}: {}", trial_id,
                   v1::TrialState_Name(state), message);
    return true;
  }
  // FAILED_PRECONDITION: the training code ended the trial in between.
  if (absl::IsFailedPrecondition(completed.status())) return true;
  AUGUR_LOG_ERROR(
      "completing trial {} as {} failed: {}; retrying at the next "
      "poll",
      trial_id, v1::TrialState_Name(state),
      std::string(completed.status().message()));
  return false;
}

// ---------------------------------------------------------------------------
// The periodic pass.

void Dispatcher::Reconcile() {
  for (auto& [name, record] : pods_) {
    if (record.state.finished()) SettleFinishedPod(record);
  }

  absl::StatusOr<std::vector<v1::Study>> studies = augur_->ListStudies();
  if (!studies.ok()) {
    AUGUR_LOG_ERROR("listing studies on {} failed: {}", augur_->address(),
                    std::string(studies.status().message()));
  } else {
    bool orphans_checked = true;
    for (const v1::Study& study : *studies) {
      if (study.spec().runner() != v1::KUBERNETES) continue;
      if (!orphans_checked_) orphans_checked &= FailTrialsWithoutPods(study);
      if (study.state() == v1::STUDY_ACTIVE) FillSlots(study);
    }
    orphans_checked_ = orphans_checked;
  }

  CheckStopDecisions();
  DeleteExpiredPods();
  RetryRequestedDeletes();
}

void Dispatcher::FillSlots(const v1::Study& study) {
  const absl::Status valid = ValidateRunSpec(study.spec());
  if (!valid.ok()) {
    auto [it, inserted] =
        rejected_studies_.emplace(study.name(), std::string(valid.message()));
    if (inserted || it->second != std::string(valid.message())) {
      it->second = std::string(valid.message());
      AUGUR_LOG_ERROR("study {} cannot run on Kubernetes: {}", study.name(),
                      std::string(valid.message()));
    }
    return;
  }
  rejected_studies_.erase(study.name());

  std::set<int> occupied;
  for (const auto& [name, record] : pods_) {
    const bool running = !record.state.finished() && !record.delete_requested &&
                         !record.trial_settled;
    if (record.state.study == study.name() && running) {
      occupied.insert(record.state.slot);
    }
  }

  const int concurrency =
      static_cast<int>(std::max<int64_t>(1, study.spec().concurrency()));
  for (int slot = 0; slot < concurrency && !stopping_.load(); ++slot) {
    if (occupied.count(slot) > 0) continue;

    absl::StatusOr<v1::GetSuggestionsResponse> suggestions =
        augur_->GetSuggestions(study.name(), 1,
                               SlotClientId(study.name(), slot));
    if (!suggestions.ok()) {
      AUGUR_LOG_ERROR("GetSuggestions for study {} slot {} failed: {}",
                      study.name(), slot,
                      std::string(suggestions.status().message()));
      return;
    }
    // An empty reply (concurrency reached, waiting for a rung, exhausted)
    // holds for the other slots too.
    if (suggestions->trials().empty()) return;
    for (const v1::Trial& trial : suggestions->trials()) {
      StartTrialPod(study, trial, slot);
    }
  }
}

bool Dispatcher::FailTrialsWithoutPods(const v1::Study& study) {
  absl::StatusOr<std::vector<v1::Trial>> active =
      augur_->ListTrials(study.name(), {v1::ACTIVE}, false);
  if (!active.ok()) {
    AUGUR_LOG_ERROR("listing the ACTIVE trials of study {} failed: {}",
                    study.name(), std::string(active.status().message()));
    return false;
  }

  bool all_done = true;
  for (const v1::Trial& trial : *active) {
    if (!IsSlotClientId(study.name(), trial.client_id())) continue;
    const std::string name = TrialPodName(study.name(), trial.id());
    if (pods_.count(name) > 0) continue;

    AUGUR_LOG_WARN("trial {} (study {}) is ACTIVE but its pod {} is gone",
                   trial.id(), study.name(), name);
    all_done &= CompleteTrialIfActive(
        trial.id(), v1::FAILED, absl::StrCat("pod ", name, " was deleted"));
  }
  return all_done;
}

void Dispatcher::StartTrialPod(const v1::Study& study, const v1::Trial& trial,
                               int slot) {
  const std::string name = TrialPodName(study.name(), trial.id());
  if (pods_.count(name) > 0) return;

  absl::StatusOr<json> pod =
      BuildTrialPod(study, trial, slot, options_.trial_server_address);
  if (!pod.ok()) {
    AUGUR_LOG_ERROR("trial {} (study {}) has no pod: {}", trial.id(),
                    study.name(), std::string(pod.status().message()));
    CompleteTrialIfActive(trial.id(), v1::FAILED,
                          std::string(pod.status().message()));
    return;
  }

  absl::StatusOr<json> created = kube_->CreatePod(*pod);
  if (absl::IsAlreadyExists(created.status())) {
    created = kube_->GetPod(name);
    if (created.ok()) {
      AUGUR_LOG_INFO("adopted existing pod {} for trial {} (study {})", name,
                     trial.id(), study.name());
    }
  } else if (created.ok()) {
    AUGUR_LOG_INFO("created pod {} for trial {} (study {}, slot {})", name,
                   trial.id(), study.name(), slot);
  }

  if (absl::IsInvalidArgument(created.status())) {
    // The API server rejected the manifest itself; retrying cannot help.
    AUGUR_LOG_ERROR("the API server rejected pod {} of trial {}: {}", name,
                    trial.id(), std::string(created.status().message()));
    CompleteTrialIfActive(trial.id(), v1::FAILED,
                          std::string(created.status().message()));
    return;
  }
  if (!created.ok()) {
    AUGUR_LOG_ERROR(
        "creating pod {} for trial {} failed: {}; retrying at the "
        "next poll",
        name, trial.id(), std::string(created.status().message()));
    return;
  }
  ApplyPod(*created);
}

void Dispatcher::CheckStopDecisions() {
  for (auto& [name, record] : pods_) {
    if (stopping_.load()) return;
    if (record.state.finished() || record.delete_requested ||
        record.trial_settled) {
      continue;
    }

    // NOTE: the server counts ShouldStop as a call about the trial, so this
    // poll may keep a silent trial's trial_timeout from expiring.
    absl::StatusOr<v1::StopDecision> decision =
        augur_->ShouldStop(record.state.trial_id);
    if (!decision.ok()) {
      AUGUR_LOG_ERROR("ShouldStop for trial {} failed: {}",
                      record.state.trial_id,
                      std::string(decision.status().message()));
      continue;
    }
    if (decision->should_stop()) StopTrialPod(record, *decision);
  }
}

void Dispatcher::StopTrialPod(PodRecord& record,
                              const v1::StopDecision& decision) {
  const int64_t trial_id = record.state.trial_id;

  if (decision.reason() == v1::TRIAL_FINISHED) {
    // The training code ended its trial itself. A SUCCEEDED trial's pod is
    // left to exit on its own, so that its logs end cleanly.
    absl::StatusOr<v1::Trial> trial = augur_->GetTrial(trial_id);
    if (!trial.ok()) return;
    record.trial_settled = true;
    if (trial->state() != v1::SUCCEEDED) {
      DeletePod(record, absl::StrCat("its trial ended ",
                                     v1::TrialState_Name(trial->state())));
    }
    return;
  }

  const std::string message =
      decision.message().empty()
          ? absl::StrCat("stopped: ", v1::StopReason_Name(decision.reason()))
          : decision.message();
  // The trial is completed before its pod goes, so that a failed call
  // cannot leave an ACTIVE trial without a pod (the slot would start it
  // again).
  if (!CompleteTrialIfActive(trial_id, v1::STOPPED, message)) return;
  record.trial_settled = true;
  DeletePod(record,
            absl::StrCat("trial ", trial_id, " was told to stop: ", message));
}

void Dispatcher::DeleteExpiredPods() {
  const absl::Time now = absl::Now();
  for (auto& [name, record] : pods_) {
    if (!record.state.finished() || !record.trial_settled ||
        record.delete_requested) {
      continue;
    }
    const absl::Time finished =
        record.state.finish_time.value_or(record.observed_finish);
    if (now - finished >= options_.finished_pod_ttl) {
      DeletePod(record, "its finished-pod TTL passed");
    }
  }
}

void Dispatcher::DeletePod(PodRecord& record, const std::string& reason) {
  record.delete_requested = true;
  record.delete_reason = reason;
  const absl::Status deleted = kube_->DeletePod(record.state.name);
  if (!deleted.ok() && !absl::IsNotFound(deleted)) {
    AUGUR_LOG_ERROR("deleting pod {} failed: {}; retrying at the next poll",
                    record.state.name, std::string(deleted.message()));
    return;
  }
  record.deleted_by_dispatcher = true;
  AUGUR_LOG_INFO("deleted pod {} of trial {}: {}", record.state.name,
                 record.state.trial_id, reason);
}

void Dispatcher::RetryRequestedDeletes() {
  for (auto& [name, record] : pods_) {
    if (record.delete_requested && !record.deleted_by_dispatcher) {
      DeletePod(record, record.delete_reason);
    }
  }
}

}  // namespace augur
