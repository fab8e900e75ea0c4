#include "client/runner/local_runner.h"

#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/table.h"
#include "client/runner/command_template.h"
#include "client/runner/interrupt.h"
#include "core/space/value.h"
#include "core/status_macros.h"
#include "server/logging.h"

namespace augur {

// One trial process of a slot, and the runner's state for it.
struct LocalRunner::RunningTrial {
  RunningTrial(v1::Trial trial_in, std::vector<std::string> declared)
      : trial(std::move(trial_in)), parser(std::move(declared)) {}

  v1::Trial trial;
  std::unique_ptr<TrialProcess> process;
  MetricLineParser parser;
  absl::Time start_time;
  // Set once the runner sent SIGTERM because of a stop decision.
  bool stop_requested = false;
  std::string stop_reason;
  // The state the trial ends in after a requested stop: STOPPED, or FAILED
  // when the runner itself was interrupted.
  v1::TrialState stop_state = v1::STOPPED;
  absl::Time kill_deadline = absl::InfiniteFuture();
  bool killed = false;
  int report_warnings = 0;
};

namespace {

constexpr int kMaxReportWarningsPerTrial = 3;

std::string ClientId(int slot) {
  return absl::StrCat(kLocalRunnerClientPrefix, "slot-", slot);
}

std::string StateName(v1::TrialState state) {
  return v1::TrialState_Name(state);
}

bool IsFinished(v1::TrialState state) {
  return state == v1::SUCCEEDED || state == v1::FAILED ||
         state == v1::STOPPED;
}

int MillisecondsUntil(absl::Time deadline, absl::Time now) {
  if (deadline <= now) return 0;
  return static_cast<int>(
      std::min<int64_t>(absl::ToInt64Milliseconds(deadline - now), 60000));
}

}  // namespace

LocalRunner::LocalRunner(Client* client, std::string address, v1::Study study,
                         StudyConfig config, LocalRunnerOptions options)
    : client_(client),
      address_(std::move(address)),
      study_name_(study.name()),
      config_(std::move(config)),
      options_(std::move(options)),
      study_(std::move(study)),
      retry_delay_(options_.min_retry_delay) {
  slots_.resize(std::max(1, options_.concurrency));
}

LocalRunner::~LocalRunner() = default;

std::ostream& LocalRunner::progress() {
  return options_.progress != nullptr ? *options_.progress : std::cerr;
}

int LocalRunner::running_count() const {
  return static_cast<int>(std::count_if(
      slots_.begin(), slots_.end(),
      [](const std::unique_ptr<RunningTrial>& slot) { return slot != nullptr; }));
}

absl::StatusOr<LocalRunResult> LocalRunner::Run() {
  AUGUR_RETURN_IF_ERROR(CheckCommand());
  AUGUR_RETURN_IF_ERROR(FailLeftoverTrials());
  AUGUR_LOG_INFO("local runner started on study {} with {} slot(s)",
                 study_name_, slots_.size());

  while (true) {
    if (InterruptSignals::count() > 0 && !interrupted_) Interrupt();

    const absl::Time now = absl::Now();
    if (!study_ended_ && !interrupted_ && now >= next_suggestion_time_ &&
        running_count() < static_cast<int>(slots_.size())) {
      AUGUR_RETURN_IF_ERROR(FillSlots());
    }
    if (running_count() == 0 && (study_ended_ || interrupted_)) break;

    PollProcesses();
    EnforceKillDeadlines();
    if (!interrupted_ && absl::Now() >= next_stop_check_) CheckTrials();
  }

  auto study = client_->GetStudy(study_name_);
  if (study.ok()) study_ = *std::move(study);
  AUGUR_LOG_INFO("local runner {} on study {} ({})",
                 interrupted_ ? "interrupted" : "finished", study_name_,
                 v1::StudyState_Name(study_.state()));
  return LocalRunResult{interrupted_, study_};
}

absl::Status LocalRunner::CheckCommand() const {
  const std::string& command = config_.spec().run().cmd();
  if (command.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "study ", study_name_,
        " has no run.cmd; add a `run:` section with a `cmd:` line holding "
        "the command that trains one trial"));
  }
  AUGUR_ASSIGN_OR_RETURN(const std::vector<std::string> names,
                         PlaceholderNames(command));

  std::vector<std::string> known;
  for (const auto& parameter : config_.spec().parameters()) {
    known.push_back(parameter.name());
  }
  for (const auto& parameter : config_.spec().params()) {
    known.push_back(parameter.name());
  }
  if (config_.spec().has_hyperband()) {
    known.push_back(config_.spec().hyperband().resource().name());
  }
  for (const std::string& name : names) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "run.cmd uses {{ ", name, " }}, but the study has no parameter of "
          "that name; known parameters: ", absl::StrJoin(known, ", "),
          ". Add it to the matrix or to params, or fix the name"));
    }
  }
  return absl::OkStatus();
}

