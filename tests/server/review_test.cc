// AddTrial, RestartTrial and ResumeStudy as a reviewing user drives them: a
// queued trial raced by many callers, warm starts that count imported
// points as suggested, and parent links that survive a stop and a resume.

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/server/test_server.h"

namespace augur {
namespace {

constexpr int kRacers = 8;

v1::Trial AddTrialOrFail(v1::Augur::Stub& stub, const std::string& study,
                         int64_t x0, v1::TrialState state,
                         std::optional<double> loss = std::nullopt) {
  grpc::ClientContext context;
  v1::AddTrialRequest request;
  request.set_study(study);
  request.set_state(state);
  v1::Parameter* parameter = request.add_parameters();
  parameter->set_name("x0");
  parameter->mutable_value()->set_int_value(x0);
  if (loss.has_value()) {
    v1::Metric* metric = request.add_measurements()->add_metrics();
    metric->set_name("loss");
    metric->set_value(*loss);
  }
  v1::Trial trial;
  grpc::Status status = stub.AddTrial(&context, request, &trial);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return trial;
}

// Asks for one trial at a time and completes it, until the study hands out
// no more. Returns the x0 of every trial handed out, in order.
std::vector<int64_t> DrainStudy(v1::Augur::Stub& stub,
                                const std::string& study) {
  std::vector<int64_t> handed_out;
  for (int round = 0; round < 1000; ++round) {
    v1::GetSuggestionsResponse reply = Suggest(stub, study, 1, "drain");
    if (reply.trials_size() == 0) return handed_out;
    const v1::Trial& trial = reply.trials(0);
    handed_out.push_back(IntParameter(trial, "x0"));
    EXPECT_TRUE(
        Complete(stub, trial.id(), v1::SUCCEEDED,
                 {{"loss", static_cast<double>(IntParameter(trial, "x0"))}})
            .ok());
  }
  ADD_FAILURE() << "study " << study << " never stopped handing out trials";
  return handed_out;
}

v1::Study ResumeOrFail(v1::Augur::Stub& stub, const std::string& study,
                       std::optional<int64_t> budget = std::nullopt) {
  grpc::ClientContext context;
  v1::ResumeStudyRequest request;
  request.set_study(study);
  if (budget.has_value()) request.set_budget(*budget);
  v1::Study reply;
  grpc::Status status = stub.ResumeStudy(&context, request, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return reply;
}

v1::Trial RestartOrFail(v1::Augur::Stub& stub, int64_t trial_id, bool resume) {
  grpc::ClientContext context;
  v1::RestartTrialRequest request;
  request.set_trial_id(trial_id);
  request.set_resume(resume);
  v1::Trial reply;
  grpc::Status status = stub.RestartTrial(&context, request, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return reply;
}

TEST(AddTrial, RacedPendingTrialGoesToOneCaller) {
  TestServer server;
  // One grid point: once it ran, the algorithm has nothing left, so the only
  // trial a caller can receive is the queued one.
  CreateStudyOrFail(server.stub(), GridSpec("race", {1}, kRacers));
  EXPECT_EQ(DrainStudy(server.stub(), "race"), std::vector<int64_t>{0});

  for (int round = 0; round < 10; ++round) {
    const v1::Trial queued =
        AddTrialOrFail(server.stub(), "race", 0, v1::PENDING);
    ASSERT_EQ(queued.state(), v1::PENDING);

    std::atomic<int> ready{0};
    std::vector<v1::GetSuggestionsResponse> replies(kRacers);
    std::vector<std::thread> racers;
    for (int i = 0; i < kRacers; ++i) {
      racers.emplace_back([&, i] {
        auto stub = v1::Augur::NewStub(server.channel());
        ++ready;
        while (ready.load() < kRacers) std::this_thread::yield();
        replies[i] = Suggest(*stub, "race", 1, "racer-" + std::to_string(i));
      });
    }
    for (std::thread& racer : racers) racer.join();

    int winners = 0;
    int64_t winner_trial = 0;
    for (const v1::GetSuggestionsResponse& reply : replies) {
      for (const v1::Trial& trial : reply.trials()) {
        ++winners;
        winner_trial = trial.id();
      }
    }
    EXPECT_EQ(winners, 1) << "round " << round;
    EXPECT_EQ(winner_trial, queued.id()) << "round " << round;
    ASSERT_TRUE(
        Complete(server.stub(), queued.id(), v1::SUCCEEDED, {{"loss", 1.0}})
            .ok());
  }
  EXPECT_EQ(GetStudyOrFail(server.stub(), "race").succeeded_trials(), 11);
}

TEST(AddTrial, ImportedGridPointIsNeverSuggested) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("warm", {5}, 2));

  const v1::Trial imported =
      AddTrialOrFail(server.stub(), "warm", 2, v1::SUCCEEDED, -1.0);
  const std::vector<int64_t> handed_out = DrainStudy(server.stub(), "warm");

  EXPECT_EQ(handed_out, (std::vector<int64_t>{0, 1, 3, 4}));
  const v1::Study study = GetStudyOrFail(server.stub(), "warm");
  EXPECT_EQ(study.state(), v1::STUDY_COMPLETED);
  EXPECT_EQ(study.succeeded_trials(), 5);
  EXPECT_EQ(study.best_trial().id(), imported.id())
      << "loss -1 beats the drained losses, which are >= 0";
}

TEST(AddTrial, ImportedPointCountsAgainstRandomCap) {
  TestServer server;
  v1::StudySpec spec = GridSpec("capped", {4}, 1);
  spec.mutable_random_search()->set_n_experiments(10);
  spec.set_seed(11);
  const v1::Study created = CreateStudyOrFail(server.stub(), spec);
  ASSERT_EQ(created.budget(), 4) << "capped at the 4 distinct points";
  ASSERT_EQ(created.notes_size(), 1);

  AddTrialOrFail(server.stub(), "capped", 1, v1::SUCCEEDED, 0.5);
  const std::vector<int64_t> handed_out = DrainStudy(server.stub(), "capped");

  std::vector<int64_t> sorted = handed_out;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int64_t>{0, 2, 3}))
      << "the imported point 1 is never drawn and no point repeats";
  EXPECT_EQ(GetStudyOrFail(server.stub(), "capped").state(),
            v1::STUDY_COMPLETED);
}

