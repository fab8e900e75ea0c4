// Early stopping, trial timeouts and the failure limit through the real
// service: a Server on 127.0.0.1:0 over a SQLite file, called over gRPC.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "augur/v1/augur.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/server/test_server.h"

namespace augur {
namespace {

using Metrics = std::vector<std::pair<std::string, double>>;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Reports one measurement and returns the stop decision of the reply.
v1::StopDecision ReportOrFail(v1::Augur::Stub& stub, int64_t trial_id,
                              int64_t step, const Metrics& metrics) {
  v1::ReportMetricResponse reply;
  grpc::Status status = Report(stub, trial_id, step, metrics, &reply);
  EXPECT_TRUE(status.ok()) << "trial " << trial_id << " step " << step << ": "
                           << status.error_message();
  return reply.decision();
}

v1::StopDecision ShouldStopOrFail(v1::Augur::Stub& stub, int64_t trial_id) {
  grpc::ClientContext context;
  v1::ShouldStopRequest request;
  request.set_trial_id(trial_id);
  v1::ShouldStopResponse reply;
  grpc::Status status = stub.ShouldStop(&context, request, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return reply.decision();
}

// Takes `count` trials for `client_id` and returns their ids.
std::vector<int64_t> TakeTrials(v1::Augur::Stub& stub, const std::string& study,
                                int count, const std::string& client_id) {
  v1::GetSuggestionsResponse reply = Suggest(stub, study, count, client_id);
  EXPECT_EQ(reply.trials_size(), count) << reply.message();
  std::vector<int64_t> ids;
  for (const v1::Trial& trial : reply.trials()) ids.push_back(trial.id());
  return ids;
}

v1::EarlyStoppingRule* AddThreshold(v1::StudySpec& spec,
                                    const std::string& metric, double value,
                                    v1::Optimization optimization) {
  v1::EarlyStoppingRule* rule = spec.add_early_stopping();
  rule->set_metric(metric);
  rule->set_value(value);
  rule->set_optimization(optimization);
  return rule;
}

// A grid study over x0 with `size` values, minimising "loss", with every
// trial available at once.
v1::StudySpec WideGrid(const std::string& name, int size) {
  return GridSpec(name, {size}, size);
}

// --- Study thresholds --------------------------------------------------------

TEST(Threshold, MaximizeStopsStudyAndEveryTrial) {
  TestServer server;
  v1::StudySpec spec = WideGrid("max", 4);
  AddThreshold(spec, "accuracy", 0.9, v1::MAXIMIZE);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "max", 2, "w");

  v1::StopDecision below = ReportOrFail(server.stub(), ids[0], 0,
                                        {{"accuracy", 0.89}, {"loss", 0.3}});
  EXPECT_FALSE(below.should_stop()) << below.message();
  EXPECT_EQ(GetStudyOrFail(server.stub(), "max").state(), v1::STUDY_ACTIVE);

  v1::StopDecision hit =
      ReportOrFail(server.stub(), ids[0], 1, {{"accuracy", 0.9}});
  EXPECT_TRUE(hit.should_stop());
  EXPECT_EQ(hit.reason(), v1::THRESHOLD_REACHED);
  EXPECT_TRUE(Contains(hit.message(), "accuracy")) << hit.message();

  v1::Study study = GetStudyOrFail(server.stub(), "max");
  EXPECT_EQ(study.state(), v1::STUDY_STOPPED);
  EXPECT_EQ(study.stop_trigger().trial_id(), ids[0]);
  EXPECT_EQ(study.stop_trigger().metric(), "accuracy");
  EXPECT_EQ(study.stop_trigger().value(), 0.9);
  EXPECT_TRUE(Contains(study.state_reason(), "early_stopping[0]"))
      << study.state_reason();

  v1::StopDecision other = ShouldStopOrFail(server.stub(), ids[1]);
  EXPECT_TRUE(other.should_stop());
  EXPECT_EQ(other.reason(), v1::THRESHOLD_REACHED);
  v1::StopDecision other_report =
      ReportOrFail(server.stub(), ids[1], 0, {{"accuracy", 0.1}});
  EXPECT_TRUE(other_report.should_stop());
  EXPECT_EQ(other_report.reason(), v1::THRESHOLD_REACHED);

  v1::GetSuggestionsResponse next = Suggest(server.stub(), "max", 1, "late");
  EXPECT_EQ(next.trials_size(), 0);
  EXPECT_EQ(next.reason(), v1::STUDY_ENDED);
  EXPECT_EQ(next.study_state(), v1::STUDY_STOPPED);
}

TEST(Threshold, MinimizeFiresAtExactValue) {
  TestServer server;
  v1::StudySpec spec = WideGrid("min", 2);
  AddThreshold(spec, "loss", 0.05, v1::MINIMIZE);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "min", 1, "w");

