// gRPC glue of the victim assistance service's public AssistanceService (the
// case workers' CaseRecordService is in case_record_service.h).
#ifndef PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_SERVICE_H_
#define PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_SERVICE_H_

#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "services/assistance/assistance_domain.h"
#include "services/common/change_feed_service.h"

namespace palermo::assistance {

#define PALERMO_SYNC_UNARY(Method, Request, Response)                       \
  grpc::Status Method(grpc::ServerContext* context, const Request* request, \
                      Response* response) override;

// Public methods: measures, comparisons, suppressed case counts, and the
// change feed (a callback method, from the store's change log).
class AssistanceServiceImpl final
    : public WithChangeFeed<
          v1::AssistanceService::WithCallbackMethod_WatchChanges<
              v1::AssistanceService::Service>> {
 public:
  AssistanceServiceImpl(AssistanceDomain& domain, ChangeLog& changes)
      : WithChangeFeed(changes), domain_(domain) {}
  PALERMO_SYNC_UNARY(ListMeasureTypes, v1::ListMeasureTypesRequest,
                     v1::ListMeasureTypesResponse)
  PALERMO_SYNC_UNARY(CreateMeasureType, v1::CreateMeasureTypeRequest,
                     v1::MeasureType)
  PALERMO_SYNC_UNARY(GetMeasure, v1::GetMeasureRequest, v1::Measure)
  PALERMO_SYNC_UNARY(ListMeasures, v1::ListMeasuresRequest,
                     v1::ListMeasuresResponse)
  PALERMO_SYNC_UNARY(CreateMeasure, v1::CreateMeasureRequest, v1::Measure)
  PALERMO_SYNC_UNARY(UpdateMeasure, v1::UpdateMeasureRequest, v1::Measure)
  PALERMO_SYNC_UNARY(DeleteMeasure, v1::DeleteMeasureRequest,
                     google::protobuf::Empty)
  PALERMO_SYNC_UNARY(CompareEntities, v1::CompareEntitiesRequest,
                     v1::CompareEntitiesResponse)
  PALERMO_SYNC_UNARY(AggregateCases, v1::AggregateCasesRequest,
                     v1::AggregateCasesResponse)

 private:
  AssistanceDomain& domain_;
};

#undef PALERMO_SYNC_UNARY

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_SERVICE_H_
