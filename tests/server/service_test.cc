#include <grpcpp/generic/generic_stub.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/server/test_server.h"

namespace augur {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

grpc::Status CreateStudyStatus(v1::Augur::Stub& stub, const v1::StudySpec& spec,
                               v1::Study* study = nullptr) {
  grpc::ClientContext context;
  v1::CreateStudyRequest request;
  *request.mutable_spec() = spec;
  v1::Study ignored;
  return stub.CreateStudy(&context, request, study ? study : &ignored);
}

// --- CreateStudy -----------------------------------------------------------

TEST(CreateStudy, DrawsAndKeepsSeed) {
  TestServer server;
  v1::Study first = CreateStudyOrFail(server.stub(), GridSpec("s", {3}, 1));
  v1::Study second = CreateStudyOrFail(server.stub(), GridSpec("s", {3}, 1));

  EXPECT_EQ(first.state(), v1::STUDY_ACTIVE);
  EXPECT_EQ(first.seed(), second.seed())
      << "the same spec without a seed returns the stored study";
  EXPECT_FALSE(first.spec().has_seed()) << "the spec is kept as sent";
  EXPECT_EQ(first.budget(), 3) << "grid budget is the grid size";
}

TEST(CreateStudy, KeepsGivenSeed) {
  TestServer server;
  v1::StudySpec spec = GridSpec("seeded", {3}, 1);
  spec.set_seed(1234);
  EXPECT_EQ(CreateStudyOrFail(server.stub(), spec).seed(), 1234);
}

TEST(CreateStudy, DifferentSpecIsAlreadyExists) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {3}, 1));

  grpc::Status status = CreateStudyStatus(server.stub(), GridSpec("s", {4}, 1));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(Contains(status.error_message(), "\"s\""))
      << status.error_message();
}

TEST(CreateStudy, InvalidSpecNamesField) {
  TestServer server;
  v1::StudySpec spec = GridSpec("bad", {3}, 1);
  spec.add_parameters()->set_name("lr");  // No option.

  grpc::Status status = CreateStudyStatus(server.stub(), spec);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(status.error_message(), "lr")) << status.error_message();
}

TEST(CreateStudy, MissingNameIsInvalid) {
  TestServer server;
  grpc::Status status = CreateStudyStatus(server.stub(), GridSpec("", {3}, 1));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(status.error_message(), "spec.name"))
      << status.error_message();
}

// --- GetSuggestions --------------------------------------------------------

TEST(GetSuggestions, RequiresClientId) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {3}, 1));

  grpc::ClientContext context;
  v1::GetSuggestionsRequest request;
  request.set_study("s");
  request.set_count(1);
  v1::GetSuggestionsResponse reply;
  grpc::Status status = server.stub().GetSuggestions(&context, request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(status.error_message(), "client_id"))
      << status.error_message();
}

TEST(GetSuggestions, RejectsZeroCount) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {3}, 1));

  grpc::ClientContext context;
  v1::GetSuggestionsRequest request;
  request.set_study("s");
  request.set_client_id("a");
  v1::GetSuggestionsResponse reply;
  grpc::Status status = server.stub().GetSuggestions(&context, request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(status.error_message(), "count"))
      << status.error_message();
}

TEST(GetSuggestions, UnknownStudyIsNotFound) {
  TestServer server;
  grpc::ClientContext context;
  v1::GetSuggestionsRequest request;
  request.set_study("ghost");
  request.set_count(1);
  request.set_client_id("a");
  v1::GetSuggestionsResponse reply;
  grpc::Status status = server.stub().GetSuggestions(&context, request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Contains(status.error_message(), "ghost"))
      << status.error_message();
}

TEST(GetSuggestions, RetryReturnsSameTrial) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {5}, 2));

  v1::GetSuggestionsResponse first = Suggest(server.stub(), "s", 1, "a");
  v1::GetSuggestionsResponse retry = Suggest(server.stub(), "s", 1, "a");
  ASSERT_EQ(first.trials_size(), 1);
  ASSERT_EQ(retry.trials_size(), 1);
  EXPECT_EQ(first.trials(0).id(), retry.trials(0).id());
  EXPECT_EQ(first.reason(), v1::COMPLETE);
  EXPECT_EQ(first.trials(0).state(), v1::ACTIVE);
  EXPECT_EQ(first.trials(0).client_id(), "a");
  EXPECT_EQ(first.trials(0).study(), "s");

  v1::GetSuggestionsResponse other = Suggest(server.stub(), "s", 1, "b");
  ASSERT_EQ(other.trials_size(), 1);
  EXPECT_NE(other.trials(0).id(), first.trials(0).id());
}