  EXPECT_FALSE(ReportOrFail(server.stub(), ids[0], 0, {{"loss", 0.0500001}})
                   .should_stop());
  v1::StopDecision hit =
      ReportOrFail(server.stub(), ids[0], 1, {{"loss", 0.05}});
  EXPECT_TRUE(hit.should_stop());
  EXPECT_EQ(hit.reason(), v1::THRESHOLD_REACHED);

  v1::Study study = GetStudyOrFail(server.stub(), "min");
  EXPECT_EQ(study.state(), v1::STUDY_STOPPED);
  EXPECT_EQ(study.stop_trigger().value(), 0.05);
}

TEST(Threshold, AnyListedMetricStopsStudy) {
  TestServer server;
  v1::StudySpec spec = WideGrid("either", 2);
  AddThreshold(spec, "accuracy", 0.9, v1::MAXIMIZE);
  AddThreshold(spec, "loss", 0.05, v1::MINIMIZE);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "either", 1, "w");

  v1::StopDecision hit = ReportOrFail(server.stub(), ids[0], 0,
                                      {{"accuracy", 0.5}, {"loss", 0.01}});
  EXPECT_TRUE(hit.should_stop());

  v1::Study study = GetStudyOrFail(server.stub(), "either");
  EXPECT_EQ(study.stop_trigger().metric(), "loss");
  EXPECT_TRUE(Contains(study.state_reason(), "early_stopping[1]"))
      << study.state_reason();
}

TEST(Threshold, FinalMetricsOfCompleteTrialStopStudy) {
  TestServer server;
  v1::StudySpec spec = WideGrid("final", 3);
  AddThreshold(spec, "loss", 0.1, v1::MINIMIZE);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "final", 2, "w");

  ASSERT_TRUE(
      ReportOrFail(server.stub(), ids[0], 3, {{"loss", 0.5}}).should_stop() ==
      false);
  v1::Trial done;
  ASSERT_TRUE(
      Complete(server.stub(), ids[0], v1::SUCCEEDED, {{"loss", 0.08}}, &done)
          .ok());
  EXPECT_EQ(done.state(), v1::SUCCEEDED)
      << "the triggering trial keeps its end";

  v1::Study study = GetStudyOrFail(server.stub(), "final");
  EXPECT_EQ(study.state(), v1::STUDY_STOPPED);
  EXPECT_EQ(study.stop_trigger().trial_id(), ids[0]);
  EXPECT_EQ(study.stop_trigger().value(), 0.08);
  EXPECT_TRUE(Contains(study.state_reason(), "step 3")) << study.state_reason();
  EXPECT_EQ(ShouldStopOrFail(server.stub(), ids[1]).reason(),
            v1::THRESHOLD_REACHED);
}

TEST(Threshold, FailedTrialFinalMetricsDoNotStopStudy) {
  TestServer server;
  v1::StudySpec spec = WideGrid("crash", 2);
  AddThreshold(spec, "loss", 0.1, v1::MINIMIZE);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "crash", 1, "w");

  ASSERT_TRUE(
      Complete(server.stub(), ids[0], v1::FAILED, {{"loss", 0.0}}).ok());
  EXPECT_EQ(GetStudyOrFail(server.stub(), "crash").state(), v1::STUDY_ACTIVE);
}

