#include "services/assistance/assistance_service.h"

#include "services/common/status.h"

namespace palermo::assistance {
#define PALERMO_HANDLER(Class, Method, Request, Response, Call)            \
  grpc::Status Class::Method(grpc::ServerContext*, const Request* request, \
                             Response* response) {                         \
    return Respond(domain_.Call(*request), response);                      \
  }

// A public write: its answer carries the change log's sequence.
#define PALERMO_WRITE_HANDLER(Class, Method, Request, Response)            \
  grpc::Status Class::Method(grpc::ServerContext* context,                 \
                             const Request* request, Response* response) { \
    grpc::Status status = Respond(domain_.Method(*request), response);     \
    if (status.ok()) TellChangeSequence(*context);                         \
    return status;                                                         \
  }

PALERMO_HANDLER(AssistanceServiceImpl, ListMeasureTypes,
                v1::ListMeasureTypesRequest, v1::ListMeasureTypesResponse,
                ListMeasureTypes)
PALERMO_WRITE_HANDLER(AssistanceServiceImpl, CreateMeasureType,
                      v1::CreateMeasureTypeRequest, v1::MeasureType)
PALERMO_HANDLER(AssistanceServiceImpl, GetMeasure, v1::GetMeasureRequest,
                v1::Measure, GetMeasure)
PALERMO_HANDLER(AssistanceServiceImpl, ListMeasures, v1::ListMeasuresRequest,
                v1::ListMeasuresResponse, ListMeasures)
PALERMO_WRITE_HANDLER(AssistanceServiceImpl, CreateMeasure,
                      v1::CreateMeasureRequest, v1::Measure)
PALERMO_WRITE_HANDLER(AssistanceServiceImpl, UpdateMeasure,
                      v1::UpdateMeasureRequest, v1::Measure)
PALERMO_WRITE_HANDLER(AssistanceServiceImpl, DeleteMeasure,
                      v1::DeleteMeasureRequest, google::protobuf::Empty)
PALERMO_HANDLER(AssistanceServiceImpl, CompareEntities,
                v1::CompareEntitiesRequest, v1::CompareEntitiesResponse,
                CompareEntities)
PALERMO_HANDLER(AssistanceServiceImpl, AggregateCases,
                v1::AggregateCasesRequest, v1::AggregateCasesResponse,
                AggregateCases)
PALERMO_HANDLER(CaseRecordServiceImpl, CreateCaseRecord,
                v1::CreateCaseRecordRequest, v1::CaseRecord, CreateCase)
PALERMO_HANDLER(CaseRecordServiceImpl, GetCaseRecord, v1::GetCaseRecordRequest,
                v1::CaseRecord, GetCase)
PALERMO_HANDLER(CaseRecordServiceImpl, ListCaseRecords,
                v1::ListCaseRecordsRequest, v1::ListCaseRecordsResponse,
                ListCases)
PALERMO_HANDLER(CaseRecordServiceImpl, UpdateCaseRecord,
                v1::UpdateCaseRecordRequest, v1::CaseRecord, UpdateCase)
PALERMO_HANDLER(CaseRecordServiceImpl, DeleteCaseRecord,
                v1::DeleteCaseRecordRequest, google::protobuf::Empty,
                DeleteCase)
PALERMO_HANDLER(CaseRecordServiceImpl, CreateCaseRelease,
                v1::CreateCaseReleaseRequest, v1::CaseRelease,
                CreateCaseRelease)

#undef PALERMO_HANDLER
#undef PALERMO_WRITE_HANDLER

}  // namespace palermo::assistance