absl::Status LocalRunner::FailLeftoverTrials() {
  AUGUR_ASSIGN_OR_RETURN(
      const std::vector<v1::Trial> active,
      client_->ListTrials(study_name_, {v1::ACTIVE}, false));

  // NOTE: two local runners on one study at once would fail each other's
  // trials here, because both use the same client_id prefix.
  for (const v1::Trial& trial : active) {
    if (!absl::StartsWith(trial.client_id(), kLocalRunnerClientPrefix)) {
      continue;
    }
    auto completed =
        client_->CompleteTrial(trial.id(), v1::FAILED, {}, "runner restarted");
    if (!completed.ok()) {
      AUGUR_LOG_WARN("cannot mark trial {} left by an earlier runner as "
                     "FAILED: {}", trial.id(), completed.status().ToString());
      continue;
    }
    progress() << "trial " << trial.id()
               << " FAILED: runner restarted (left ACTIVE by an earlier run)\n";
  }
  return absl::OkStatus();
}

absl::Status LocalRunner::FillSlots() {
  for (int slot = 0; slot < static_cast<int>(slots_.size()); ++slot) {
    if (slots_[slot] != nullptr) continue;

    AUGUR_ASSIGN_OR_RETURN(
        const v1::GetSuggestionsResponse response,
        client_->GetSuggestions(study_name_, 1, ClientId(slot)));
    if (response.trials_size() > 0) {
      retry_delay_ = options_.min_retry_delay;
      StartTrial(slot, response.trials(0));
      continue;
    }

    // No trial for this slot: the other free slots would get the same reply.
    if (response.reason() == v1::STUDY_ENDED) {
      study_ended_ = true;
      return absl::OkStatus();
    }
    if (response.reason() == v1::EXHAUSTED && running_count() == 0) {
      // The study completes once its last trial ends; trials of other
      // clients may still run, so only stop when none is ACTIVE.
      AUGUR_ASSIGN_OR_RETURN(study_, client_->GetStudy(study_name_));
      if (study_.state() != v1::STUDY_ACTIVE ||
          (study_.active_trials() == 0 && study_.pending_trials() == 0)) {
        study_ended_ = true;
        return absl::OkStatus();
      }
    }
    AUGUR_LOG_DEBUG("no trial for slot {} ({}: {}); asking again in {}", slot,
                    v1::SuggestionReason_Name(response.reason()),
                    response.message(), absl::FormatDuration(retry_delay_));
    next_suggestion_time_ = absl::Now() + retry_delay_;
    retry_delay_ = std::min(retry_delay_ * 2, options_.max_retry_delay);
    return absl::OkStatus();
  }
  return absl::OkStatus();
}

std::map<std::string, std::string> LocalRunner::FormattedParameters(
    const v1::Trial& trial) const {
  std::map<std::string, std::string> values;
  for (const auto& parameter : config_.spec().params()) {
    values[parameter.name()] =
        FormatValue(ValueFromProto(parameter.value()));
  }
  for (const auto& parameter : trial.parameters()) {
    values[parameter.name()] =
        FormatValue(ValueFromProto(parameter.value()));
  }
  return values;
}

std::string LocalRunner::ParametersJson(const v1::Trial& trial) const {
  // Built by hand so that numbers keep the exact text of FormatValue.
  std::vector<std::string> members;
  std::vector<std::string> seen;
  auto add = [&](const v1::Parameter& parameter) {
    if (std::find(seen.begin(), seen.end(), parameter.name()) != seen.end()) {
      return;
    }
    seen.push_back(parameter.name());
    members.push_back(absl::StrCat(nlohmann::json(parameter.name()).dump(),
                                   ": ",
                                   ValueToJson(ValueFromProto(parameter.value()))));
  };
  for (const auto& parameter : trial.parameters()) add(parameter);
  for (const auto& parameter : config_.spec().params()) add(parameter);
  return absl::StrCat("{", absl::StrJoin(members, ", "), "}");
}

std::string LocalRunner::TrialDirectory(int64_t trial_id) const {
  return (std::filesystem::path(options_.runs_directory) / study_name_ /
          std::to_string(trial_id))
      .string();
}

