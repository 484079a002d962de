// gRPC handlers of the case workers' CaseRecordService
// (case_record_service.h): the case-worker check, then the domain.
#include "services/assistance/case_record_service.h"

#include "services/common/change_feed_service.h"
#include "services/common/status.h"

namespace palermo::assistance {

CaseWorkerCheck RefuseEveryCaller() {
  return [](const grpc::ServerContextBase&) {
    return absl::UnauthenticatedError(
        "case records need a case worker's token");
  };
}

// A read: refused before the domain sees it unless the caller is a case
// worker.
#define PALERMO_CASE_READ(Method, Request, Response, Call)                 \
  grpc::Status CaseRecordServiceImpl::Method(grpc::ServerContext* context, \
                                             const Request* request,       \
                                             Response* response) {         \
    if (absl::Status allowed = check_(*context); !allowed.ok()) {          \
      return ToGrpcStatus(allowed);                                        \
    }                                                                      \
    return Respond(domain_.Call(*request), response);                      \
  }

// A write, likewise; its answer carries the sequence of the change log's
// latest change (RespondToWrite: a case record's write is never in the log).
#define PALERMO_CASE_WRITE(Method, Request, Response, Call)                \
  grpc::Status CaseRecordServiceImpl::Method(grpc::ServerContext* context, \
                                             const Request* request,       \
                                             Response* response) {         \
    if (absl::Status allowed = check_(*context); !allowed.ok()) {          \
      return ToGrpcStatus(allowed);                                        \
    }                                                                      \
    return RespondToCheckedWrite(*context, response,                       \
                                 [&](int64_t* sequence) {                  \
      return domain_.Call(*request, sequence);                             \
    });                                                                    \
  }

PALERMO_CASE_WRITE(CreateCaseRecord, v1::CreateCaseRecordRequest,
                   v1::CaseRecord, CreateCase)
PALERMO_CASE_READ(GetCaseRecord, v1::GetCaseRecordRequest, v1::CaseRecord,
                  GetCase)
PALERMO_CASE_READ(ListCaseRecords, v1::ListCaseRecordsRequest,
                  v1::ListCaseRecordsResponse, ListCases)
PALERMO_CASE_WRITE(UpdateCaseRecord, v1::UpdateCaseRecordRequest,
                   v1::CaseRecord, UpdateCase)
PALERMO_CASE_WRITE(DeleteCaseRecord, v1::DeleteCaseRecordRequest,
                   google::protobuf::Empty, DeleteCase)
PALERMO_CASE_WRITE(CreateCaseRelease, v1::CreateCaseReleaseRequest,
                   v1::CaseRelease, CreateCaseRelease)

#undef PALERMO_CASE_READ
#undef PALERMO_CASE_WRITE

}  // namespace palermo::assistance
