#include "client/dispatcher/trial_pod.h"

#include <gtest/gtest.h>

#include <string>

#include "client/dispatcher/pod_status.h"

namespace augur {
namespace {

using nlohmann::json;

v1::Study MakeStudy(const std::string& name) {
  v1::Study study;
  study.set_name(name);
  v1::StudySpec& spec = *study.mutable_spec();
  spec.set_name(name);
  spec.set_runner(v1::KUBERNETES);
  spec.mutable_run()->set_image("registry.local/digits:1");
  spec.mutable_run()->set_cmd(
      "python train.py --lr={{ lr }} --activation={{activation}} --seed={{ "
      "seed }}");
  spec.add_parameters()->set_name("lr");
  spec.add_parameters()->set_name("activation");
  v1::Parameter* fixed = spec.add_params();
  fixed->set_name("seed");
  fixed->mutable_value()->set_int_value(7);
  return study;
}

v1::Trial MakeTrial(int64_t id) {
  v1::Trial trial;
  trial.set_id(id);
  v1::Parameter* lr = trial.add_parameters();
  lr->set_name("lr");
  lr->mutable_value()->set_double_value(0.001);
  v1::Parameter* activation = trial.add_parameters();
  activation->set_name("activation");
  activation->mutable_value()->set_string_value("leaky relu; rm -rf /");
  return trial;
}

std::string EnvValue(const json& container, const std::string& name) {
  for (const json& entry : container["env"]) {
    if (entry["name"] == name) return entry["value"];
  }
  return "<missing>";
}

TEST(TrialPodName, IsDnsLabelWithTrialId) {
  EXPECT_EQ(TrialPodName("digits", 12), "augur-digits-12");
  EXPECT_EQ(TrialPodName("My Study_v2!!", 3), "augur-my-study-v2-3");
  EXPECT_EQ(TrialPodName("***", 4), "augur-study-4");

  const std::string long_name = TrialPodName(std::string(200, 'a'), 123456);
  EXPECT_EQ(long_name.size(), 63u);
  EXPECT_EQ(long_name.substr(long_name.size() - 7), "-123456");
}

TEST(SanitizeLabelValue, KeepsValidCharactersOnly) {
  EXPECT_EQ(SanitizeLabelValue("digits.v2_a-b"), "digits.v2_a-b");
  EXPECT_EQ(SanitizeLabelValue("my study/1"), "my-study-1");
  EXPECT_EQ(SanitizeLabelValue("--x--"), "x");
  EXPECT_EQ(SanitizeLabelValue("///"), "study");
  EXPECT_EQ(SanitizeLabelValue(std::string(80, 'b') + "-").size(), 63u);
}

TEST(SlotClientId, NamesStudyAndSlot) {
  EXPECT_EQ(SlotClientId("digits", 2), "k8s-dispatcher/digits/slot-2");
  EXPECT_TRUE(IsSlotClientId("digits", "k8s-dispatcher/digits/slot-2"));
  EXPECT_FALSE(IsSlotClientId("digits", "k8s-dispatcher/digits-2/slot-2"));
  EXPECT_FALSE(IsSlotClientId("digits", "k8s-dispatcher/digits/slot-"));
  EXPECT_FALSE(IsSlotClientId("digits", "augur-run/digits/slot-1"));
}

TEST(BuildTrialPod, RendersShellQuotedCommand) {
  absl::StatusOr<json> pod =
      BuildTrialPod(MakeStudy("digits"), MakeTrial(5), 1, "augur:8470");
  ASSERT_TRUE(pod.ok()) << pod.status();

  const json& container = (*pod)["spec"]["containers"][0];
  EXPECT_EQ(container["name"], "trial");
  EXPECT_EQ(container["image"], "registry.local/digits:1");
  EXPECT_EQ(container["command"],
            json({"/bin/sh", "-c",
                  "python train.py --lr=0.001 "
                  "--activation='leaky relu; rm -rf /' --seed=7"}));
  EXPECT_EQ((*pod)["spec"]["restartPolicy"], "Never");
}

TEST(BuildTrialPod, SetsLabelsAndEnvironment) {
  v1::Trial trial = MakeTrial(5);
  trial.set_parent_id(3);
  trial.set_resume_from_parent(true);
  absl::StatusOr<json> pod =
      BuildTrialPod(MakeStudy("My Study"), trial, 1, "augur:8470");
  ASSERT_TRUE(pod.ok()) << pod.status();

  const json& metadata = (*pod)["metadata"];
  EXPECT_EQ(metadata["name"], "augur-my-study-5");
  EXPECT_EQ(metadata["labels"][kStudyLabel], "My-Study");
  EXPECT_EQ(metadata["labels"][kTrialLabel], "5");
  EXPECT_EQ(metadata["labels"][kSlotLabel], "1");
  EXPECT_EQ(metadata["labels"][kManagedByLabel], "augur-dispatcher");
  EXPECT_EQ(metadata["annotations"][kStudyNameAnnotation], "My Study");

  const json& container = (*pod)["spec"]["containers"][0];
  EXPECT_EQ(EnvValue(container, "AUGUR_ADDRESS"), "augur:8470");
  EXPECT_EQ(EnvValue(container, "AUGUR_STUDY"), "My Study");
  EXPECT_EQ(EnvValue(container, "AUGUR_TRIAL_ID"), "5");
  EXPECT_EQ(EnvValue(container, "PYTHONUNBUFFERED"), "1");
  EXPECT_EQ(EnvValue(container, "AUGUR_RESUME_FROM"), "3");
  const json params = json::parse(EnvValue(container, "AUGUR_PARAMS"));
  EXPECT_EQ(params["lr"], 0.001);
  EXPECT_EQ(params["activation"], "leaky relu; rm -rf /");
  EXPECT_EQ(params["seed"], 7);
  EXPECT_EQ(EnvValue(container, "POLYAXON_PARAMS"),
            EnvValue(container, "AUGUR_PARAMS"));
}

TEST(BuildTrialPod, FillsPodTemplate) {
  v1::Study study = MakeStudy("digits");
  study.mutable_spec()->mutable_run()->set_pod_template(R"(
apiVersion: v1
kind: Pod
metadata:
  name: ignored
  namespace: elsewhere
  labels: {team: ml}
spec:
  serviceAccountName: trainer
  containers:
  - name: train
    resources:
      limits: {cpu: "2", memory: 4Gi}
    env:
    - {name: AUGUR_STUDY, value: overwritten}
    - {name: DATA_DIR, value: /data}
  - name: sidecar
    image: busybox
    command: [sleep, "3600"]
)");
  absl::StatusOr<json> pod =
      BuildTrialPod(study, MakeTrial(9), 0, "augur:8470");
  ASSERT_TRUE(pod.ok()) << pod.status();

  EXPECT_EQ((*pod)["metadata"]["name"], "augur-digits-9");
  EXPECT_FALSE((*pod)["metadata"].contains("namespace"));
  EXPECT_EQ((*pod)["metadata"]["labels"]["team"], "ml");
  EXPECT_EQ((*pod)["metadata"]["labels"][kTrialLabel], "9");
  EXPECT_EQ((*pod)["spec"]["serviceAccountName"], "trainer");
  EXPECT_EQ((*pod)["spec"]["restartPolicy"], "Never");

  const json& train = (*pod)["spec"]["containers"][0];
  EXPECT_EQ(train["image"], "registry.local/digits:1");
  EXPECT_EQ(train["command"][0], "/bin/sh");
  EXPECT_EQ(train["resources"]["limits"]["cpu"], "2");
  EXPECT_EQ(EnvValue(train, "AUGUR_STUDY"), "digits");
  EXPECT_EQ(EnvValue(train, "DATA_DIR"), "/data");

  const json& sidecar = (*pod)["spec"]["containers"][1];
  EXPECT_EQ(sidecar["command"], json({"sleep", "3600"}));
  EXPECT_EQ(EnvValue(sidecar, "AUGUR_TRIAL_ID"), "9");
}

TEST(BuildTrialPod, AcceptsBarePodSpecTemplate) {
  v1::Study study = MakeStudy("digits");
  study.mutable_spec()->mutable_run()->set_pod_template(
      R"({"containers": [{"name": "main"}], "restartPolicy": "OnFailure"})");
  absl::StatusOr<json> pod = BuildTrialPod(study, MakeTrial(2), 0, "a:1");
  ASSERT_TRUE(pod.ok()) << pod.status();
  EXPECT_EQ((*pod)["kind"], "Pod");
  EXPECT_EQ((*pod)["spec"]["restartPolicy"], "OnFailure");
  EXPECT_EQ((*pod)["spec"]["containers"][0]["image"],
            "registry.local/digits:1");
}

TEST(ValidateRunSpec, RejectsUnusableSpecs) {
  struct Case {
    std::string image;
    std::string cmd;
    std::string pod_template;
    std::string expected_text;
  };
  const Case cases[] = {
      {"", "python t.py", "", "run.image"},
      {"img", "python t.py --x={{ missing }}", "", "missing"},
      {"img", "python t.py --x={{ lr | int }}", "", "placeholder"},
      {"", "", "spec: {containers: [{name: a}]}", "has no image"},
      {"img", "", "spec: {containers: [{image: x}]}", "without a name"},
      {"img", "", "spec: {containers: []}", "no containers"},
      {"img", "", "kind: Job\nspec: {containers: [{name: a}]}", "kind Job"},
      {"img", "", "spec: {restartPolicy: Always, containers: [{name: a}]}",
       "Always"},
      {"img", "", "[1, 2]", "mapping"},
      {"img", "", "spec: {containers: [", "invalid YAML"},
  };
  for (const Case& c : cases) {
    v1::StudySpec spec = MakeStudy("s").spec();
    spec.mutable_run()->set_image(c.image);
    spec.mutable_run()->set_cmd(c.cmd);
    spec.mutable_run()->set_pod_template(c.pod_template);
    const absl::Status status = ValidateRunSpec(spec);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << c.pod_template << c.cmd;
    EXPECT_NE(status.message().find(c.expected_text), absl::string_view::npos)
        << status.message();
  }
}

TEST(YamlToJson, UsesCoreSchemaTypes) {
  absl::StatusOr<json> converted = YamlToJson(
      "a: 1\nb: 1.5\nc: true\nd: null\ne: '2'\nf: v1.2\ng: [x, 3]\nh: ~\n");
  ASSERT_TRUE(converted.ok()) << converted.status();
  EXPECT_EQ((*converted)["a"], 1);
  EXPECT_EQ((*converted)["b"], 1.5);
  EXPECT_EQ((*converted)["c"], true);
  EXPECT_TRUE((*converted)["d"].is_null());
  EXPECT_EQ((*converted)["e"], "2");
  EXPECT_EQ((*converted)["f"], "v1.2");
  EXPECT_EQ((*converted)["g"], json({"x", 3}));
  EXPECT_TRUE((*converted)["h"].is_null());
}

TEST(ReadTrialPod, ReadsLabelsAndStatus) {
  const json pod = {
      {"metadata",
       {{"name", "augur-digits-4"},
        {"labels", {{kTrialLabel, "4"}, {kSlotLabel, "1"}, {kStudyLabel, "d"}}},
        {"annotations", {{kStudyNameAnnotation, "digits"}}},
        {"deletionTimestamp", "2024-05-01T10:00:00Z"}}},
      {"status",
       {{"phase", "Failed"},
        {"containerStatuses",
         {{{"name", "trial"},
           {"state",
            {{"terminated",
              {{"exitCode", 3},
               {"finishedAt", "2024-05-01T10:00:00Z"}}}}}}}}}}};
  absl::StatusOr<TrialPodState> state = ReadTrialPod(pod);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->name, "augur-digits-4");
  EXPECT_EQ(state->trial_id, 4);
  EXPECT_EQ(state->slot, 1);
  EXPECT_EQ(state->study, "digits");
  EXPECT_TRUE(state->finished());
  EXPECT_TRUE(state->terminating);
  ASSERT_TRUE(state->finish_time.has_value());
  EXPECT_EQ(absl::ToUnixSeconds(*state->finish_time), 1714557600);
}

TEST(ReadTrialPod, RejectsPodWithoutTrialLabel) {
  EXPECT_FALSE(ReadTrialPod(json{{"metadata", {{"name", "x"}}}}).ok());
  EXPECT_FALSE(ReadTrialPod(json::object()).ok());
}

TEST(ReadTrialPod, ReportsImageThatCannotStart) {
  const json pod = {
      {"metadata", {{"name", "p"}, {"labels", {{kTrialLabel, "1"}}}}},
      {"status",
       {{"phase", "Pending"},
        {"containerStatuses",
         {{{"name", "trial"},
           {"state",
            {{"waiting",
              {{"reason", "InvalidImageName"},
               {"message", "couldn't parse image name"}}}}}}}}}}};
  absl::StatusOr<TrialPodState> state = ReadTrialPod(pod);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->start_failure,
            "container trial cannot start: InvalidImageName: couldn't parse "
            "image name");
}

TEST(DescribePodFailure, NamesReasonAndExitCodes) {
  const json pod = {
      {"metadata", {{"name", "augur-digits-7"}}},
      {"status",
       {{"phase", "Failed"},
        {"reason", "Evicted"},
        {"message", "low on memory"},
        {"containerStatuses",
         {{{"name", "trial"},
           {"state",
            {{"terminated", {{"exitCode", 137}, {"reason", "OOMKilled"}}}}}},
          {{"name", "ok"}, {"state", {{"terminated", {{"exitCode", 0}}}}}}}}}}};
  EXPECT_EQ(DescribePodFailure(pod),
            "pod augur-digits-7 failed: Evicted: low on memory; container "
            "trial exited with code 137 (OOMKilled)");
}

}  // namespace
}  // namespace augur