TEST(GetSuggestions, ConcurrencyLimitsActiveTrials) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {10}, 2));

  v1::GetSuggestionsResponse a = Suggest(server.stub(), "s", 3, "a");
  EXPECT_EQ(a.trials_size(), 2);
  EXPECT_EQ(a.reason(), v1::CONCURRENCY_REACHED);
  EXPECT_TRUE(Contains(a.message(), "concurrency")) << a.message();

  v1::GetSuggestionsResponse b = Suggest(server.stub(), "s", 1, "b");
  EXPECT_EQ(b.trials_size(), 0);
  EXPECT_EQ(b.reason(), v1::CONCURRENCY_REACHED);
  EXPECT_EQ(b.study_state(), v1::STUDY_ACTIVE);

  ASSERT_TRUE(Complete(server.stub(), a.trials(0).id(), v1::SUCCEEDED).ok());
  v1::GetSuggestionsResponse b_again = Suggest(server.stub(), "s", 1, "b");
  EXPECT_EQ(b_again.trials_size(), 1) << "a finished trial frees its slot";
}

TEST(GetSuggestions, GridOrderThenFixedParams) {
  TestServer server;
  v1::StudySpec spec = GridSpec("s", {2, 3}, 6);
  v1::Parameter* fixed = spec.add_params();
  fixed->set_name("epochs");
  fixed->mutable_value()->set_int_value(7);
  CreateStudyOrFail(server.stub(), spec);

  v1::GetSuggestionsResponse reply = Suggest(server.stub(), "s", 6, "a");
  ASSERT_EQ(reply.trials_size(), 6);
  for (int i = 0; i < 6; ++i) {
    const v1::Trial& trial = reply.trials(i);
    ASSERT_EQ(trial.parameters_size(), 3);
    EXPECT_EQ(trial.parameters(0).name(), "x0");
    EXPECT_EQ(trial.parameters(1).name(), "x1");
    EXPECT_EQ(trial.parameters(2).name(), "epochs");
    EXPECT_EQ(trial.parameters(0).value().int_value(), i / 3)
        << "the first parameter varies slowest";
    EXPECT_EQ(trial.parameters(1).value().int_value(), i % 3);
    EXPECT_EQ(trial.parameters(2).value().int_value(), 7);
  }
}

TEST(GetSuggestions, ExhaustedGridCompletesStudy) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {3}, 5));

  v1::GetSuggestionsResponse reply = Suggest(server.stub(), "s", 5, "a");
  ASSERT_EQ(reply.trials_size(), 3);
  EXPECT_EQ(reply.reason(), v1::EXHAUSTED);
  EXPECT_EQ(reply.study_state(), v1::STUDY_ACTIVE)
      << "trials are still running";

  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Complete(server.stub(), reply.trials(i).id(), v1::SUCCEEDED,
                         {{"loss", 1.0}})
                    .ok());
  }
  EXPECT_EQ(GetStudyOrFail(server.stub(), "s").state(), v1::STUDY_ACTIVE);
  ASSERT_TRUE(Complete(server.stub(), reply.trials(2).id(), v1::FAILED).ok());

  v1::Study study = GetStudyOrFail(server.stub(), "s");
  EXPECT_EQ(study.state(), v1::STUDY_COMPLETED);
  EXPECT_FALSE(study.state_reason().empty());

  v1::GetSuggestionsResponse after = Suggest(server.stub(), "s", 1, "b");
  EXPECT_EQ(after.trials_size(), 0);
  EXPECT_EQ(after.reason(), v1::STUDY_ENDED);
  EXPECT_EQ(after.study_state(), v1::STUDY_COMPLETED);
}