TEST(Threshold, StoppedTrialCompletesAsStopped) {
  TestServer server;
  v1::StudySpec spec = WideGrid("ends", 2);
  AddThreshold(spec, "loss", 0.1, v1::MINIMIZE);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "ends", 2, "w");

  ASSERT_TRUE(
      ReportOrFail(server.stub(), ids[0], 0, {{"loss", 0.01}}).should_stop());
  v1::Trial stopped;
  ASSERT_TRUE(Complete(server.stub(), ids[1], v1::STOPPED, {}, &stopped).ok());
  EXPECT_EQ(stopped.state(), v1::STOPPED);

  v1::StopDecision after = ShouldStopOrFail(server.stub(), ids[1]);
  EXPECT_TRUE(after.should_stop());
  EXPECT_EQ(after.reason(), v1::TRIAL_FINISHED);
  EXPECT_EQ(GetStudyOrFail(server.stub(), "ends").stopped_trials(), 1);
}

TEST(Threshold, StoppedTriggerTrialIsBestTrial) {
  TestServer server;
  v1::StudySpec spec = WideGrid("best", 2);
  spec.mutable_metric()->set_name("loss");
  spec.mutable_metric()->set_optimization(v1::MINIMIZE);
  AddThreshold(spec, "loss", 0.1, v1::MINIMIZE);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "best", 2, "w");

  ReportOrFail(server.stub(), ids[1], 0, {{"loss", 0.5}});
  ASSERT_TRUE(
      ReportOrFail(server.stub(), ids[0], 0, {{"loss", 0.01}}).should_stop());
  ASSERT_TRUE(Complete(server.stub(), ids[0], v1::STOPPED, {}, nullptr).ok());
  ASSERT_TRUE(Complete(server.stub(), ids[1], v1::SUCCEEDED, {}, nullptr).ok());

  const v1::Study study = GetStudyOrFail(server.stub(), "best");
  EXPECT_EQ(study.best_trial().id(), ids[0]);
  EXPECT_EQ(study.best_trial().objective_value(), 0.01);
}

TEST(Threshold, ResumedStudyForgetsTrigger) {
  TestServer server;
  v1::StudySpec spec = WideGrid("again", 3);
  AddThreshold(spec, "loss", 0.1, v1::MINIMIZE);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "again", 1, "w");
  ASSERT_TRUE(
      ReportOrFail(server.stub(), ids[0], 0, {{"loss", 0.01}}).should_stop());

  grpc::ClientContext context;
  v1::ResumeStudyRequest request;
  request.set_study("again");
  v1::Study resumed;
  ASSERT_TRUE(server.stub().ResumeStudy(&context, request, &resumed).ok());
  EXPECT_EQ(resumed.state(), v1::STUDY_ACTIVE);
  EXPECT_FALSE(resumed.has_stop_trigger());

  EXPECT_FALSE(ShouldStopOrFail(server.stub(), ids[0]).should_stop());
}

