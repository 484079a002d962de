// gRPC handlers of the victim assistance service (assistance_service.h).
#include "services/assistance/assistance_service.h"

#include "services/common/status.h"

namespace palermo::assistance {
#define PALERMO_HANDLER(Class, Method, Request, Response, Call)            \
  grpc::Status Class::Method(grpc::ServerContext*, const Request* request, \
                             Response* response) {                         \
    return Respond(domain_.Call(*request), response);                      \
  }

// A write: its answer carries the sequence of its change (RespondToWrite).
#define PALERMO_WRITE_HANDLER(Class, Method, Request, Response, Call)      \
  grpc::Status Class::Method(grpc::ServerContext* context,                 \
                             const Request* request, Response* response) { \
    return RespondToWrite(*context, response, [&](int64_t* sequence) {     \
      return domain_.Call(*request, sequence);                             \
    });                                                                    \
  }

PALERMO_HANDLER(AssistanceServiceImpl, ListMeasureTypes,
                v1::ListMeasureTypesRequest, v1::ListMeasureTypesResponse,
                ListMeasureTypes)
PALERMO_WRITE_HANDLER(AssistanceServiceImpl, CreateMeasureType,
                      v1::CreateMeasureTypeRequest, v1::MeasureType,
                      CreateMeasureType)
PALERMO_HANDLER(AssistanceServiceImpl, GetMeasure, v1::GetMeasureRequest,
                v1::Measure, GetMeasure)
PALERMO_HANDLER(AssistanceServiceImpl, ListMeasures, v1::ListMeasuresRequest,
                v1::ListMeasuresResponse, ListMeasures)
PALERMO_WRITE_HANDLER(AssistanceServiceImpl, CreateMeasure,
                      v1::CreateMeasureRequest, v1::Measure, CreateMeasure)
PALERMO_WRITE_HANDLER(AssistanceServiceImpl, UpdateMeasure,
                      v1::UpdateMeasureRequest, v1::Measure, UpdateMeasure)
PALERMO_WRITE_HANDLER(AssistanceServiceImpl, DeleteMeasure,
                      v1::DeleteMeasureRequest, google::protobuf::Empty,
                      DeleteMeasure)
PALERMO_HANDLER(AssistanceServiceImpl, CompareEntities,
                v1::CompareEntitiesRequest, v1::CompareEntitiesResponse,
                CompareEntities)
PALERMO_HANDLER(AssistanceServiceImpl, AggregateCases,
                v1::AggregateCasesRequest, v1::AggregateCasesResponse,
                AggregateCases)

#undef PALERMO_HANDLER
#undef PALERMO_WRITE_HANDLER

}  // namespace palermo::assistance
