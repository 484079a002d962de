// gRPC glue of the reporting service: each handler translates to and from
// ReportingDomain, which decides.
#ifndef PALERMO_SERVICES_REPORTING_REPORTING_SERVICE_H_
#define PALERMO_SERVICES_REPORTING_REPORTING_SERVICE_H_

#include "palermo/reporting/v1/reporting.grpc.pb.h"
#include "services/common/change_feed_service.h"
#include "services/common/sync_handlers.h"
#include "services/reporting/reporting_domain.h"

namespace palermo::reporting {

// WatchChanges is a callback method, served from the store's change log.
class ReportingServiceImpl final
    : public WithChangeFeed<
          v1::ReportingService::WithCallbackMethod_WatchChanges<
              v1::ReportingService::Service>> {
 public:
  ReportingServiceImpl(ReportingDomain& domain, ChangeLog& changes)
      : WithChangeFeed(changes), domain_(domain) {}
  PALERMO_SYNC_STANDARD(Cycle, Cycles)
  PALERMO_SYNC_STANDARD(Response, Responses)
  PALERMO_SYNC_STANDARD(NarrativeBlock, NarrativeBlocks)
  PALERMO_SYNC_UNARY(ListFindings, v1::ListFindingsRequest,
                     v1::ListFindingsResponse)
  PALERMO_SYNC_UNARY(GenerateReport, v1::GenerateReportRequest, v1::Report)
  PALERMO_SYNC_UNARY(CreateReportVersion, v1::CreateReportVersionRequest,
                     v1::ReportVersion)
  PALERMO_SYNC_UNARY(GetReportVersion, v1::GetReportVersionRequest,
                     v1::ReportVersion)
  PALERMO_SYNC_UNARY(ListReportVersions, v1::ListReportVersionsRequest,
                     v1::ListReportVersionsResponse)

 private:
  ReportingDomain& domain_;
};

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_REPORTING_SERVICE_H_