// The thresholds do not depend on the algorithm: each spec stops on the
// first report that reaches loss <= 0.5.
TEST(Threshold, WorksWithEveryAlgorithm) {
  std::vector<v1::StudySpec> specs;

  v1::StudySpec grid = WideGrid("grid", 3);
  specs.push_back(grid);

  v1::StudySpec random = GridSpec("random", {10}, 2);
  random.mutable_random_search()->set_n_experiments(5);
  random.set_seed(7);
  specs.push_back(random);

  v1::StudySpec hyperband = GridSpec("hyperband", {10}, 3);
  hyperband.clear_metric();
  v1::Hyperband* settings = hyperband.mutable_hyperband();
  settings->set_max_iter(9);
  settings->set_eta(3);
  settings->mutable_resource()->set_name("epochs");
  settings->mutable_resource()->set_type(v1::Hyperband::INT);
  settings->mutable_metric()->set_name("loss");
  settings->mutable_metric()->set_optimization(v1::MINIMIZE);
  hyperband.set_seed(7);
  specs.push_back(hyperband);

  TestServer server;
  for (v1::StudySpec& spec : specs) {
    SCOPED_TRACE(spec.name());
    AddThreshold(spec, "loss", 0.5, v1::MINIMIZE);
    CreateStudyOrFail(server.stub(), spec);
    v1::GetSuggestionsResponse reply =
        Suggest(server.stub(), spec.name(), 2, "w");
    ASSERT_GE(reply.trials_size(), 1) << reply.message();
    const int64_t id = reply.trials(0).id();

    EXPECT_FALSE(
        ReportOrFail(server.stub(), id, 0, {{"loss", 0.9}}).should_stop());
    EXPECT_TRUE(
        ReportOrFail(server.stub(), id, 1, {{"loss", 0.4}}).should_stop());
    EXPECT_EQ(GetStudyOrFail(server.stub(), spec.name()).state(),
              v1::STUDY_STOPPED);
    EXPECT_EQ(Suggest(server.stub(), spec.name(), 1, "w2").reason(),
              v1::STUDY_ENDED);
  }
}

// --- Trial policies
// ------------------------------------------------------------

// Four trials of a study minimising loss: three others report `others` at
// step 4, then the checked trial reports `value` at step 4.
struct PolicyCase {
  std::vector<double> others;
  double value;
};

class PolicyStudy : public ::testing::Test {
 protected:
  // Creates the study with `policy` as its stopping_policy and takes four
  // trials.
  void Create(const v1::StoppingPolicy& policy) {
    v1::StudySpec spec = WideGrid("policy", 4);
    *spec.mutable_stopping_policy() = policy;
    CreateStudyOrFail(stub(), spec);
    ids_ = TakeTrials(stub(), "policy", 4, "w");
  }

  // Reports the others' values at step 4 and returns the checked trial's
  // decision for `value` at step 4.
  v1::StopDecision Run(const PolicyCase& policy_case) {
    for (size_t i = 0; i < policy_case.others.size(); ++i) {
      v1::StopDecision decision = ReportOrFail(
          stub(), ids_[i + 1], 4, {{"loss", policy_case.others[i]}});
      EXPECT_FALSE(decision.should_stop())
          << "trial " << ids_[i + 1] << ": " << decision.message();
    }
    return ReportOrFail(stub(), ids_[0], 4, {{"loss", policy_case.value}});
  }

  v1::Augur::Stub& stub() { return server_.stub(); }

  TestServer server_;
  std::vector<int64_t> ids_;
};

// Sets the fields that every policy shares: checked at every step from 1 on,
// once `min_samples` other trials have a value at the step.
template <typename Policy>
void SetIntervals(Policy* policy, int64_t min_samples) {
  policy->set_evaluation_interval(1);
  policy->set_min_interval(1);
  policy->set_min_samples(min_samples);
}

v1::StoppingPolicy Median(int64_t min_samples) {
  v1::StoppingPolicy policy;
  SetIntervals(policy.mutable_median(), min_samples);
  return policy;
}

v1::StoppingPolicy Truncation(double percent, int64_t min_samples) {
  v1::StoppingPolicy policy;
  policy.mutable_truncation()->set_percent(percent);
  SetIntervals(policy.mutable_truncation(), min_samples);
  return policy;
}

v1::StoppingPolicy Diff(double percent, int64_t min_samples) {
  v1::StoppingPolicy policy;
  policy.mutable_diff()->set_percent(percent);
  SetIntervals(policy.mutable_diff(), min_samples);
  return policy;
}

