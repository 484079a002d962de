// gRPC handlers of the reporting service (reporting_service.h).
#include "services/reporting/reporting_service.h"

namespace palermo::reporting {

PALERMO_SYNC_STANDARD_HANDLERS(ReportingServiceImpl, Cycle, Cycles)
PALERMO_SYNC_STANDARD_HANDLERS(ReportingServiceImpl, Response, Responses)
PALERMO_SYNC_STANDARD_HANDLERS(ReportingServiceImpl, NarrativeBlock,
                               NarrativeBlocks)
PALERMO_SYNC_HANDLER(ReportingServiceImpl, ListFindings,
                     v1::ListFindingsRequest, v1::ListFindingsResponse)
PALERMO_SYNC_HANDLER(ReportingServiceImpl, GenerateReport,
                     v1::GenerateReportRequest, v1::Report)
PALERMO_SYNC_WRITE_HANDLER(ReportingServiceImpl, CreateReportVersion,
                     v1::CreateReportVersionRequest, v1::ReportVersion)
PALERMO_SYNC_HANDLER(ReportingServiceImpl, GetReportVersion,
                     v1::GetReportVersionRequest, v1::ReportVersion)
PALERMO_SYNC_HANDLER(ReportingServiceImpl, ListReportVersions,
                     v1::ListReportVersionsRequest,
                     v1::ListReportVersionsResponse)

}  // namespace palermo::reporting