TEST(GetSuggestions, BudgetCapsAlgorithmTrials) {
  TestServer server;
  v1::StudySpec spec = GridSpec("s", {10}, 5);
  spec.mutable_grid_search()->set_n_experiments(2);
  v1::Study study = CreateStudyOrFail(server.stub(), spec);
  EXPECT_EQ(study.budget(), 2);

  v1::GetSuggestionsResponse reply = Suggest(server.stub(), "s", 5, "a");
  EXPECT_EQ(reply.trials_size(), 2);
  EXPECT_EQ(reply.reason(), v1::EXHAUSTED);
}

TEST(GetSuggestions, StoppedStudyEnds) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {3}, 1));
  grpc::ClientContext context;
  v1::StopStudyRequest request;
  request.set_study("s");
  request.set_reason("enough");
  v1::Study stopped;
  ASSERT_TRUE(server.stub().StopStudy(&context, request, &stopped).ok());
  EXPECT_EQ(stopped.state(), v1::STUDY_STOPPED);
  EXPECT_EQ(stopped.state_reason(), "enough");

  v1::GetSuggestionsResponse reply = Suggest(server.stub(), "s", 1, "a");
  EXPECT_EQ(reply.trials_size(), 0);
  EXPECT_EQ(reply.reason(), v1::STUDY_ENDED);
  EXPECT_EQ(reply.study_state(), v1::STUDY_STOPPED);
}

// --- ReportMetric ----------------------------------------------------------

class ActiveTrial : public ::testing::Test {
 protected:
  void SetUp() override {
    CreateStudyOrFail(server_.stub(), GridSpec("s", {4}, 2));
    v1::GetSuggestionsResponse reply = Suggest(server_.stub(), "s", 1, "a");
    ASSERT_EQ(reply.trials_size(), 1);
    trial_id_ = reply.trials(0).id();
  }

  v1::Augur::Stub& stub() { return server_.stub(); }

  TestServer server_;
  int64_t trial_id_ = 0;
};

TEST_F(ActiveTrial, ReportRepeatWithSameValuesIsNoop) {
  ASSERT_TRUE(Report(stub(), trial_id_, 1, {{"loss", 0.5}, {"acc", 0.7}}).ok());
  grpc::Status again =
      Report(stub(), trial_id_, 1, {{"acc", 0.7}, {"loss", 0.5}});
  EXPECT_TRUE(again.ok()) << again.error_message();

  v1::Trial trial = GetTrialOrFail(stub(), trial_id_);
  EXPECT_EQ(trial.measurements_size(), 1);
}

TEST_F(ActiveTrial, ReportRepeatWithOtherValuesFails) {
  ASSERT_TRUE(Report(stub(), trial_id_, 1, {{"loss", 0.5}}).ok());
  grpc::Status again = Report(stub(), trial_id_, 1, {{"loss", 0.6}});
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Contains(again.error_message(), "step 1"))
      << again.error_message();
}