TEST(RestartTrial, ResumeKeepsParentLinkAfterStop) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("again", {3}, 1));
  v1::GetSuggestionsResponse first = Suggest(server.stub(), "again", 1, "a");
  ASSERT_EQ(first.trials_size(), 1);
  const int64_t parent = first.trials(0).id();
  ASSERT_TRUE(
      Complete(server.stub(), parent, v1::SUCCEEDED, {{"loss", 3.0}}).ok());

  grpc::ClientContext stop_context;
  v1::StopStudyRequest stop;
  stop.set_study("again");
  v1::Study stopped;
  ASSERT_TRUE(server.stub().StopStudy(&stop_context, stop, &stopped).ok());
  const v1::Trial restarted =
      RestartOrFail(server.stub(), parent, /*resume=*/true);
  const v1::GetSuggestionsResponse while_stopped =
      Suggest(server.stub(), "again", 1, "a");
  const v1::Study resumed = ResumeOrFail(server.stub(), "again");
  const v1::GetSuggestionsResponse after =
      Suggest(server.stub(), "again", 1, "a");

  EXPECT_EQ(restarted.parent_id(), parent);
  EXPECT_TRUE(restarted.resume_from_parent());
  EXPECT_EQ(while_stopped.trials_size(), 0);
  EXPECT_EQ(while_stopped.reason(), v1::STUDY_ENDED);
  EXPECT_EQ(resumed.state(), v1::STUDY_ACTIVE);
  ASSERT_EQ(after.trials_size(), 1);
  EXPECT_EQ(after.trials(0).id(), restarted.id())
      << "the queued restart runs first";
  EXPECT_EQ(after.trials(0).parent_id(), parent);
  EXPECT_TRUE(after.trials(0).resume_from_parent());
  EXPECT_EQ(IntParameter(after.trials(0), "x0"),
            IntParameter(first.trials(0), "x0"));
}

TEST(RestartTrial, FreshRestartHasParentWithoutResume) {
  TestServer server;
  CreateStudyOrFail(server.stub(), GridSpec("fresh", {1}, 1));
  ASSERT_EQ(DrainStudy(server.stub(), "fresh").size(), 1u);
  ASSERT_EQ(GetStudyOrFail(server.stub(), "fresh").state(),
            v1::STUDY_COMPLETED);
  const v1::Trial parent = GetTrialOrFail(server.stub(), 1);

  const v1::Trial restarted =
      RestartOrFail(server.stub(), parent.id(), /*resume=*/false);
  const v1::GetSuggestionsResponse reply =
      Suggest(server.stub(), "fresh", 1, "a");

  EXPECT_EQ(restarted.parent_id(), parent.id());
  EXPECT_FALSE(restarted.resume_from_parent());
  ASSERT_EQ(reply.trials_size(), 1) << "restarting reopens a COMPLETED study";
  EXPECT_EQ(reply.trials(0).id(), restarted.id());
}

TEST(ResumeStudy, LargerBudgetContinuesGrid) {
  TestServer server;
  v1::StudySpec spec = GridSpec("more", {6}, 1);
  spec.mutable_grid_search()->set_n_experiments(2);
  CreateStudyOrFail(server.stub(), spec);
  ASSERT_EQ(DrainStudy(server.stub(), "more"), (std::vector<int64_t>{0, 1}));
  ASSERT_EQ(GetStudyOrFail(server.stub(), "more").state(), v1::STUDY_COMPLETED);

  const v1::Study resumed = ResumeOrFail(server.stub(), "more", 4);
  const std::vector<int64_t> more = DrainStudy(server.stub(), "more");

  EXPECT_EQ(resumed.budget(), 4);
  EXPECT_EQ(more, (std::vector<int64_t>{2, 3})) << "no point runs twice";
  EXPECT_EQ(GetStudyOrFail(server.stub(), "more").state(), v1::STUDY_COMPLETED);
}

TEST(ResumeStudy, SmallerBudgetIsInvalid) {
  TestServer server;
  v1::StudySpec spec = GridSpec("less", {6}, 1);
  spec.mutable_grid_search()->set_n_experiments(3);
  CreateStudyOrFail(server.stub(), spec);

  grpc::ClientContext context;
  v1::ResumeStudyRequest request;
  request.set_study("less");
  request.set_budget(3);
  v1::Study reply;
  grpc::Status status = server.stub().ResumeStudy(&context, request, &reply);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("budget 3"), std::string::npos)
      << status.error_message();
}

}  // namespace
}  // namespace augur
