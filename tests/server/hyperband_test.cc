// Hyperband through the real service: the injected resource and the parent
// link of promoted trials, synchronous rungs, concurrency during promotions,
// and a SIGKILLed augur-server that continues a study exactly as an
// uninterrupted one does.

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/server/server_process.h"
#include "tests/server/test_server.h"

namespace augur {
namespace {

constexpr char kResource[] = "epochs";

// Hyperband with max_iter 9 and eta 3 over x ~ U[0, 1) and y in {1, 2, 3},
// maximising "accuracy". The schedule has s_max = 2 and three brackets:
// 9@1 3@3 1@9, then 5@3 1@9, then 3@9, so 22 trials in all.
v1::StudySpec HyperbandSpec(const std::string& name, int64_t concurrency,
                            bool resume) {
  v1::StudySpec spec;
  spec.set_name(name);
  spec.set_concurrency(concurrency);
  spec.set_seed(20240611);

  v1::ParameterSpec* x = spec.add_parameters();
  x->set_name("x");
  x->mutable_uniform()->set_low(0.0);
  x->mutable_uniform()->set_high(1.0);
  v1::ParameterSpec* y = spec.add_parameters();
  y->set_name("y");
  for (int value : {1, 2, 3}) {
    y->mutable_values()->add_values()->set_int_value(value);
  }

  v1::Hyperband* hyperband = spec.mutable_hyperband();
  hyperband->set_max_iter(9);
  hyperband->set_eta(3);
  hyperband->mutable_resource()->set_name(kResource);
  hyperband->mutable_resource()->set_type(v1::Hyperband::INT);
  hyperband->mutable_metric()->set_name("accuracy");
  hyperband->mutable_metric()->set_optimization(v1::MAXIMIZE);
  hyperband->set_resume(resume);
  return spec;
}

constexpr int64_t kTotalTrials = 22;

const v1::Value* FindParameter(const v1::Trial& trial,
                               const std::string& name) {
  for (const v1::Parameter& parameter : trial.parameters()) {
    if (parameter.name() == name) return &parameter.value();
  }
  return nullptr;
}

double DoubleParameter(const v1::Trial& trial, const std::string& name) {
  const v1::Value* value = FindParameter(trial, name);
  return value == nullptr ? std::nan("") : value->double_value();
}

// The accuracy a trial reports: a function of its parameters and resource
// only, so every run of the same schedule ranks trials the same way.
double Accuracy(const v1::Trial& trial) {
  const double x = DoubleParameter(trial, "x");
  const double y = static_cast<double>(IntParameter(trial, "y"));
  const double epochs = static_cast<double>(IntParameter(trial, kResource));
  return 1.0 - (x - 0.6) * (x - 0.6) - 0.05 * y + 0.01 * epochs;
}

// Reports the trial's accuracy at step 0 and ends it SUCCEEDED.
void Finish(v1::Augur::Stub& stub, const v1::Trial& trial) {
  grpc::Status reported =
      Report(stub, trial.id(), 0, {{"accuracy", Accuracy(trial)}});
  ASSERT_TRUE(reported.ok()) << reported.error_message();
  grpc::Status completed = Complete(stub, trial.id(), v1::SUCCEEDED);
  ASSERT_TRUE(completed.ok()) << completed.error_message();
}

std::vector<v1::Trial> ListTrialsOrFail(
    v1::Augur::Stub& stub, const std::string& study,
    std::vector<v1::TrialState> states = {}) {
  grpc::ClientContext context;
  v1::ListTrialsRequest request;
  request.set_study(study);
  for (v1::TrialState state : states) request.add_states(state);
  v1::ListTrialsResponse reply;
  grpc::Status status = stub.ListTrials(&context, request, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {reply.trials().begin(), reply.trials().end()};
}

// One line per trial with everything a suggestion decides: id, parameters
// in order (the resource included), parent and resume flag.
std::string Describe(const v1::Trial& trial) {
  std::vector<std::string> parameters;
  for (const v1::Parameter& parameter : trial.parameters()) {
    // The text form keeps every digit of a double.
    parameters.push_back(absl::StrCat(
        parameter.name(), "={", parameter.value().ShortDebugString(), "}"));
  }
  return absl::StrCat(
      "trial ", trial.id(), " [", absl::StrJoin(parameters, " "),
      "] parent=", trial.parent_id(), " resume=", trial.resume_from_parent());
}

// --- Injected resource and parent link ------------------------------------

TEST(HyperbandService, InjectsResourceAndLinksParent) {
  TestServer server;
  CreateStudyOrFail(server.stub(), HyperbandSpec("hb", 9, /*resume=*/true));

  v1::GetSuggestionsResponse first = Suggest(server.stub(), "hb", 9, "w");
  ASSERT_EQ(first.trials_size(), 9);
  for (const v1::Trial& trial : first.trials()) {
    ASSERT_EQ(trial.parameters_size(), 3) << trial.ShortDebugString();
    EXPECT_EQ(trial.parameters(0).name(), "x");
    EXPECT_EQ(trial.parameters(1).name(), "y");
    EXPECT_EQ(trial.parameters(2).name(), kResource);
    EXPECT_EQ(trial.parameters(2).value().kind_case(), v1::Value::kIntValue)
        << "an int resource is passed as an integer";
    EXPECT_EQ(IntParameter(trial, kResource), 1);
    EXPECT_EQ(trial.parent_id(), 0);
    EXPECT_FALSE(trial.resume_from_parent());
  }

  std::vector<v1::Trial> ranked(first.trials().begin(), first.trials().end());
  for (const v1::Trial& trial : ranked) Finish(server.stub(), trial);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const v1::Trial& a, const v1::Trial& b) {
                     return Accuracy(a) > Accuracy(b);
                   });