TEST_F(ActiveTrial, ReportNanIsInvalidAndNamesMetric) {
  grpc::Status status = Report(
      stub(), trial_id_, 0,
      {{"loss", 0.5}, {"acc", std::numeric_limits<double>::quiet_NaN()}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(status.error_message(), "\"acc\""))
      << status.error_message();

  grpc::Status infinite =
      Report(stub(), trial_id_, 0,
             {{"loss", std::numeric_limits<double>::infinity()}});
  EXPECT_EQ(infinite.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  EXPECT_EQ(GetTrialOrFail(stub(), trial_id_).measurements_size(), 0)
      << "a rejected report stores nothing";
}

TEST_F(ActiveTrial, ReportWithoutMetricsIsInvalid) {
  grpc::Status status = Report(stub(), trial_id_, 0, {});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(status.error_message(), "metrics"))
      << status.error_message();
}

TEST_F(ActiveTrial, ReportToUnknownTrialIsNotFound) {
  grpc::Status status = Report(stub(), trial_id_ + 1000, 0, {{"loss", 1.0}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(
      Contains(status.error_message(), std::to_string(trial_id_ + 1000)))
      << status.error_message();
}

TEST_F(ActiveTrial, ReportToFinishedTrialFails) {
  ASSERT_TRUE(Complete(stub(), trial_id_, v1::SUCCEEDED).ok());
  grpc::Status status = Report(stub(), trial_id_, 0, {{"loss", 1.0}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Contains(status.error_message(), "SUCCEEDED"))
      << status.error_message();
}

TEST_F(ActiveTrial, ReportKeepsLatestValueOfEveryMetric) {
  ASSERT_TRUE(Report(stub(), trial_id_, 0, {{"loss", 0.9}, {"acc", 0.1}}).ok());
  ASSERT_TRUE(Report(stub(), trial_id_, 1, {{"loss", 0.4}}).ok());

  v1::Trial trial = GetTrialOrFail(stub(), trial_id_);
  std::map<std::string, double> latest;
  for (const v1::Metric& metric : trial.latest_metrics()) {
    latest[metric.name()] = metric.value();
  }
  EXPECT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest["loss"], 0.4);
  EXPECT_EQ(latest["acc"], 0.1) << "a key missing from the last report stays";
  ASSERT_EQ(trial.measurements_size(), 2);
  EXPECT_EQ(trial.measurements(1).step(), 1);
}

TEST_F(ActiveTrial, StopStudyTellsTrialToStop) {
  v1::ReportMetricResponse before;
  ASSERT_TRUE(Report(stub(), trial_id_, 0, {{"loss", 1.0}}, &before).ok());
  EXPECT_FALSE(before.decision().should_stop());

  grpc::ClientContext context;
  v1::StopStudyRequest request;
  request.set_study("s");
  v1::Study stopped;
  ASSERT_TRUE(stub().StopStudy(&context, request, &stopped).ok());

  v1::ReportMetricResponse after;
  ASSERT_TRUE(Report(stub(), trial_id_, 1, {{"loss", 0.5}}, &after).ok());
  EXPECT_TRUE(after.decision().should_stop());
  EXPECT_EQ(after.decision().reason(), v1::STUDY_NOT_ACTIVE);

  grpc::ClientContext should_stop_context;
  v1::ShouldStopRequest should_stop;
  should_stop.set_trial_id(trial_id_);
  v1::ShouldStopResponse decision;
  ASSERT_TRUE(
      stub().ShouldStop(&should_stop_context, should_stop, &decision).ok());
  EXPECT_TRUE(decision.decision().should_stop());
}

// --- CompleteTrial ---------------------------------------------------------

TEST_F(ActiveTrial, CompleteUsesLatestReportedObjective) {
  ASSERT_TRUE(Report(stub(), trial_id_, 0, {{"loss", 0.9}}).ok());
  ASSERT_TRUE(Report(stub(), trial_id_, 1, {{"loss", 0.3}}).ok());
  v1::Trial trial;
  ASSERT_TRUE(Complete(stub(), trial_id_, v1::SUCCEEDED, {}, &trial).ok());
  ASSERT_TRUE(trial.has_objective_value());
  EXPECT_EQ(trial.objective_value(), 0.3);
  EXPECT_EQ(trial.state(), v1::SUCCEEDED);
  EXPECT_GT(trial.end_time_ms(), 0);
}

TEST_F(ActiveTrial, CompleteFinalMetricWins) {
  ASSERT_TRUE(Report(stub(), trial_id_, 5, {{"loss", 0.9}}).ok());
  v1::Trial trial;
  ASSERT_TRUE(
      Complete(stub(), trial_id_, v1::SUCCEEDED, {{"loss", 0.25}}, &trial)
          .ok());
  EXPECT_EQ(trial.objective_value(), 0.25);
}

TEST_F(ActiveTrial, CompleteRetryWithSameStateReturnsTrial) {
  v1::Trial first;
  ASSERT_TRUE(Complete(stub(), trial_id_, v1::FAILED, {}, &first).ok());
  v1::Trial retry;
  grpc::Status status = Complete(stub(), trial_id_, v1::FAILED, {}, &retry);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(retry.end_time_ms(), first.end_time_ms());

  grpc::Status other = Complete(stub(), trial_id_, v1::SUCCEEDED);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Contains(other.error_message(), "FAILED"))
      << other.error_message();
}

TEST_F(ActiveTrial, CompleteWithActiveStateIsInvalid) {
  grpc::Status status = Complete(stub(), trial_id_, v1::ACTIVE);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(status.error_message(), "SUCCEEDED, FAILED or STOPPED"))
      << status.error_message();
}

TEST_F(ActiveTrial, CompleteRejectsNanFinalMetric) {
  grpc::Status status =
      Complete(stub(), trial_id_, v1::SUCCEEDED,
               {{"loss", std::numeric_limits<double>::quiet_NaN()}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(GetTrialOrFail(stub(), trial_id_).state(), v1::ACTIVE);
}

// --- Listing and study state -----------------------------------------------

TEST(ListTrials, OrdersByObjective) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {4}, 4));
  v1::GetSuggestionsResponse reply = Suggest(server.stub(), "s", 4, "a");
  ASSERT_EQ(reply.trials_size(), 4);
  const std::vector<double> losses = {0.5, 0.1, 0.9};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Complete(server.stub(), reply.trials(i).id(), v1::SUCCEEDED,
                         {{"loss", losses[i]}})
                    .ok());
  }

  grpc::ClientContext context;
  v1::ListTrialsRequest request;
  request.set_study("s");
  request.set_order_by_objective(true);
  v1::ListTrialsResponse listed;
  ASSERT_TRUE(server.stub().ListTrials(&context, request, &listed).ok());
  ASSERT_EQ(listed.trials_size(), 4);
  EXPECT_EQ(listed.trials(0).id(), reply.trials(1).id()) << "lowest loss first";
  EXPECT_EQ(listed.trials(1).id(), reply.trials(0).id());
  EXPECT_EQ(listed.trials(2).id(), reply.trials(2).id());
  EXPECT_EQ(listed.trials(3).id(), reply.trials(3).id()) << "no value last";

  grpc::ClientContext filtered_context;
  v1::ListTrialsRequest filtered;
  filtered.set_study("s");
  filtered.add_states(v1::ACTIVE);
  v1::ListTrialsResponse active;
  ASSERT_TRUE(
      server.stub().ListTrials(&filtered_context, filtered, &active).ok());
  ASSERT_EQ(active.trials_size(), 1);
  EXPECT_EQ(active.trials(0).id(), reply.trials(3).id());
}

