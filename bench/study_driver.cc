#include "bench/study_driver.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/algorithms/algorithm.h"
#include "core/study_config.h"
#include "server/logging.h"

namespace augur::bench {
namespace {

constexpr char kClientId[] = "bo-quality";

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

// Returns the coordinates of a point whose values are doubles.
absl::StatusOr<std::vector<double>> Coordinates(const Point& point) {
  std::vector<double> x;
  for (const Value& value : point) {
    if (!std::holds_alternative<double>(value)) {
      return absl::InvalidArgumentError(
          "the test-function study has a parameter that is not a double; use "
          "uniform options only");
    }
    x.push_back(std::get<double>(value));
  }
  return x;
}

// Returns the coordinates x0, x1, ... of a trial returned by the service.
absl::StatusOr<std::vector<double>> Coordinates(const v1::Trial& trial,
                                                int dimensions) {
  std::vector<double> x(static_cast<size_t>(dimensions), 0.0);
  std::vector<bool> seen(static_cast<size_t>(dimensions), false);
  for (const v1::Parameter& parameter : trial.parameters()) {
    int index = -1;
    for (int k = 0; k < dimensions; ++k) {
      if (parameter.name() == absl::StrCat("x", k)) index = k;
    }
    if (index < 0 || !parameter.value().has_double_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("trial ", trial.id(), " has unexpected parameter \"",
                       parameter.name(), "\""));
    }
    x[static_cast<size_t>(index)] = parameter.value().double_value();
    seen[static_cast<size_t>(index)] = true;
  }
  for (int k = 0; k < dimensions; ++k) {
    if (!seen[static_cast<size_t>(k)]) {
      return absl::InvalidArgumentError(
          absl::StrCat("trial ", trial.id(), " has no parameter x", k));
    }
  }
  return x;
}

}  // namespace

absl::StatusOr<StudyRun> InProcessDriver::Run(const v1::StudySpec& spec,
                                              const TestFunction& function) {
  absl::StatusOr<StudyConfig> config = StudyConfig::Create(spec);
  if (!config.ok()) return config.status();
  absl::StatusOr<std::unique_ptr<Algorithm>> algorithm =
      CreateAlgorithm(*config);
  if (!algorithm.ok()) return algorithm.status();

  StudyView view;
  view.config = &*config;
  view.seed = spec.seed();
  StudyRun run;
  while (true) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<SuggestResult> result = (*algorithm)->Suggest(view, 1);
    if (!result.ok()) return result.status();
    if (result->new_study_state.has_value()) {
      view.algorithm_state = *result->new_study_state;
      if (trace_ != nullptr) {
        *trace_ << spec.name() << " trial " << view.trials.size() + 1
                << " state " << view.algorithm_state << "\n";
      }
    }
    if (result->suggestions.empty()) break;
    run.suggest_seconds.push_back(SecondsSince(start));

    TrialRecord trial;
    trial.id = static_cast<int64_t>(view.trials.size()) + 1;
    trial.state = v1::SUCCEEDED;
    trial.point = result->suggestions[0].point;
    trial.algorithm_state = result->suggestions[0].algorithm_state;
    absl::StatusOr<std::vector<double>> x = Coordinates(trial.point);
    if (!x.ok()) return x.status();
    trial.objective_value = function.evaluate(*x);
    run.values.push_back(*trial.objective_value);
    if (trace_ != nullptr) {
      *trace_ << spec.name() << " trial " << trial.id << " value "
              << *trial.objective_value << " at";
      for (double coordinate : *x) *trace_ << " " << coordinate;
      *trace_ << "\n";
    }
    view.trials.push_back(std::move(trial));
  }
  return run;
}

absl::StatusOr<std::unique_ptr<ServiceDriver>> ServiceDriver::Start() {
  std::error_code error;
  const std::filesystem::path base =
      std::filesystem::temp_directory_path(error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot find the temporary directory: ", error.message()));
  }
  std::string directory = (base / "augur-bo-quality-XXXXXX").string();
  if (mkdtemp(directory.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot create a temporary directory ", directory));
  }

  // The server logs one line per study state change; only warnings and
  // errors are shown, so the benchmark's table stays readable.
  InitLogging();
  spdlog::set_level(spdlog::level::warn);

  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.database_path = directory + "/studies.db";
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
  if (!server.ok()) {
    std::filesystem::remove_all(directory, error);
    return server.status();
  }

  ClientOptions client_options;
  client_options.address = (*server)->address();
  absl::StatusOr<std::unique_ptr<Client>> client =
      Client::Create(client_options);
  if (!client.ok()) {
    (*server)->Shutdown();
    std::filesystem::remove_all(directory, error);
    return client.status();
  }
  return std::unique_ptr<ServiceDriver>(new ServiceDriver(
      std::move(directory), *std::move(server), *std::move(client)));
}

ServiceDriver::ServiceDriver(std::string directory,
                             std::unique_ptr<Server> server,
                             std::unique_ptr<Client> client)
    : directory_(std::move(directory)),
      server_(std::move(server)),
      client_(std::move(client)) {}

ServiceDriver::~ServiceDriver() {
  client_.reset();
  server_->Shutdown();
  server_->Wait();
  std::error_code error;
  std::filesystem::remove_all(directory_, error);
}

absl::StatusOr<StudyRun> ServiceDriver::Run(const v1::StudySpec& spec,
                                            const TestFunction& function) {
  absl::StatusOr<v1::Study> study = client_->CreateStudy(spec);
  if (!study.ok()) return study.status();

  StudyRun run;
  while (true) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<v1::GetSuggestionsResponse> reply =
        client_->GetSuggestions(study->name(), 1, kClientId);
    if (!reply.ok()) return reply.status();
    if (reply->trials().empty()) {
      if (reply->reason() == v1::EXHAUSTED ||
          reply->reason() == v1::STUDY_ENDED) {
        break;
      }
      return absl::InternalError(absl::StrCat(
          "study ", study->name(), " returned no trial to a sequential worker ",
          "(", v1::SuggestionReason_Name(reply->reason()),
          "): ", reply->message()));
    }
    run.suggest_seconds.push_back(SecondsSince(start));

    const v1::Trial& trial = reply->trials(0);
    absl::StatusOr<std::vector<double>> x =
        Coordinates(trial, function.dimensions());
    if (!x.ok()) return x.status();
    const double value = function.evaluate(*x);
    absl::StatusOr<v1::Trial> completed = client_->CompleteTrial(
        trial.id(), v1::SUCCEEDED, {{"loss", value}}, "");
    if (!completed.ok()) return completed.status();
    run.values.push_back(value);
  }
  return run;
}

}  // namespace augur::bench
