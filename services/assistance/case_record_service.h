// gRPC glue of the case workers' CaseRecordService
// (protos/palermo/assistance/v1/case_records.proto): individual victim case
// records and the releases of their counts. Served on the assistance
// service's own case-records listener, never on the public port; every call
// passes an injected case-worker check first, and a refused call reaches no
// handler, so it writes nothing.
#ifndef PALERMO_SERVICES_ASSISTANCE_CASE_RECORD_SERVICE_H_
#define PALERMO_SERVICES_ASSISTANCE_CASE_RECORD_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <functional>

#include "absl/status/status.h"
#include "palermo/assistance/v1/case_records.grpc.pb.h"
#include "services/assistance/assistance_domain.h"

namespace palermo::assistance {

// Whether the caller of a call is a case worker: OK, or the status to refuse
// the call with (UNAUTHENTICATED, PERMISSION_DENIED). Called on every call,
// from gRPC's threads.
using CaseWorkerCheck =
    std::function<absl::Status(const grpc::ServerContextBase&)>;

// A check that refuses every call: UNAUTHENTICATED.
CaseWorkerCheck RefuseEveryCaller();

class CaseRecordServiceImpl final : public v1::CaseRecordService::Service {
 public:
  // `check` decides every call before the domain sees it.
  CaseRecordServiceImpl(AssistanceDomain& domain, CaseWorkerCheck check)
      : domain_(domain), check_(std::move(check)) {}

#define PALERMO_CASE_UNARY(Method, Request, Response)                       \
  grpc::Status Method(grpc::ServerContext* context, const Request* request, \
                      Response* response) override;
  PALERMO_CASE_UNARY(CreateCaseRecord, v1::CreateCaseRecordRequest,
                     v1::CaseRecord)
  PALERMO_CASE_UNARY(GetCaseRecord, v1::GetCaseRecordRequest, v1::CaseRecord)
  PALERMO_CASE_UNARY(ListCaseRecords, v1::ListCaseRecordsRequest,
                     v1::ListCaseRecordsResponse)
  PALERMO_CASE_UNARY(UpdateCaseRecord, v1::UpdateCaseRecordRequest,
                     v1::CaseRecord)
  PALERMO_CASE_UNARY(DeleteCaseRecord, v1::DeleteCaseRecordRequest,
                     google::protobuf::Empty)
  PALERMO_CASE_UNARY(CreateCaseRelease, v1::CreateCaseReleaseRequest,
                     v1::CaseRelease)
#undef PALERMO_CASE_UNARY

 private:
  AssistanceDomain& domain_;
  const CaseWorkerCheck check_;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_CASE_RECORD_SERVICE_H_