TEST_F(PolicyStudy, MedianStopsWorseThanMedian) {
  Create(Median(3));
  // Median 0.2, mean 3.43: 0.5 is worse than the median, better than the
  // mean.
  v1::StopDecision decision = Run({{0.1, 0.2, 10.0}, 0.5});
  EXPECT_TRUE(decision.should_stop());
  EXPECT_EQ(decision.reason(), v1::POLICY);
  EXPECT_TRUE(Contains(decision.message(), "median")) << decision.message();

  v1::StopDecision polled = ShouldStopOrFail(stub(), ids_[0]);
  EXPECT_TRUE(polled.should_stop());
  EXPECT_EQ(polled.reason(), v1::POLICY);
  EXPECT_FALSE(ShouldStopOrFail(stub(), ids_[1]).should_stop())
      << "the best trial continues";
}

TEST_F(PolicyStudy, MedianKeepsTrialBetterThanMedian) {
  Create(Median(3));
  v1::StopDecision decision = Run({{0.1, 0.2, 10.0}, 0.15});
  EXPECT_FALSE(decision.should_stop()) << decision.message();
}

TEST_F(PolicyStudy, MedianWaitsForMinSamples) {
  Create(Median(3));
  ASSERT_FALSE(ReportOrFail(stub(), ids_[1], 4, {{"loss", 0.1}}).should_stop());
  ASSERT_FALSE(ReportOrFail(stub(), ids_[2], 4, {{"loss", 0.2}}).should_stop());
  v1::StopDecision decision = ReportOrFail(stub(), ids_[0], 4, {{"loss", 5.0}});
  EXPECT_FALSE(decision.should_stop())
      << "two other trials are fewer than min_samples 3";
}

TEST_F(PolicyStudy, MedianChecksOnlyEvaluationSteps) {
  v1::StoppingPolicy policy = Median(1);
  policy.mutable_median()->set_evaluation_interval(2);
  policy.mutable_median()->set_min_interval(2);
  Create(policy);
  for (int64_t step : {1, 2, 3}) {
    ASSERT_FALSE(
        ReportOrFail(stub(), ids_[1], step, {{"loss", 0.1}}).should_stop());
  }

  EXPECT_FALSE(ReportOrFail(stub(), ids_[0], 1, {{"loss", 9.0}}).should_stop())
      << "step 1 is below min_interval";
  EXPECT_TRUE(ReportOrFail(stub(), ids_[0], 2, {{"loss", 9.0}}).should_stop())
      << "step 2 is checked";
}

TEST_F(PolicyStudy, TruncationStopsWorstShare) {
  Create(Truncation(50, 3));
  // n = 4, so the worst ceil(0.5 * 4) = 2 stop: 2.5 is second worst.
  v1::StopDecision decision = Run({{1.0, 2.0, 3.0}, 2.5});
  EXPECT_TRUE(decision.should_stop());
  EXPECT_EQ(decision.reason(), v1::POLICY);
  EXPECT_TRUE(Contains(decision.message(), "truncation")) << decision.message();
}

TEST_F(PolicyStudy, TruncationKeepsBetterHalf) {
  Create(Truncation(50, 3));
  EXPECT_FALSE(Run({{1.0, 2.0, 3.0}, 1.5}).should_stop());
}

TEST_F(PolicyStudy, DiffStopsFarFromBest) {
  Create(Diff(10, 3));
  // Best 1.0: 1.2 is 20% away.
  v1::StopDecision decision = Run({{1.0, 4.0, 5.0}, 1.2});
  EXPECT_TRUE(decision.should_stop());
  EXPECT_EQ(decision.reason(), v1::POLICY);
  EXPECT_TRUE(Contains(decision.message(), "diff")) << decision.message();
}

TEST_F(PolicyStudy, DiffKeepsCloseToBest) {
  Create(Diff(10, 3));
  EXPECT_FALSE(Run({{1.0, 4.0, 5.0}, 1.05}).should_stop());
}

