// The gateway's services: GatewayService (composed views) and the public
// methods of every domain service, forwarded to their backends.
#ifndef PALERMO_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define PALERMO_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

#include <memory>

#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "services/assistance/client/assistance_client.h"
#include "services/common/entities.h"
#include "services/coordination/client/coordination_client.h"
#include "services/enforcement/client/enforcement_client.h"
#include "services/gateway/admission.h"
#include "services/gateway/forward.h"
#include "services/legislation/client/legislation_client.h"
#include "services/reporting/client/reporting_client.h"

namespace palermo::gateway {

// The backends, through their client libraries.
struct Backends {
  std::shared_ptr<legislation::LegislationClient> legislation;
  std::shared_ptr<enforcement::EnforcementClient> enforcement;
  std::shared_ptr<assistance::AssistanceClient> assistance;
  std::shared_ptr<coordination::CoordinationClient> coordination;
  std::shared_ptr<reporting::ReportingClient> reporting;
};

class GatewayServiceImpl final : public v1::GatewayService::CallbackService {
 public:
  GatewayServiceImpl(const EntityRegistry& entities, Backends backends,
                     Admission& admission)
      : entities_(entities),
        backends_(std::move(backends)),
        admission_(admission) {}

  grpc::ServerUnaryReactor* GetCountryProfile(
      grpc::CallbackServerContext* context,
      const v1::GetCountryProfileRequest* request,
      v1::CountryProfile* response) override;

 private:
  const EntityRegistry& entities_;
  Backends backends_;
  Admission& admission_;
};

#define PALERMO_FORWARDED_UNARY(Method, Request, Response)                     \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,       \
                                   const Request* request, Response* response) \
      override;

// WatchChanges, forwarded by the member watches_; EndWatches() for
// HostedService::on_shutdown.
#define PALERMO_FORWARDED_WATCH                                             \
  grpc::ServerWriteReactor<common::v1::WatchChangesResponse>* WatchChanges( \
      grpc::CallbackServerContext* context,                                 \
      const common::v1::WatchChangesRequest* request) override {            \
    return watches_.Forward(context, request);                              \
  }                                                                         \
  std::function<void()> EndWatches() { return watches_.EndWatches(); }

// palermo.legislation.v1.LegislationService on the gateway.
class LegislationForwarder final
    : public legislation::v1::LegislationService::CallbackService {
 public:
  // The backend service this forwards.
  using Api = legislation::v1::LegislationService;

  LegislationForwarder(std::shared_ptr<legislation::LegislationClient> backend,
                       std::shared_ptr<grpc::Channel> watch_channel, Admission& admission)
      : backend_(std::move(backend)),
        admission_(admission),
        watches_(std::move(watch_channel), admission) {}

  PALERMO_FORWARDED_WATCH

  PALERMO_FORWARDED_UNARY(GetLegislation,
                          legislation::v1::GetLegislationRequest,
                          legislation::v1::Legislation)
  PALERMO_FORWARDED_UNARY(ListLegislations,
                          legislation::v1::ListLegislationsRequest,
                          legislation::v1::ListLegislationsResponse)
  PALERMO_FORWARDED_UNARY(CreateLegislation,
                          legislation::v1::CreateLegislationRequest,
                          legislation::v1::Legislation)
  PALERMO_FORWARDED_UNARY(UpdateLegislation,
                          legislation::v1::UpdateLegislationRequest,
                          legislation::v1::Legislation)
  PALERMO_FORWARDED_UNARY(DeleteLegislation,
                          legislation::v1::DeleteLegislationRequest,
                          google::protobuf::Empty)
  PALERMO_FORWARDED_UNARY(ListLegislationRevisions,
                          legislation::v1::ListLegislationRevisionsRequest,
                          legislation::v1::ListLegislationRevisionsResponse)

 private:
  std::shared_ptr<legislation::LegislationClient> backend_;
  Admission& admission_;
  WatchForwarding<legislation::v1::LegislationService> watches_;
};