TEST(GetStudy, CountsAndBestTrial) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {4}, 4));
  v1::GetSuggestionsResponse reply = Suggest(server.stub(), "s", 3, "a");
  ASSERT_EQ(reply.trials_size(), 3);
  ASSERT_TRUE(Complete(server.stub(), reply.trials(0).id(), v1::SUCCEEDED,
                       {{"loss", 0.4}})
                  .ok());
  ASSERT_TRUE(Complete(server.stub(), reply.trials(1).id(), v1::FAILED,
                       {{"loss", 0.01}})
                  .ok());

  v1::Study study = GetStudyOrFail(server.stub(), "s");
  EXPECT_EQ(study.active_trials(), 1);
  EXPECT_EQ(study.succeeded_trials(), 1);
  EXPECT_EQ(study.failed_trials(), 1);
  EXPECT_EQ(study.pending_trials(), 0);
  EXPECT_EQ(study.best_trial().id(), reply.trials(0).id())
      << "only SUCCEEDED trials can be best";

  grpc::ClientContext context;
  v1::ListStudiesResponse all;
  ASSERT_TRUE(
      server.stub().ListStudies(&context, v1::ListStudiesRequest(), &all).ok());
  ASSERT_EQ(all.studies_size(), 1);
  EXPECT_EQ(all.studies(0).name(), "s");
}