  v1::GetSuggestionsResponse promoted = Suggest(server.stub(), "hb", 9, "w");
  ASSERT_EQ(promoted.trials_size(), 3) << promoted.message();
  EXPECT_EQ(promoted.reason(), v1::WAITING_FOR_RUNG) << promoted.message();
  for (int k = 0; k < 3; ++k) {
    const v1::Trial& trial = promoted.trials(k);
    const v1::Trial& parent = ranked[k];
    EXPECT_EQ(trial.parent_id(), parent.id()) << "promotion " << k;
    EXPECT_TRUE(trial.resume_from_parent());
    EXPECT_EQ(IntParameter(trial, kResource), 3);
    EXPECT_EQ(DoubleParameter(trial, "x"), DoubleParameter(parent, "x"));
    EXPECT_EQ(IntParameter(trial, "y"), IntParameter(parent, "y"));

    const v1::Trial stored = GetTrialOrFail(server.stub(), trial.id());
    EXPECT_EQ(stored.parent_id(), parent.id()) << "the link is stored";
    EXPECT_TRUE(stored.resume_from_parent());
  }
}

TEST(HyperbandService, ResumeFalseKeepsParentWithoutResume) {
  TestServer server;
  CreateStudyOrFail(server.stub(), HyperbandSpec("fresh", 9, /*resume=*/false));

  v1::GetSuggestionsResponse first = Suggest(server.stub(), "fresh", 9, "w");
  ASSERT_EQ(first.trials_size(), 9);
  for (const v1::Trial& trial : first.trials()) Finish(server.stub(), trial);

  v1::GetSuggestionsResponse promoted = Suggest(server.stub(), "fresh", 9, "w");
  ASSERT_EQ(promoted.trials_size(), 3) << promoted.message();
  for (const v1::Trial& trial : promoted.trials()) {
    EXPECT_NE(trial.parent_id(), 0) << "a promotion names its parent";
    EXPECT_FALSE(trial.resume_from_parent()) << "resume: false starts fresh";
  }
}

TEST(HyperbandService, FinalMetricRanksLikeReportedMetric) {
  TestServer server;
  CreateStudyOrFail(server.stub(), HyperbandSpec("final", 9, /*resume=*/true));

  v1::GetSuggestionsResponse first = Suggest(server.stub(), "final", 9, "w");
  ASSERT_EQ(first.trials_size(), 9);
  // Trial k reports a high value first and a final value of k, so only the
  // final value can put the last three trials on top.
  for (int k = 0; k < 9; ++k) {
    const int64_t id = first.trials(k).id();
    ASSERT_TRUE(Report(server.stub(), id, 0, {{"accuracy", 100.0 - k}}).ok());
    ASSERT_TRUE(Complete(server.stub(), id, v1::SUCCEEDED,
                         {{"accuracy", static_cast<double>(k)}})
                    .ok());
  }

  v1::GetSuggestionsResponse promoted = Suggest(server.stub(), "final", 3, "w");
  ASSERT_EQ(promoted.trials_size(), 3) << promoted.message();
  EXPECT_EQ(promoted.trials(0).parent_id(), first.trials(8).id());
  EXPECT_EQ(promoted.trials(1).parent_id(), first.trials(7).id());
  EXPECT_EQ(promoted.trials(2).parent_id(), first.trials(6).id());
}

// --- Synchronous rungs -------------------------------------------------------

TEST(HyperbandService, WaitsForRungWithReason) {
  TestServer server;
  CreateStudyOrFail(server.stub(), HyperbandSpec("sync", 20, /*resume=*/true));

  v1::GetSuggestionsResponse first = Suggest(server.stub(), "sync", 20, "a");
  ASSERT_EQ(first.trials_size(), 9)
      << "rung 0 of the first bracket has 9 trials";
  EXPECT_EQ(first.reason(), v1::WAITING_FOR_RUNG);
  EXPECT_NE(first.message().find("rung 0"), std::string::npos)
      << first.message();

  for (int k = 0; k < 8; ++k) Finish(server.stub(), first.trials(k));

  v1::GetSuggestionsResponse waiting = Suggest(server.stub(), "sync", 5, "b");
  EXPECT_EQ(waiting.trials_size(), 0);
  EXPECT_EQ(waiting.reason(), v1::WAITING_FOR_RUNG);
  EXPECT_NE(waiting.message().find("1 still running"), std::string::npos)
      << waiting.message();
  EXPECT_EQ(waiting.study_state(), v1::STUDY_ACTIVE);

  Finish(server.stub(), first.trials(8));
  v1::GetSuggestionsResponse promoted = Suggest(server.stub(), "sync", 5, "b");
  EXPECT_EQ(promoted.trials_size(), 3) << promoted.message();
  EXPECT_EQ(promoted.reason(), v1::WAITING_FOR_RUNG) << promoted.message();
  EXPECT_NE(promoted.message().find("rung 1"), std::string::npos)
      << promoted.message();
}

TEST(HyperbandService, FailedTrialsShrinkPromotions) {
  TestServer server;
  CreateStudyOrFail(server.stub(), HyperbandSpec("shrink", 9, /*resume=*/true));

  v1::GetSuggestionsResponse first = Suggest(server.stub(), "shrink", 9, "w");
  ASSERT_EQ(first.trials_size(), 9);
  Finish(server.stub(), first.trials(4));
  Finish(server.stub(), first.trials(7));
  for (int k : {0, 1, 2, 3, 5, 6, 8}) {
    ASSERT_TRUE(Complete(server.stub(), first.trials(k).id(), v1::FAILED).ok());
  }

  v1::GetSuggestionsResponse promoted =
      Suggest(server.stub(), "shrink", 9, "w");
  ASSERT_EQ(promoted.trials_size(), 2) << promoted.message();
  std::set<int64_t> parents = {promoted.trials(0).parent_id(),
                               promoted.trials(1).parent_id()};
  EXPECT_EQ(parents,
            (std::set<int64_t>{first.trials(4).id(), first.trials(7).id()}));
}

// --- Concurrency during promotions ------------------------------------------

TEST(HyperbandService, PromotionsRespectConcurrency) {
  TestServer server;
  CreateStudyOrFail(server.stub(), HyperbandSpec("limit", 2, /*resume=*/true));

  // Rung 0 of the first bracket, two trials at a time.
  for (int finished = 0; finished < 9;) {
    v1::GetSuggestionsResponse reply = Suggest(server.stub(), "limit", 2, "a");
    ASSERT_GT(reply.trials_size(), 0) << reply.message();
    ASSERT_LE(reply.trials_size(), 2);
    Finish(server.stub(), reply.trials(0));
    ++finished;
  }

  // Rung 1 has three promotions, one more than the concurrency.
  v1::GetSuggestionsResponse a = Suggest(server.stub(), "limit", 3, "a");
  EXPECT_EQ(a.trials_size(), 2) << a.message();
  EXPECT_EQ(a.reason(), v1::CONCURRENCY_REACHED) << a.message();
  for (const v1::Trial& trial : a.trials()) {
    EXPECT_EQ(IntParameter(trial, kResource), 3);
    EXPECT_NE(trial.parent_id(), 0);
  }

  v1::GetSuggestionsResponse b = Suggest(server.stub(), "limit", 1, "b");
  EXPECT_EQ(b.trials_size(), 0);
  EXPECT_EQ(b.reason(), v1::CONCURRENCY_REACHED) << b.message();

  Finish(server.stub(), a.trials(0));
  b = Suggest(server.stub(), "limit", 2, "b");
  ASSERT_EQ(b.trials_size(), 1) << b.message();
  EXPECT_EQ(IntParameter(b.trials(0), kResource), 3);
  EXPECT_EQ(ListTrialsOrFail(server.stub(), "limit", {v1::ACTIVE}).size(), 2u);
}

TEST(HyperbandService, ManyClientsNeverExceedConcurrency) {
  TestServer server;
  CreateStudyOrFail(server.stub(),
                    HyperbandSpec("clients", 2, /*resume=*/true));
  const std::vector<std::string> clients = {"a", "b", "c"};

  bool ended = false;
  for (int round = 0; round < 200 && !ended; ++round) {
    // Every client requests two trials, and the server hands out at most two
    // in all.
    std::vector<v1::Trial> handed_out;
    for (const std::string& client : clients) {
      v1::GetSuggestionsResponse reply =
          Suggest(server.stub(), "clients", 2, client);
      if (reply.reason() == v1::STUDY_ENDED) ended = true;
      handed_out.insert(handed_out.end(), reply.trials().begin(),
                        reply.trials().end());
      const size_t active =
          ListTrialsOrFail(server.stub(), "clients", {v1::ACTIVE}).size();
      ASSERT_LE(active, 2u) << "round " << round << ", client " << client;
    }

    // Finish the lowest id, so the next round can promote or draw.
    if (handed_out.empty()) continue;
    const auto lowest = std::min_element(
        handed_out.begin(), handed_out.end(),
        [](const v1::Trial& l, const v1::Trial& r) { return l.id() < r.id(); });
    Finish(server.stub(), *lowest);
  }

  const v1::Study study = GetStudyOrFail(server.stub(), "clients");
  EXPECT_EQ(study.state(), v1::STUDY_COMPLETED) << study.state_reason();
  EXPECT_EQ(study.succeeded_trials(), kTotalTrials);
}

// --- Restart equivalence -----------------------------------------------------

// Drives a study with one client and a fixed completion order: ask for up to
// two trials, then finish the lowest id among the trials held. Returns one
// Describe line per trial, in the order the trials first appeared.
// `after_call` runs after every GetSuggestions with the loop's call number
// and may replace `stub` (a server restart).
template <typename AfterCall>
std::vector<std::string> DriveStudy(std::unique_ptr<v1::Augur::Stub>& stub,
                                    const std::string& study,
                                    AfterCall after_call) {
  std::vector<std::string> sequence;
  std::set<int64_t> seen;
  for (int call = 0; call < 200; ++call) {
    v1::GetSuggestionsResponse reply = Suggest(*stub, study, 2, "driver");
    for (const v1::Trial& trial : reply.trials()) {
      if (seen.insert(trial.id()).second) sequence.push_back(Describe(trial));
    }
    if (reply.trials_size() == 0) {
      EXPECT_TRUE(reply.reason() == v1::STUDY_ENDED ||
                  reply.reason() == v1::EXHAUSTED)
          << "one client holding no trial must never wait: " << reply.message();
      break;
    }

    after_call(call);

    // The reply lists the caller's ACTIVE trials first, in id order.
    v1::Trial lowest = reply.trials(0);
    for (const v1::Trial& trial : reply.trials()) {
      if (trial.id() < lowest.id()) lowest = trial;
    }
    Finish(*stub, lowest);
  }
  return sequence;
}

std::unique_ptr<v1::Augur::Stub> Connect(const std::string& address) {
  return v1::Augur::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
}

TEST(HyperbandService, SigkillRestartMakesSameSuggestions) {
  TempDir dir;
  const std::string log = dir.File("server.log");

  // The uninterrupted run.
  std::vector<std::string> expected;
  {
    ServerProcess server(dir.File("uninterrupted.db"), log);
    ASSERT_FALSE(server.address().empty()) << server.Log();
    std::unique_ptr<v1::Augur::Stub> stub = Connect(server.address());
    CreateStudyOrFail(*stub, HyperbandSpec("restart", 2, /*resume=*/true));
    expected = DriveStudy(stub, "restart", [](int) {});
    EXPECT_EQ(GetStudyOrFail(*stub, "restart").state(), v1::STUDY_COMPLETED);
  }
  ASSERT_EQ(expected.size(), static_cast<size_t>(kTotalTrials));

  // The same study on another database, with the server killed after
  // calls that left trials ACTIVE: inside rung 0 of the first bracket,
  // between its promotions, and inside the second bracket.
  const std::set<int> kill_after_calls = {4, 10, 15};
  const std::string db = dir.File("killed.db");
  auto server = std::make_unique<ServerProcess>(db, log);
  ASSERT_FALSE(server->address().empty()) << server->Log();
  std::unique_ptr<v1::Augur::Stub> stub = Connect(server->address());
  CreateStudyOrFail(*stub, HyperbandSpec("restart", 2, /*resume=*/true));

  int kills = 0;
  const std::vector<std::string> actual =
      DriveStudy(stub, "restart", [&](int call) {
        if (kill_after_calls.count(call) == 0) return;
        const size_t active =
            ListTrialsOrFail(*stub, "restart", {v1::ACTIVE}).size();
        EXPECT_GT(active, 0u)
            << "call " << call << " must leave a trial ACTIVE";

        const int status = server->Kill(SIGKILL);
        EXPECT_TRUE(WIFSIGNALED(status)) << server->Log();
        EXPECT_EQ(WTERMSIG(status), SIGKILL) << server->Log();
        ++kills;
        server = std::make_unique<ServerProcess>(db, log);
        ASSERT_FALSE(server->address().empty()) << server->Log();
        stub = Connect(server->address());
      });

  EXPECT_EQ(kills, 3);
  EXPECT_EQ(actual, expected);
  const v1::Study study = GetStudyOrFail(*stub, "restart");
  EXPECT_EQ(study.state(), v1::STUDY_COMPLETED) << server->Log();
  EXPECT_EQ(study.succeeded_trials(), kTotalTrials);

  std::map<int64_t, int> per_resource;
  for (const v1::Trial& trial : ListTrialsOrFail(*stub, "restart")) {
    ++per_resource[IntParameter(trial, kResource)];
  }
  EXPECT_EQ(per_resource, (std::map<int64_t, int>{{1, 9}, {3, 8}, {9, 5}}));
}

}  // namespace
}  // namespace augur