std::string LocalRunner::Describe(const v1::Trial& trial) const {
  std::vector<std::string> parts;
  for (const auto& parameter : trial.parameters()) {
    const v1::Value& value = parameter.value();
    parts.push_back(absl::StrCat(
        parameter.name(), "=",
        value.kind_case() == v1::Value::kDoubleValue
            ? FormatMetricValue(value.double_value())
            : FormatValue(ValueFromProto(value))));
  }
  return absl::StrJoin(parts, " ");
}

void LocalRunner::StartTrial(int slot, const v1::Trial& trial) {
  auto command = RenderCommand(config_.spec().run().cmd(),
                               FormattedParameters(trial));
  if (!command.ok()) {
    FailUnstartedTrial(trial, std::string(command.status().message()));
    return;
  }

  const std::string directory = TrialDirectory(trial.id());
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    FailUnstartedTrial(trial, absl::StrCat("cannot create the output "
                                           "directory ", directory, ": ",
                                           error.message()));
    return;
  }
  const std::string absolute_directory =
      std::filesystem::absolute(directory).string();

  TrialProcessOptions process_options;
  process_options.command = *command;
  process_options.working_directory = options_.working_directory.empty()
                                          ? std::filesystem::current_path().string()
                                          : options_.working_directory;
  process_options.stdout_path = absolute_directory + "/stdout.log";
  process_options.stderr_path = absolute_directory + "/stderr.log";
  const std::string params_json = ParametersJson(trial);
  process_options.environment = {
      {"AUGUR_ADDRESS", address_},
      {"AUGUR_STUDY", study_name_},
      {"AUGUR_TRIAL_ID", std::to_string(trial.id())},
      {"AUGUR_PARAMS", params_json},
      {"POLYAXON_PARAMS", params_json},
      {"AUGUR_OUTPUT_DIR", absolute_directory},
      {"PYTHONUNBUFFERED", "1"},
  };
  if (trial.resume_from_parent() && trial.parent_id() != 0) {
    process_options.environment["AUGUR_RESUME_FROM"] =
        std::to_string(trial.parent_id());
    process_options.environment["AUGUR_RESUME_DIR"] =
        std::filesystem::absolute(TrialDirectory(trial.parent_id())).string();
  }

  auto process = TrialProcess::Start(process_options);
  if (!process.ok()) {
    FailUnstartedTrial(trial, std::string(process.status().message()));
    return;
  }

  auto running =
      std::make_unique<RunningTrial>(trial, config_.declared_metrics());
  running->process = *std::move(process);
  running->start_time = absl::Now();
  slots_[slot] = std::move(running);

  AUGUR_LOG_INFO("trial {} started in slot {} (pid {}): {}", trial.id(), slot,
                 slots_[slot]->process->pid(), *command);
  progress() << "trial " << trial.id() << " started: " << Describe(trial)
             << "\n";
}

void LocalRunner::FailUnstartedTrial(const v1::Trial& trial,
                                     const std::string& message) {
  AUGUR_LOG_ERROR("trial {} cannot start: {}", trial.id(), message);
  auto completed = client_->CompleteTrial(trial.id(), v1::FAILED, {}, message);
  if (!completed.ok()) {
    AUGUR_LOG_ERROR("cannot mark trial {} FAILED: {}", trial.id(),
                    completed.status().ToString());
  }
  progress() << "trial " << trial.id() << " FAILED: " << message << "\n";
  next_suggestion_time_ = absl::Now();
}