// palermo.enforcement.v1.EnforcementService on the gateway. Its client
// stream is read as bytes, so that every message is parsed by
// ClientStreamForwarder (forward.h).
class EnforcementForwarder final
    : public enforcement::v1::EnforcementService::
          WithRawCallbackMethod_ImportObservations<
              enforcement::v1::EnforcementService::CallbackService> {
 public:
  // The backend service this forwards.
  using Api = enforcement::v1::EnforcementService;

  EnforcementForwarder(std::shared_ptr<enforcement::EnforcementClient> backend,
                       std::shared_ptr<grpc::Channel> watch_channel, Admission& admission)
      : backend_(std::move(backend)),
        admission_(admission),
        watches_(std::move(watch_channel), admission) {}

  PALERMO_FORWARDED_WATCH

  PALERMO_FORWARDED_UNARY(ListIndicators,
                          enforcement::v1::ListIndicatorsRequest,
                          enforcement::v1::ListIndicatorsResponse)
  PALERMO_FORWARDED_UNARY(CreateIndicator,
                          enforcement::v1::CreateIndicatorRequest,
                          enforcement::v1::Indicator)
  PALERMO_FORWARDED_UNARY(GetObservation,
                          enforcement::v1::GetObservationRequest,
                          enforcement::v1::Observation)
  PALERMO_FORWARDED_UNARY(ListObservations,
                          enforcement::v1::ListObservationsRequest,
                          enforcement::v1::ListObservationsResponse)
  PALERMO_FORWARDED_UNARY(UpsertObservation,
                          enforcement::v1::UpsertObservationRequest,
                          enforcement::v1::Observation)
  PALERMO_FORWARDED_UNARY(ListObservationRevisions,
                          enforcement::v1::ListObservationRevisionsRequest,
                          enforcement::v1::ListObservationRevisionsResponse)
  PALERMO_FORWARDED_UNARY(GetSeries, enforcement::v1::GetSeriesRequest,
                          enforcement::v1::Series)
  PALERMO_FORWARDED_UNARY(Aggregate, enforcement::v1::AggregateRequest,
                          enforcement::v1::AggregateResponse)
  PALERMO_FORWARDED_UNARY(ComputeChange, enforcement::v1::ComputeChangeRequest,
                          enforcement::v1::ComputeChangeResponse)
  PALERMO_FORWARDED_UNARY(ComputeRatio, enforcement::v1::ComputeRatioRequest,
                          enforcement::v1::ComputeRatioResponse)
  PALERMO_FORWARDED_UNARY(GetCoverage, enforcement::v1::GetCoverageRequest,
                          enforcement::v1::GetCoverageResponse)
  PALERMO_FORWARDED_UNARY(ImportSdmxCsv, enforcement::v1::ImportSdmxCsvRequest,
                          enforcement::v1::ImportObservationsResponse)

  grpc::ServerReadReactor<grpc::ByteBuffer>* ImportObservations(
      grpc::CallbackServerContext* context,
      grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<enforcement::v1::ExportSdmxCsvResponse>*
  ExportSdmxCsv(grpc::CallbackServerContext* context,
                const enforcement::v1::ExportSdmxCsvRequest* request) override;

 private:
  std::shared_ptr<enforcement::EnforcementClient> backend_;
  Admission& admission_;
  WatchForwarding<enforcement::v1::EnforcementService> watches_;
};

// palermo.assistance.v1.AssistanceService on the gateway. The case workers'
// CaseRecordService is deliberately not forwarded: individual records never
// leave the assistance service through the public entry point.
class AssistanceForwarder final
    : public assistance::v1::AssistanceService::CallbackService {
 public:
  // The backend service this forwards.
  using Api = assistance::v1::AssistanceService;

  AssistanceForwarder(std::shared_ptr<assistance::AssistanceClient> backend,
                      std::shared_ptr<grpc::Channel> watch_channel, Admission& admission)
      : backend_(std::move(backend)),
        admission_(admission),
        watches_(std::move(watch_channel), admission) {}

  PALERMO_FORWARDED_WATCH

  PALERMO_FORWARDED_UNARY(ListMeasureTypes,
                          assistance::v1::ListMeasureTypesRequest,
                          assistance::v1::ListMeasureTypesResponse)
  PALERMO_FORWARDED_UNARY(CreateMeasureType,
                          assistance::v1::CreateMeasureTypeRequest,
                          assistance::v1::MeasureType)
  PALERMO_FORWARDED_UNARY(GetMeasure, assistance::v1::GetMeasureRequest,
                          assistance::v1::Measure)
  PALERMO_FORWARDED_UNARY(ListMeasures, assistance::v1::ListMeasuresRequest,
                          assistance::v1::ListMeasuresResponse)
  PALERMO_FORWARDED_UNARY(CreateMeasure, assistance::v1::CreateMeasureRequest,
                          assistance::v1::Measure)
  PALERMO_FORWARDED_UNARY(UpdateMeasure, assistance::v1::UpdateMeasureRequest,
                          assistance::v1::Measure)
  PALERMO_FORWARDED_UNARY(DeleteMeasure, assistance::v1::DeleteMeasureRequest,
                          google::protobuf::Empty)
  PALERMO_FORWARDED_UNARY(CompareEntities,
                          assistance::v1::CompareEntitiesRequest,
                          assistance::v1::CompareEntitiesResponse)
  PALERMO_FORWARDED_UNARY(AggregateCases, assistance::v1::AggregateCasesRequest,
                          assistance::v1::AggregateCasesResponse)

 private:
  std::shared_ptr<assistance::AssistanceClient> backend_;
  Admission& admission_;
  WatchForwarding<assistance::v1::AssistanceService> watches_;
};

#define PALERMO_FORWARDED_STANDARD(T, Ts)                                  \
  PALERMO_FORWARDED_UNARY(Get##T, coordination::v1::Get##T##Request,       \
                          coordination::v1::T)                             \
  PALERMO_FORWARDED_UNARY(List##Ts, coordination::v1::List##Ts##Request,   \
                          coordination::v1::List##Ts##Response)            \
  PALERMO_FORWARDED_UNARY(Create##T, coordination::v1::Create##T##Request, \
                          coordination::v1::T)                             \
  PALERMO_FORWARDED_UNARY(Update##T, coordination::v1::Update##T##Request, \
                          coordination::v1::T)                             \
  PALERMO_FORWARDED_UNARY(Delete##T, coordination::v1::Delete##T##Request, \
                          google::protobuf::Empty)

// palermo.coordination.v1.CoordinationService on the gateway.
class CoordinationForwarder final
    : public coordination::v1::CoordinationService::CallbackService {
 public:
  // The backend service this forwards.
  using Api = coordination::v1::CoordinationService;

  CoordinationForwarder(
      std::shared_ptr<coordination::CoordinationClient> backend,
      std::shared_ptr<grpc::Channel> watch_channel, Admission& admission)
      : backend_(std::move(backend)),
        admission_(admission),
        watches_(std::move(watch_channel), admission) {}

  PALERMO_FORWARDED_WATCH

  PALERMO_FORWARDED_STANDARD(CoordinationBody, CoordinationBodies)
  PALERMO_FORWARDED_STANDARD(ActionPlan, ActionPlans)
  PALERMO_FORWARDED_STANDARD(ReferralMechanism, ReferralMechanisms)
  PALERMO_FORWARDED_STANDARD(TrainingActivity, TrainingActivities)
  PALERMO_FORWARDED_STANDARD(AwarenessCampaign, AwarenessCampaigns)
  PALERMO_FORWARDED_STANDARD(CooperationActivity, CooperationActivities)
  PALERMO_FORWARDED_STANDARD(InterAgencyGroup, InterAgencyGroups)
  PALERMO_FORWARDED_UNARY(FindEntities, coordination::v1::FindEntitiesRequest,
                          coordination::v1::FindEntitiesResponse)
  PALERMO_FORWARDED_UNARY(ListCooperationPartners,
                          coordination::v1::ListCooperationPartnersRequest,
                          coordination::v1::ListCooperationPartnersResponse)
  PALERMO_FORWARDED_UNARY(SummarizeTraining,
                          coordination::v1::SummarizeTrainingRequest,
                          coordination::v1::SummarizeTrainingResponse)
  PALERMO_FORWARDED_UNARY(GetEntityCoordination,
                          coordination::v1::GetEntityCoordinationRequest,
                          coordination::v1::EntityCoordination)

 private:
  std::shared_ptr<coordination::CoordinationClient> backend_;
  Admission& admission_;
  WatchForwarding<coordination::v1::CoordinationService> watches_;
};

// palermo.reporting.v1.ReportingService on the gateway.
class ReportingForwarder final
    : public reporting::v1::ReportingService::CallbackService {
 public:
  // The backend service this forwards.
  using Api = reporting::v1::ReportingService;

  ReportingForwarder(std::shared_ptr<reporting::ReportingClient> backend,
                     std::shared_ptr<grpc::Channel> watch_channel, Admission& admission)
      : backend_(std::move(backend)),
        admission_(admission),
        watches_(std::move(watch_channel), admission) {}

  PALERMO_FORWARDED_WATCH

#define PALERMO_FORWARDED_REPORTING(Method, Response)             \
  PALERMO_FORWARDED_UNARY(Method, reporting::v1::Method##Request, \
                          reporting::v1::Response)
  PALERMO_FORWARDED_REPORTING(GetCycle, Cycle)
  PALERMO_FORWARDED_REPORTING(ListCycles, ListCyclesResponse)
  PALERMO_FORWARDED_REPORTING(CreateCycle, Cycle)
  PALERMO_FORWARDED_REPORTING(UpdateCycle, Cycle)
  PALERMO_FORWARDED_UNARY(DeleteCycle, reporting::v1::DeleteCycleRequest,
                          google::protobuf::Empty)
  PALERMO_FORWARDED_REPORTING(GetResponse, Response)
  PALERMO_FORWARDED_REPORTING(ListResponses, ListResponsesResponse)
  PALERMO_FORWARDED_REPORTING(CreateResponse, Response)
  PALERMO_FORWARDED_REPORTING(UpdateResponse, Response)
  PALERMO_FORWARDED_UNARY(DeleteResponse, reporting::v1::DeleteResponseRequest,
                          google::protobuf::Empty)
  PALERMO_FORWARDED_REPORTING(GetNarrativeBlock, NarrativeBlock)
  PALERMO_FORWARDED_REPORTING(ListNarrativeBlocks, ListNarrativeBlocksResponse)
  PALERMO_FORWARDED_REPORTING(CreateNarrativeBlock, NarrativeBlock)
  PALERMO_FORWARDED_REPORTING(UpdateNarrativeBlock, NarrativeBlock)
  PALERMO_FORWARDED_UNARY(DeleteNarrativeBlock,
                          reporting::v1::DeleteNarrativeBlockRequest,
                          google::protobuf::Empty)
  PALERMO_FORWARDED_REPORTING(ListFindings, ListFindingsResponse)
  PALERMO_FORWARDED_UNARY(GenerateReport, reporting::v1::GenerateReportRequest,
                          reporting::v1::Report)
  PALERMO_FORWARDED_REPORTING(CreateReportVersion, ReportVersion)
  PALERMO_FORWARDED_REPORTING(GetReportVersion, ReportVersion)
  PALERMO_FORWARDED_REPORTING(ListReportVersions, ListReportVersionsResponse)
#undef PALERMO_FORWARDED_REPORTING

 private:
  std::shared_ptr<reporting::ReportingClient> backend_;
  Admission& admission_;
  WatchForwarding<reporting::v1::ReportingService> watches_;
};

#undef PALERMO_FORWARDED_STANDARD
#undef PALERMO_FORWARDED_UNARY
#undef PALERMO_FORWARDED_WATCH

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
