#ifndef AUGUR_CLIENT_DISPATCHER_DISPATCHER_H_
#define AUGUR_CLIENT_DISPATCHER_DISPATCHER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "augur/v1/augur.pb.h"
#include "client/cpp/client.h"
#include "client/dispatcher/kube_client.h"
#include "client/dispatcher/pod_status.h"

namespace augur {

struct DispatcherOptions {
  // host:port that trial pods dial as AUGUR_ADDRESS, usually the augur
  // Service ("augur:8470").
  std::string trial_server_address;
  // How often studies are listed, empty slots filled and stop decisions
  // read. Pod events are handled as they arrive.
  absl::Duration poll_interval = absl::Seconds(5);
  // How long a Succeeded or Failed pod is kept (for `kubectl logs`) before
  // the dispatcher deletes it, counted from its containers' finish time.
  absl::Duration finished_pod_ttl = absl::Minutes(10);
  // Length of one watch request; the watch then resumes from the last
  // resourceVersion it saw.
  absl::Duration watch_timeout = absl::Minutes(5);
  // Wait before listing or watching again after an error. It doubles up
  // to max_watch_backoff.
  absl::Duration initial_watch_backoff = absl::Milliseconds(500);
  absl::Duration max_watch_backoff = absl::Seconds(30);
};

// Runs the trials of every ACTIVE study whose runner is KUBERNETES as pods.
//
// Each study gets `concurrency` slots. An empty slot requests a trial from
// the server with its own client_id ("k8s-dispatcher/<study>/slot-N") and
// creates the trial's pod (see BuildTrialPod), named after the trial, so a
// second create for the same trial finds the first pod (409) and adopts it.
// A watch on the pods labelled app.kubernetes.io/managed-by=augur-dispatcher
// reports their phases:
//   - Succeeded: the trial is completed SUCCEEDED, unless the training code
//     already ended it;
//   - Failed, or a container that cannot start (invalid image, image pull
//     back-off): FAILED with the pod's reason and each container's exit
//     code;
//   - deleted by someone else while the trial is ACTIVE: FAILED
//     "pod ... was deleted".
// Every poll, each running trial's ShouldStop decision is read; a trial
// told to stop (policy, threshold, stopped study, timeout) is completed
// STOPPED and then its pod is deleted. Finished pods are deleted once
// finished_pod_ttl has passed.
//
// A restarted dispatcher lists its pods before it takes any suggestion and
// adopts them, since a trial's pod, slot and study are all in its labels.
// An ACTIVE trial held by a dispatcher slot whose pod is gone is FAILED
// "pod ... was deleted", as if the dispatcher had seen the deletion.
// When the watch's resourceVersion expires (410 Gone) it lists again, and
// a pod missing from the new list counts as deleted.
//
// Thread safety: Run is called once, from one thread; Stop may be called
// from any thread.
class Dispatcher {
 public:
  // `augur` and `kube` must outlive the dispatcher. Stop() cancels `kube`.
  Dispatcher(Client* augur, KubeClient* kube, DispatcherOptions options);
  ~Dispatcher();

  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Watches pods and runs trials until Stop() is called, then returns OK.
  // Errors of single calls are logged and retried at the next poll, so Run
  // returns an error only when it cannot start.
  absl::Status Run();

  // Makes Run return soon. Running pods are left alone, so a new
  // dispatcher adopts them.
  void Stop();

 private:
  // A pod change from the watch thread: a full list (after a start or a
  // 410), one added or modified pod, or one deleted pod.
  struct PodEvent {
    enum class Kind { kSync, kUpsert, kDelete };
    Kind kind;
    std::vector<nlohmann::json> pods;
  };

  // The dispatcher's view of one of its pods.
  struct PodRecord {
    TrialPodState state;
    nlohmann::json object;
    // The dispatcher wants the pod gone; DeletePod is retried every poll
    // until the API server accepts it.
    bool delete_requested = false;
    std::string delete_reason;
    // The API server accepted the dispatcher's delete.
    bool deleted_by_dispatcher = false;
    // The trial is known to be no longer ACTIVE: the dispatcher completed
    // it, or found it ended.
    bool trial_settled = false;
    // When the dispatcher first saw the pod finished.
    absl::Time observed_finish = absl::InfiniteFuture();
  };

  // Watch thread.
  void WatchLoop();
  void Push(PodEvent event);
  bool SleepUnlessStopping(absl::Duration duration);

  // Main thread: pod events.
  void ProcessEvents();
  void ApplyPod(const nlohmann::json& pod);
  void ForgetPod(const std::string& name, const nlohmann::json& last_object);
  void ApplySync(const std::vector<nlohmann::json>& pods);
  void SettleFinishedPod(PodRecord& record);
  void FailPodThatCannotStart(PodRecord& record);

  // Main thread: the periodic pass over studies and trials.
  void Reconcile();
  void FillSlots(const v1::Study& study);
  bool FailTrialsWithoutPods(const v1::Study& study);
  void StartTrialPod(const v1::Study& study, const v1::Trial& trial, int slot);
  void CheckStopDecisions();
  void StopTrialPod(PodRecord& record, const v1::StopDecision& decision);
  void DeleteExpiredPods();
  void DeletePod(PodRecord& record, const std::string& reason);
  void RetryRequestedDeletes();

  // Completes the trial unless it has already ended. Returns true when the
  // trial is no longer ACTIVE afterwards.
  bool CompleteTrialIfActive(int64_t trial_id, v1::TrialState state,
                             const std::string& message);

  Client* const augur_;
  KubeClient* const kube_;
  const DispatcherOptions options_;

  std::atomic<bool> stopping_{false};
  std::thread watch_thread_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<PodEvent> events_;  // Guarded by mutex_.

  // Main thread only.
  bool synced_ = false;
  // Whether the trials that an earlier dispatcher left without a pod have
  // been failed (done once, after the first pod list).
  bool orphans_checked_ = false;
  std::map<std::string, PodRecord> pods_;
  // Studies whose run spec was rejected, with the logged error, so that it
  // is logged once rather than every poll.
  std::map<std::string, std::string> rejected_studies_;
};

}  // namespace augur

#endif  // AUGUR_CLIENT_DISPATCHER_DISPATCHER_H_