TEST(ResumeStudy, ReopensWithLargerBudget) {
  TestServer server;
  v1::StudySpec spec = GridSpec("s", {5}, 5);
  spec.mutable_grid_search()->set_n_experiments(2);
  CreateStudyOrFail(server.stub(), spec);
  v1::GetSuggestionsResponse first = Suggest(server.stub(), "s", 5, "a");
  ASSERT_EQ(first.trials_size(), 2);
  for (const v1::Trial& trial : first.trials()) {
    ASSERT_TRUE(Complete(server.stub(), trial.id(), v1::SUCCEEDED).ok());
  }
  ASSERT_EQ(GetStudyOrFail(server.stub(), "s").state(), v1::STUDY_COMPLETED);

  grpc::ClientContext small_context;
  v1::ResumeStudyRequest small;
  small.set_study("s");
  small.set_budget(2);
  v1::Study ignored;
  grpc::Status rejected =
      server.stub().ResumeStudy(&small_context, small, &ignored);
  EXPECT_EQ(rejected.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(rejected.error_message(), "budget 2"))
      << rejected.error_message();

  grpc::ClientContext context;
  v1::ResumeStudyRequest request;
  request.set_study("s");
  request.set_budget(4);
  v1::Study resumed;
  ASSERT_TRUE(server.stub().ResumeStudy(&context, request, &resumed).ok());
  EXPECT_EQ(resumed.state(), v1::STUDY_ACTIVE);
  EXPECT_EQ(resumed.budget(), 4);

  v1::GetSuggestionsResponse more = Suggest(server.stub(), "s", 5, "a");
  ASSERT_EQ(more.trials_size(), 2);
  EXPECT_EQ(IntParameter(more.trials(0), "x0"), 2)
      << "the grid continues where it stopped";
  EXPECT_EQ(more.reason(), v1::EXHAUSTED);
}

// --- AddTrial and RestartTrial ----------------------------------------------

TEST(AddTrial, QueuedTrialHandedOutOnce) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {4, 4}, 2));

  grpc::ClientContext context;
  v1::AddTrialRequest request;
  request.set_study("s");
  request.set_state(v1::PENDING);
  for (const char* name : {"x1", "x0"}) {
    v1::Parameter* parameter = request.add_parameters();
    parameter->set_name(name);
    parameter->mutable_value()->set_int_value(3);
  }
  v1::Trial added;
  grpc::Status status = server.stub().AddTrial(&context, request, &added);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(added.state(), v1::PENDING);
  ASSERT_EQ(added.parameters_size(), 2);
  EXPECT_EQ(added.parameters(0).name(), "x0") << "stored in matrix order";

  v1::GetSuggestionsResponse a = Suggest(server.stub(), "s", 1, "a");
  ASSERT_EQ(a.trials_size(), 1);
  EXPECT_EQ(a.trials(0).id(), added.id()) << "PENDING trials come first";
  v1::GetSuggestionsResponse b = Suggest(server.stub(), "s", 1, "b");
  ASSERT_EQ(b.trials_size(), 1);
  EXPECT_NE(b.trials(0).id(), added.id());

  EXPECT_EQ(GetStudyOrFail(server.stub(), "s").budget(), 16);
}

TEST(AddTrial, UnknownNameIsInvalid) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {4}, 2));

  grpc::ClientContext context;
  v1::AddTrialRequest request;
  request.set_study("s");
  for (const char* name : {"x0", "typo"}) {
    v1::Parameter* parameter = request.add_parameters();
    parameter->set_name(name);
    parameter->mutable_value()->set_int_value(1);
  }
  v1::Trial added;
  grpc::Status status = server.stub().AddTrial(&context, request, &added);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(status.error_message(), "\"typo\""))
      << status.error_message();
}

TEST(AddTrial, ValueOutsideOptionIsInvalid) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {4}, 2));

  grpc::ClientContext context;
  v1::AddTrialRequest request;
  request.set_study("s");
  v1::Parameter* parameter = request.add_parameters();
  parameter->set_name("x0");
  parameter->mutable_value()->set_int_value(99);
  v1::Trial added;
  grpc::Status status = server.stub().AddTrial(&context, request, &added);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(status.error_message(), "x0")) << status.error_message();
}

