// augur::Client's AddTrial, RestartTrial, StopStudy and ResumeStudy against
// a real server on port 0 and a temporary database.

#include <memory>
#include <string>

#include "client/cpp/client.h"
#include "gtest/gtest.h"
#include "server/server.h"
#include "tests/client/cli_test_util.h"

namespace augur {
namespace {

v1::StudySpec TwoPointSpec() {
  v1::StudySpec spec;
  spec.set_name("review");
  spec.set_concurrency(2);
  spec.mutable_metric()->set_name("loss");
  spec.mutable_metric()->set_optimization(v1::MINIMIZE);
  v1::ParameterSpec* parameter = spec.add_parameters();
  parameter->set_name("x");
  for (int64_t x : {1, 2}) {
    parameter->mutable_values()->add_values()->set_int_value(x);
  }
  spec.mutable_run()->set_cmd("echo loss={{ x }}");
  return spec;
}

TEST(ClientReview, AddRestartStopResume) {
  testing::TempDirectory directory;
  ServerOptions options;
  options.database_path = (directory.path() / "review.db").string();
  auto server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  ClientOptions client_options;
  client_options.address = (*server)->address();
  auto client = Client::Create(client_options);
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*client)->CreateStudy(TwoPointSpec()).ok());

  v1::AddTrialRequest import;
  import.set_study("review");
  import.set_state(v1::SUCCEEDED);
  v1::Parameter* x = import.add_parameters();
  x->set_name("x");
  x->mutable_value()->set_int_value(2);
  v1::Metric* loss = import.add_measurements()->add_metrics();
  loss->set_name("loss");
  loss->set_value(0.5);
  auto imported = (*client)->AddTrial(import);
  auto stopped = (*client)->StopStudy("review", "review pause");
  auto restarted = (*client)->RestartTrial(imported.ok() ? imported->id() : 0,
                                           /*resume=*/true);
  auto resumed = (*client)->ResumeStudy("review", std::nullopt);
  auto reply = (*client)->GetSuggestions("review", 5, "worker");

  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->state(), v1::SUCCEEDED);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(stopped->state(), v1::STUDY_STOPPED);
  EXPECT_EQ(stopped->state_reason(), "review pause");
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_EQ(restarted->parent_id(), imported->id());
  EXPECT_TRUE(restarted->resume_from_parent());
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->state(), v1::STUDY_ACTIVE);
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->trials_size(), 2)
      << "the restarted trial, then the one grid point not imported";
  EXPECT_EQ(reply->trials(0).id(), restarted->id());
  EXPECT_EQ(reply->trials(1).parameters(0).value().int_value(), 1);

  (*server)->Shutdown();
  (*server)->Wait();
}

TEST(ClientReview, ResumeBudgetMustGrow) {
  testing::TempDirectory directory;
  ServerOptions options;
  options.database_path = (directory.path() / "review.db").string();
  auto server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  ClientOptions client_options;
  client_options.address = (*server)->address();
  auto client = Client::Create(client_options);
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*client)->CreateStudy(TwoPointSpec()).ok());

  auto smaller = (*client)->ResumeStudy("review", 1);
  auto missing = (*client)->RestartTrial(99, false);

  EXPECT_TRUE(absl::IsInvalidArgument(smaller.status())) << smaller.status();
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();

  (*server)->Shutdown();
  (*server)->Wait();
}

}  // namespace
}  // namespace augur