TEST(Policy, EarlyStoppingEntryPolicyWatchesItsMetric) {
  TestServer server;
  v1::StudySpec spec = WideGrid("entry", 3);
  v1::EarlyStoppingRule* rule =
      AddThreshold(spec, "accuracy", 0.99, v1::MAXIMIZE);
  SetIntervals(rule->mutable_policy()->mutable_median(), 2);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "entry", 3, "w");

  ASSERT_FALSE(
      ReportOrFail(server.stub(), ids[1], 1, {{"accuracy", 0.8}, {"loss", 9.0}})
          .should_stop());
  ASSERT_FALSE(
      ReportOrFail(server.stub(), ids[2], 1, {{"accuracy", 0.7}, {"loss", 9.0}})
          .should_stop());
  // Median accuracy 0.75; loss is not watched by this policy.
  v1::StopDecision decision = ReportOrFail(server.stub(), ids[0], 1,
                                           {{"accuracy", 0.6}, {"loss", 0.0}});
  EXPECT_TRUE(decision.should_stop());
  EXPECT_EQ(decision.reason(), v1::POLICY);
  EXPECT_EQ(GetStudyOrFail(server.stub(), "entry").state(), v1::STUDY_ACTIVE)
      << "a policy stops one trial, not the study";

  ASSERT_TRUE(Complete(server.stub(), ids[0], v1::STOPPED).ok());
  EXPECT_EQ(GetTrialOrFail(server.stub(), ids[0]).state(), v1::STOPPED);
}

// --- trial_timeout
// ---------------------------------------------------------------

TEST(TrialTimeout, SilentTrialFreesSlot) {
  TestServer server;
  v1::StudySpec spec = GridSpec("silent", {5}, 1);
  spec.set_trial_timeout_seconds(1);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> first =
      TakeTrials(server.stub(), "silent", 1, "a");

  v1::GetSuggestionsResponse blocked = Suggest(server.stub(), "silent", 1, "b");
  EXPECT_EQ(blocked.trials_size(), 0);
  EXPECT_EQ(blocked.reason(), v1::CONCURRENCY_REACHED);

  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  v1::GetSuggestionsResponse freed = Suggest(server.stub(), "silent", 1, "b");
  ASSERT_EQ(freed.trials_size(), 1) << freed.message();
  EXPECT_NE(freed.trials(0).id(), first[0]);

  v1::Trial silent = GetTrialOrFail(server.stub(), first[0]);
  EXPECT_EQ(silent.state(), v1::FAILED);
  EXPECT_TRUE(Contains(silent.message(), "timed out")) << silent.message();
  EXPECT_TRUE(Contains(silent.message(), "1s")) << silent.message();

  v1::StopDecision late =
      ReportOrFail(server.stub(), first[0], 0, {{"loss", 1}});
  EXPECT_TRUE(late.should_stop());
  EXPECT_EQ(late.reason(), v1::TIMED_OUT);
  EXPECT_EQ(GetTrialOrFail(server.stub(), first[0]).measurements_size(), 0)
      << "a late report is dropped";
  EXPECT_EQ(ShouldStopOrFail(server.stub(), first[0]).reason(), v1::TIMED_OUT);

  grpc::Status complete = Complete(server.stub(), first[0], v1::SUCCEEDED);
  EXPECT_EQ(complete.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Contains(complete.error_message(), "timed out"))
      << complete.error_message();
}

TEST(TrialTimeout, OwnCallTimesOutOverdueTrial) {
  TestServer server;
  v1::StudySpec spec = GridSpec("overdue", {5}, 1);
  spec.set_trial_timeout_seconds(0.5);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "overdue", 1, "a");

  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  v1::StopDecision decision = ShouldStopOrFail(server.stub(), ids[0]);
  EXPECT_TRUE(decision.should_stop());
  EXPECT_EQ(decision.reason(), v1::TIMED_OUT);
  EXPECT_EQ(GetTrialOrFail(server.stub(), ids[0]).state(), v1::FAILED);
}