void LocalRunner::PollProcesses() {
  std::vector<pollfd> entries;
  std::vector<int> entry_slots;
  if (InterruptSignals::fd() >= 0) {
    entries.push_back({InterruptSignals::fd(), POLLIN, 0});
    entry_slots.push_back(-1);
  }
  for (int slot = 0; slot < static_cast<int>(slots_.size()); ++slot) {
    if (slots_[slot] == nullptr || slots_[slot]->process->stdout_fd() < 0) {
      continue;
    }
    entries.push_back({slots_[slot]->process->stdout_fd(), POLLIN, 0});
    entry_slots.push_back(slot);
  }

  // Wake for the next suggestion request, and at least every 250 ms to reap
  // processes that closed their stdout early.
  const absl::Time now = absl::Now();
  absl::Time wake = now + absl::Milliseconds(250);
  if (!study_ended_ && !interrupted_ &&
      running_count() < static_cast<int>(slots_.size())) {
    wake = std::min(wake, next_suggestion_time_);
  }
  poll(entries.data(), entries.size(), MillisecondsUntil(wake, now));
  InterruptSignals::Drain();

  for (size_t i = 0; i < entries.size(); ++i) {
    const int slot = entry_slots[i];
    if (slot < 0 || entries[i].revents == 0) continue;
    for (const std::string& line : slots_[slot]->process->ReadLines()) {
      HandleLine(*slots_[slot], line);
    }
  }

  for (int slot = 0; slot < static_cast<int>(slots_.size()); ++slot) {
    if (slots_[slot] == nullptr) continue;
    RunningTrial& running = *slots_[slot];
    const std::optional<ExitStatus> exit =
        running.process->TryWait(/*kill_leftovers=*/!running.stop_requested);
    if (!exit.has_value()) continue;

    // A trial that received a stop decision may still be saving its checkpoint after its
    // shell died of SIGTERM: wait for its group until the kill deadline,
    // which EnforceKillDeadlines enforces.
    if (running.stop_requested && !running.killed &&
        running.process->GroupAlive()) {
      continue;
    }
    running.process->SignalGroup(SIGKILL);

    // Read what is left; the group is gone, so the pipe reaches end of file.
    while (slots_[slot]->process->stdout_fd() >= 0) {
      pollfd entry = {slots_[slot]->process->stdout_fd(), POLLIN, 0};
      poll(&entry, 1, 1000);
      for (const std::string& line : slots_[slot]->process->ReadLines()) {
        HandleLine(*slots_[slot], line);
      }
    }
    FinishTrial(slot, *exit);
  }
}

void LocalRunner::HandleLine(RunningTrial& running, const std::string& line) {
  const ParsedStdoutLine parsed = running.parser.Parse(line);
  for (const std::string& name : parsed.non_finite) {
    if (running.report_warnings++ < kMaxReportWarningsPerTrial) {
      AUGUR_LOG_WARN("trial {} printed a non-finite value for {}; it is not "
                     "recorded", running.trial.id(), name);
    }
  }
  if (!parsed.has_measurement || running.stop_requested) return;

  auto decision = client_->ReportMetric(running.trial.id(),
                                        parsed.measurement.step,
                                        parsed.measurement.metrics);
  if (!decision.ok()) {
    if (running.report_warnings++ < kMaxReportWarningsPerTrial) {
      AUGUR_LOG_WARN("trial {}: the metrics of stdout line \"{}\" were not "
                     "recorded: {}", running.trial.id(), line,
                     decision.status().ToString());
    }
    return;
  }
  if (decision->should_stop()) {
    RequestStop(running, decision->message(), v1::STOPPED);
  }
}

void LocalRunner::RequestStop(RunningTrial& running, const std::string& reason,
                              v1::TrialState end_state) {
  if (running.stop_requested) return;

  running.stop_requested = true;
  running.stop_reason = reason.empty() ? "told to stop" : reason;
  running.stop_state = end_state;
  running.kill_deadline = absl::Now() + options_.stop_grace_period;
  running.process->SignalGroup(SIGTERM);
  AUGUR_LOG_INFO("trial {} told to stop ({}); sent SIGTERM",
                 running.trial.id(), running.stop_reason);
}

void LocalRunner::EnforceKillDeadlines() {
  const absl::Time now = absl::Now();
  // A second Ctrl-C kills at once.
  const bool kill_now = interrupted_ && InterruptSignals::count() > 1;
  for (auto& running : slots_) {
    if (running == nullptr || running->killed ||
        (now < running->kill_deadline && !kill_now)) {
      continue;
    }
    running->killed = true;
    running->process->SignalGroup(SIGKILL);
    AUGUR_LOG_WARN("trial {} still ran {} after SIGTERM; sent SIGKILL",
                   running->trial.id(),
                   absl::FormatDuration(options_.stop_grace_period));
  }
}

