#ifndef AUGUR_SERVER_SERVICE_AUGUR_SERVICE_H_
#define AUGUR_SERVER_SERVICE_AUGUR_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "augur/v1/augur.grpc.pb.h"
#include "server/service/service_context.h"
#include "server/service/study_config_cache.h"
#include "server/store/trial_store.h"

namespace augur {

// The augur.v1.Augur gRPC service: each RPC calls its handler and converts
// the result, logging every failed call with its ids.
//
// Thread safety: thread-safe; gRPC calls the methods from many threads.
class AugurService final : public v1::Augur::Service {
 public:
  // `store` must outlive the service.
  explicit AugurService(TrialStore& store);

  grpc::Status CreateStudy(grpc::ServerContext* context,
                           const v1::CreateStudyRequest* request,
                           v1::Study* reply) override;
  grpc::Status GetStudy(grpc::ServerContext* context,
                        const v1::GetStudyRequest* request,
                        v1::Study* reply) override;
  grpc::Status ListStudies(grpc::ServerContext* context,
                           const v1::ListStudiesRequest* request,
                           v1::ListStudiesResponse* reply) override;
  grpc::Status GetSuggestions(grpc::ServerContext* context,
                              const v1::GetSuggestionsRequest* request,
                              v1::GetSuggestionsResponse* reply) override;
  grpc::Status ReportMetric(grpc::ServerContext* context,
                            const v1::ReportMetricRequest* request,
                            v1::ReportMetricResponse* reply) override;
  grpc::Status CompleteTrial(grpc::ServerContext* context,
                             const v1::CompleteTrialRequest* request,
                             v1::Trial* reply) override;
  grpc::Status ShouldStop(grpc::ServerContext* context,
                          const v1::ShouldStopRequest* request,
                          v1::ShouldStopResponse* reply) override;
  grpc::Status GetTrial(grpc::ServerContext* context,
                        const v1::GetTrialRequest* request,
                        v1::Trial* reply) override;
  grpc::Status ListTrials(grpc::ServerContext* context,
                          const v1::ListTrialsRequest* request,
                          v1::ListTrialsResponse* reply) override;
  grpc::Status StopStudy(grpc::ServerContext* context,
                         const v1::StopStudyRequest* request,
                         v1::Study* reply) override;
  grpc::Status ResumeStudy(grpc::ServerContext* context,
                           const v1::ResumeStudyRequest* request,
                           v1::Study* reply) override;
  grpc::Status AddTrial(grpc::ServerContext* context,
                        const v1::AddTrialRequest* request,
                        v1::Trial* reply) override;
  grpc::Status RestartTrial(grpc::ServerContext* context,
                            const v1::RestartTrialRequest* request,
                            v1::Trial* reply) override;

 private:
  // Immutable after construction.
  StudyConfigCache configs_;
  ServiceContext context_;
};

}  // namespace augur

#endif  // AUGUR_SERVER_SERVICE_AUGUR_SERVICE_H_
