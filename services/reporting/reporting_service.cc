// gRPC handlers of the reporting service (reporting_service.h).
#include "services/reporting/reporting_service.h"

#include "services/common/status.h"

namespace palermo::reporting {

#define PALERMO_HANDLER(Method, Request, Response)                        \
  grpc::Status ReportingServiceImpl::Method(                              \
      grpc::ServerContext*, const Request* request, Response* response) { \
    return Respond(domain_.Method(*request), response);                   \
  }
#define PALERMO_STANDARD_HANDLERS(T, Ts)                                   \
  PALERMO_HANDLER(Get##T, v1::Get##T##Request, v1::T)                      \
  PALERMO_HANDLER(List##Ts, v1::List##Ts##Request, v1::List##Ts##Response) \
  PALERMO_HANDLER(Create##T, v1::Create##T##Request, v1::T)                \
  PALERMO_HANDLER(Update##T, v1::Update##T##Request, v1::T)                \
  PALERMO_HANDLER(Delete##T, v1::Delete##T##Request, google::protobuf::Empty)

PALERMO_STANDARD_HANDLERS(Cycle, Cycles)
PALERMO_STANDARD_HANDLERS(Response, Responses)
PALERMO_STANDARD_HANDLERS(NarrativeBlock, NarrativeBlocks)
PALERMO_HANDLER(ListFindings, v1::ListFindingsRequest, v1::ListFindingsResponse)
PALERMO_HANDLER(GenerateReport, v1::GenerateReportRequest, v1::Report)
PALERMO_HANDLER(CreateReportVersion, v1::CreateReportVersionRequest,
                v1::ReportVersion)
PALERMO_HANDLER(GetReportVersion, v1::GetReportVersionRequest,
                v1::ReportVersion)
PALERMO_HANDLER(ListReportVersions, v1::ListReportVersionsRequest,
                v1::ListReportVersionsResponse)

#undef PALERMO_STANDARD_HANDLERS
#undef PALERMO_HANDLER

}  // namespace palermo::reporting