void LocalRunner::FinishTrial(int slot, const ExitStatus& exit) {
  std::unique_ptr<RunningTrial> running = std::move(slots_[slot]);
  const int64_t id = running->trial.id();
  const absl::Duration elapsed = absl::Now() - running->start_time;
  next_suggestion_time_ = absl::Now();
  retry_delay_ = options_.min_retry_delay;

  // The training code (through a client) or the server may have ended the
  // trial already, and then that state is kept.
  auto current = client_->GetTrial(id);
  v1::Trial trial = current.ok() ? *current : running->trial;
  if (!current.ok() || !IsFinished(trial.state())) {
    v1::TrialState state = v1::SUCCEEDED;
    std::string message;
    if (running->stop_requested) {
      state = running->stop_state;
      message = running->stop_reason;
    } else if (exit.success()) {
      auto decision = client_->ShouldStop(id);
      if (decision.ok() && decision->should_stop()) {
        state = v1::STOPPED;
        message = decision->message();
      }
    } else {
      state = v1::FAILED;
      message = exit.ToString();
      const std::string tail = ReadLastLines(
          TrialDirectory(id) + "/stderr.log", options_.stderr_tail_lines);
      if (!tail.empty()) absl::StrAppend(&message, "; stderr ends with:\n", tail);
    }
    auto completed = client_->CompleteTrial(id, state, {}, message);
    if (completed.ok()) {
      trial = *std::move(completed);
    } else {
      AUGUR_LOG_ERROR("cannot complete trial {} as {}: {}", id,
                      StateName(state), completed.status().ToString());
      trial.set_state(state);
      trial.set_message(message);
    }
  }

  std::string line = absl::StrCat("trial ", id, " ", StateName(trial.state()),
                                  " after ", absl::FormatDuration(
                                      absl::Trunc(elapsed, absl::Milliseconds(100))));
  if (trial.has_objective_value() && config_.objective().has_value()) {
    absl::StrAppend(&line, ": ", config_.objective()->name, "=",
                    FormatMetricValue(trial.objective_value()));
  }
  if (trial.state() != v1::SUCCEEDED && !trial.message().empty()) {
    absl::StrAppend(&line, " (", SummarizeMessage(trial.message(), 300), ")");
  }
  absl::StrAppend(&line, " [", Describe(trial), "]");
  progress() << line << "\n";
  AUGUR_LOG_INFO("trial {} ended {} ({})", id, StateName(trial.state()),
                 exit.ToString());
  PrintCounts();
}

void LocalRunner::PrintCounts() {
  auto study = client_->GetStudy(study_name_);
  if (!study.ok()) return;
  study_ = *std::move(study);

  const int64_t done = study_.succeeded_trials() + study_.failed_trials() +
                       study_.stopped_trials();
  int64_t total = study_.budget();
  if (total == 0 && config_.algorithm() == AlgorithmKind::kGrid) {
    total = config_.space().grid_size().value_or(0);
  }

  std::string line = total > 0 ? absl::StrCat(done, "/", total, " done")
                               : absl::StrCat(done, " done");
  absl::StrAppend(&line, ", ", running_count(), " running");
  if (study_.has_best_trial() && config_.objective().has_value() &&
      study_.best_trial().has_objective_value()) {
    absl::StrAppend(&line, ", best ", config_.objective()->name, "=",
                    FormatMetricValue(study_.best_trial().objective_value()),
                    " (trial ", study_.best_trial().id(), ")");
  }
  progress() << line << "\n";
}

absl::Duration LocalRunner::StopCheckInterval() const {
  absl::Duration interval = options_.stop_check_interval;
  const v1::StudySpec& spec = config_.spec();
  if (spec.has_trial_timeout_seconds()) {
    interval = std::min(interval,
                        absl::Seconds(spec.trial_timeout_seconds()) / 3);
  }
  return std::max(interval, absl::Milliseconds(50));
}

void LocalRunner::CheckTrials() {
  next_stop_check_ = absl::Now() + StopCheckInterval();

  for (auto& running : slots_) {
    if (running == nullptr || running->stop_requested) continue;

    const int64_t id = running->trial.id();
    auto decision = client_->ShouldStop(id);
    if (!decision.ok()) {
      AUGUR_LOG_WARN("cannot ask whether trial {} should stop: {}", id,
                     decision.status().ToString());
      continue;
    }
    if (!decision->should_stop()) continue;

    // The whole study ended: ask for no more trials.
    if (decision->reason() == v1::STUDY_NOT_ACTIVE ||
        decision->reason() == v1::THRESHOLD_REACHED) {
      study_ended_ = true;
    }
    RequestStop(*running, decision->message(), v1::STOPPED);
  }
}

void LocalRunner::Interrupt() {
  interrupted_ = true;
  progress() << "interrupted: stopping " << running_count()
             << " running trial(s); press Ctrl-C again to kill them at once\n";
  for (auto& running : slots_) {
    if (running != nullptr) {
      RequestStop(*running, "runner interrupted", v1::FAILED);
    }
  }
}

}  // namespace augur
