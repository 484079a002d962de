// gRPC glue of the enforcement statistics service.
#ifndef PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_SERVICE_H_
#define PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_SERVICE_H_

#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "services/common/change_feed_service.h"
#include "services/enforcement/enforcement_domain.h"

namespace palermo::enforcement {

// Synchronous handlers: the work is blocking SQLite I/O. ImportObservations
// is a raw callback method: it reads and parses each message itself, so that
// a stream that fails in any way commits nothing (ClientStreamReader).
// WatchChanges is a callback method, served from the store's change log.
class EnforcementServiceImpl final
    : public WithChangeFeed<
          v1::EnforcementService::WithCallbackMethod_WatchChanges<
              v1::EnforcementService::WithRawCallbackMethod_ImportObservations<
                  v1::EnforcementService::Service>>> {
 public:
  EnforcementServiceImpl(EnforcementDomain& domain, ChangeLog& changes)
      : WithChangeFeed(changes), domain_(domain) {}

  grpc::Status ListIndicators(grpc::ServerContext*,
                              const v1::ListIndicatorsRequest* request,
                              v1::ListIndicatorsResponse* response) override;
  grpc::Status CreateIndicator(grpc::ServerContext*,
                               const v1::CreateIndicatorRequest* request,
                               v1::Indicator* response) override;
  grpc::Status GetObservation(grpc::ServerContext*,
                              const v1::GetObservationRequest* request,
                              v1::Observation* response) override;
  grpc::Status ListObservations(
      grpc::ServerContext*, const v1::ListObservationsRequest* request,
      v1::ListObservationsResponse* response) override;
  grpc::Status UpsertObservation(grpc::ServerContext*,
                                 const v1::UpsertObservationRequest* request,
                                 v1::Observation* response) override;
  grpc::ServerReadReactor<grpc::ByteBuffer>* ImportObservations(
      grpc::CallbackServerContext* context,
      grpc::ByteBuffer* response) override;
  grpc::Status ListObservationRevisions(
      grpc::ServerContext*, const v1::ListObservationRevisionsRequest* request,
      v1::ListObservationRevisionsResponse* response) override;
  grpc::Status GetSeries(grpc::ServerContext*,
                         const v1::GetSeriesRequest* request,
                         v1::Series* response) override;
  grpc::Status Aggregate(grpc::ServerContext*,
                         const v1::AggregateRequest* request,
                         v1::AggregateResponse* response) override;
  grpc::Status ComputeChange(grpc::ServerContext*,
                             const v1::ComputeChangeRequest* request,
                             v1::ComputeChangeResponse* response) override;
  grpc::Status ComputeRatio(grpc::ServerContext*,
                            const v1::ComputeRatioRequest* request,
                            v1::ComputeRatioResponse* response) override;
  grpc::Status GetCoverage(grpc::ServerContext*,
                           const v1::GetCoverageRequest* request,
                           v1::GetCoverageResponse* response) override;
  grpc::Status ExportSdmxCsv(
      grpc::ServerContext*, const v1::ExportSdmxCsvRequest* request,
      grpc::ServerWriter<v1::ExportSdmxCsvResponse>* writer) override;
  grpc::Status ImportSdmxCsv(grpc::ServerContext*,
                             const v1::ImportSdmxCsvRequest* request,
                             v1::ImportObservationsResponse* response) override;

 private:
  EnforcementDomain& domain_;
};

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_SERVICE_H_