TEST(AddTrial, ImportsSucceededResult) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {3}, 3));

  grpc::ClientContext context;
  v1::AddTrialRequest request;
  request.set_study("s");
  request.set_state(v1::SUCCEEDED);
  v1::Parameter* parameter = request.add_parameters();
  parameter->set_name("x0");
  parameter->mutable_value()->set_int_value(0);
  for (int step = 0; step < 2; ++step) {
    v1::Measurement* measurement = request.add_measurements();
    measurement->set_step(step);
    v1::Metric* metric = measurement->add_metrics();
    metric->set_name("loss");
    metric->set_value(1.0 - step * 0.5);
  }
  v1::Trial imported;
  grpc::Status status = server.stub().AddTrial(&context, request, &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(imported.state(), v1::SUCCEEDED);
  EXPECT_EQ(imported.measurements_size(), 2);
  EXPECT_EQ(imported.objective_value(), 0.5);

  v1::GetSuggestionsResponse reply = Suggest(server.stub(), "s", 3, "a");
  std::set<int64_t> values;
  for (const v1::Trial& trial : reply.trials()) {
    values.insert(IntParameter(trial, "x0"));
  }
  EXPECT_EQ(values.count(0), 0u) << "an imported point counts as suggested";
  EXPECT_EQ(GetStudyOrFail(server.stub(), "s").best_trial().id(),
            imported.id());
}

TEST(RestartTrial, QueuesChildWithSameParameters) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("s", {3}, 3));
  v1::GetSuggestionsResponse reply = Suggest(server.stub(), "s", 1, "a");
  ASSERT_EQ(reply.trials_size(), 1);
  const v1::Trial& old = reply.trials(0);

  grpc::ClientContext early_context;
  v1::RestartTrialRequest early;
  early.set_trial_id(old.id());
  v1::Trial ignored;
  EXPECT_EQ(
      server.stub().RestartTrial(&early_context, early, &ignored).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);

  ASSERT_TRUE(Complete(server.stub(), old.id(), v1::FAILED).ok());
  grpc::ClientContext context;
  v1::RestartTrialRequest request;
  request.set_trial_id(old.id());
  request.set_resume(true);
  v1::Trial restarted;
  ASSERT_TRUE(server.stub().RestartTrial(&context, request, &restarted).ok());
  EXPECT_EQ(restarted.state(), v1::PENDING);
  EXPECT_EQ(restarted.parent_id(), old.id());
  EXPECT_TRUE(restarted.resume_from_parent());
  EXPECT_EQ(IntParameter(restarted, "x0"), IntParameter(old, "x0"));
}

// --- Server ----------------------------------------------------------------

TEST(Server, TakenPortIsUnavailable) {
  TestServer first;
  ServerOptions options;
  options.listen_address = first.server().address();
  options.database_path = first.dir().File("second.db");

  auto second = Server::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(
      Contains(std::string(second.status().message()), options.listen_address))
      << second.status();
}

TEST(Server, UnwritableDatabaseNamesPath) {
  TempDir dir;
  ServerOptions options;
  options.database_path = dir.File("missing/augur.db");

  auto server = Server::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(
      Contains(std::string(server.status().message()), options.database_path))
      << server.status();
}

// --- Health ----------------------------------------------------------------

TEST(Health, ReportsServing) {
  TestServer server;
  grpc::GenericStub generic(server.channel());
  grpc::CompletionQueue queue;

  for (const std::string service : {"", "augur.v1.Augur"}) {
    // HealthCheckRequest{service}: field 1, length-delimited.
    std::string request_bytes;
    if (!service.empty()) {
      request_bytes.push_back(0x0a);
      request_bytes.push_back(static_cast<char>(service.size()));
      request_bytes += service;
    }
    grpc::Slice slice(request_bytes);
    grpc::ByteBuffer request(&slice, 1);

    grpc::ClientContext context;
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
        generic.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check",
                                 request, &queue);
    call->StartCall();
    grpc::ByteBuffer response;
    grpc::Status status;
    call->Finish(&response, &status, reinterpret_cast<void*>(1));
    void* tag = nullptr;
    bool ok = false;
    ASSERT_TRUE(queue.Next(&tag, &ok));
    ASSERT_TRUE(status.ok())
        << "service \"" << service << "\": " << status.error_message();

    std::vector<grpc::Slice> slices;
    ASSERT_TRUE(response.Dump(&slices).ok());
    std::string bytes;
    for (const grpc::Slice& part : slices) {
      bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
    }
    // HealthCheckResponse{status: SERVING}: field 1, varint 1.
    EXPECT_EQ(bytes, std::string("\x08\x01", 2))
        << "service \"" << service << "\"";
  }
  queue.Shutdown();
}

}  // namespace
}  // namespace augur