TEST(TrialTimeout, CallsAboutTrialResetTimer) {
  TestServer server;
  v1::StudySpec spec = GridSpec("busy", {5}, 1);
  spec.set_trial_timeout_seconds(1);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "busy", 1, "a");

  // Six calls 400 ms apart span 2.4 s, more than twice the timeout.
  for (int call = 0; call < 6; ++call) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    switch (call % 3) {
      case 0:
        EXPECT_FALSE(ShouldStopOrFail(server.stub(), ids[0]).should_stop());
        break;
      case 1:
        EXPECT_FALSE(ReportOrFail(server.stub(), ids[0], call, {{"loss", 1}})
                         .should_stop());
        break;
      default:
        EXPECT_EQ(Suggest(server.stub(), "busy", 1, "a").trials(0).id(), ids[0])
            << "a retry returns the caller's own trial";
        break;
    }
  }
  EXPECT_EQ(GetTrialOrFail(server.stub(), ids[0]).state(), v1::ACTIVE);
}

TEST(TrialTimeout, GetStudySweepsSilentTrials) {
  TestServer server;
  v1::StudySpec spec = GridSpec("watched", {5}, 2);
  spec.set_trial_timeout_seconds(0.5);
  CreateStudyOrFail(server.stub(), spec);
  TakeTrials(server.stub(), "watched", 2, "a");

  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  v1::Study study = GetStudyOrFail(server.stub(), "watched");
  EXPECT_EQ(study.active_trials(), 0);
  EXPECT_EQ(study.failed_trials(), 2);
}

// --- max_failed_trials
// -------------------------------------------------------------

TEST(MaxFailedTrials, FailsStudyAndStopsActiveTrials) {
  TestServer server;
  v1::StudySpec spec = WideGrid("fragile", 5);
  spec.set_max_failed_trials(2);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "fragile", 3, "w");

  ASSERT_TRUE(Complete(server.stub(), ids[0], v1::FAILED).ok());
  EXPECT_EQ(GetStudyOrFail(server.stub(), "fragile").state(), v1::STUDY_ACTIVE);
  ASSERT_TRUE(Complete(server.stub(), ids[1], v1::FAILED).ok());

  v1::Study study = GetStudyOrFail(server.stub(), "fragile");
  EXPECT_EQ(study.state(), v1::STUDY_FAILED);
  EXPECT_TRUE(Contains(study.state_reason(), "2 trials failed"))
      << study.state_reason();
  EXPECT_TRUE(Contains(study.state_reason(), "max_failed_trials"))
      << study.state_reason();

  v1::StopDecision running = ShouldStopOrFail(server.stub(), ids[2]);
  EXPECT_TRUE(running.should_stop());
  EXPECT_EQ(running.reason(), v1::STUDY_NOT_ACTIVE);
  EXPECT_EQ(Suggest(server.stub(), "fragile", 1, "w2").reason(),
            v1::STUDY_ENDED);
}

TEST(MaxFailedTrials, TimeoutsCountAsFailures) {
  TestServer server;
  v1::StudySpec spec = GridSpec("flaky", {5}, 1);
  spec.set_trial_timeout_seconds(0.5);
  spec.set_max_failed_trials(1);
  CreateStudyOrFail(server.stub(), spec);
  TakeTrials(server.stub(), "flaky", 1, "a");

  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  v1::GetSuggestionsResponse reply = Suggest(server.stub(), "flaky", 1, "b");
  EXPECT_EQ(reply.trials_size(), 0);
  EXPECT_EQ(reply.reason(), v1::STUDY_ENDED);
  EXPECT_EQ(reply.study_state(), v1::STUDY_FAILED);
}

TEST(MaxFailedTrials, SucceededAndStoppedTrialsDoNotCount) {
  TestServer server;
  v1::StudySpec spec = WideGrid("sturdy", 4);
  spec.set_max_failed_trials(1);
  CreateStudyOrFail(server.stub(), spec);
  const std::vector<int64_t> ids = TakeTrials(server.stub(), "sturdy", 2, "w");

  ASSERT_TRUE(Complete(server.stub(), ids[0], v1::SUCCEEDED).ok());
  ASSERT_TRUE(Complete(server.stub(), ids[1], v1::STOPPED).ok());
  EXPECT_EQ(GetStudyOrFail(server.stub(), "sturdy").state(), v1::STUDY_ACTIVE);
}

}  // namespace
}  // namespace augur
