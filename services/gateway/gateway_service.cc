#include "services/gateway/gateway_service.h"

#include <spdlog/spdlog.h>

#include <mutex>

#include "absl/strings/str_cat.h"
#include "services/common/limits.h"
#include "services/common/overload.h"
#include "services/common/status.h"
#include "services/gateway/forward.h"
#include "services/gateway/profile.h"

namespace palermo::gateway {

namespace lv1 = legislation::v1;
namespace ev1 = enforcement::v1;

namespace {

// One profile request: the sections are fetched concurrently and composed
// when the last one arrives.
class ProfileCall : public std::enable_shared_from_this<ProfileCall> {
 public:
  ProfileCall(grpc::CallbackServerContext* context,
              grpc::ServerUnaryReactor* reactor, v1::CountryProfile* response,
              common::v1::ReportingEntity entity, const Backends& backends)
      : context_(context),
        reactor_(reactor),
        response_(response),
        entity_(std::move(entity)),
        backends_(backends) {}

  void Start() {
    auto self = shared_from_this();
    legislation_context_ = OutgoingContext(context_);
    legislation_request_.set_name(legislation::LegislationName(entity_.name()));
    backends_.legislation->stub().async()->GetLegislation(
        legislation_context_.get(), &legislation_request_, &legislation_,
        [self](grpc::Status status) {
          self->parts_.legislation =
              status.ok() ? absl::StatusOr<lv1::Legislation>(self->legislation_)
                          : FromGrpcStatus(status);
          self->SectionDone();
        });
    observations_request_.set_parent(entity_.name());
    observations_request_.set_page_size(500);
    parts_.observations = std::vector<ev1::Observation>();
    FetchAll(
        v1::PROFILE_SECTION_ENFORCEMENT, &observations_context_,
        &observations_request_, &observations_page_, &parts_.observations,
        [this](auto* c, auto* request, auto* page, auto done) {
          backends_.enforcement->stub().async()->ListObservations(c, request, page,
                                                           std::move(done));
        },
        [](ev1::ListObservationsResponse* page) {
          return page->mutable_observations();
        });
    measures_request_.set_parent(entity_.name());
    measures_request_.set_page_size(500);
    parts_.measures = std::vector<assistance::v1::Measure>();
    FetchAll(
        v1::PROFILE_SECTION_ASSISTANCE, &measures_context_, &measures_request_,
        &measures_page_, &parts_.measures,
        [this](auto* c, auto* request, auto* page, auto done) {
          backends_.assistance->stub().async()->ListMeasures(c, request, page,
                                                      std::move(done));
        },
        [](assistance::v1::ListMeasuresResponse* page) {
          return page->mutable_measures();
        });
    responses_request_.set_parent(reporting::kEveryCycle);
    responses_request_.set_filter(
        reporting::ResponsesOfEntityFilter(entity_.name()));
    responses_request_.set_page_size(500);
    parts_.responses = std::vector<reporting::v1::Response>();
    FetchAll(
        v1::PROFILE_SECTION_RESPONSES, &responses_context_, &responses_request_,
        &responses_page_, &parts_.responses,
        [this](auto* c, auto* request, auto* page, auto done) {
          backends_.reporting->stub().async()->ListResponses(c, request, page,
                                                             std::move(done));
        },
        [](reporting::v1::ListResponsesResponse* page) {
          return page->mutable_responses();
        });
    coordination_context_ = OutgoingContext(context_);
    coordination_request_.set_entity(entity_.name());
    backends_.coordination->stub().async()->GetEntityCoordination(
        coordination_context_.get(), &coordination_request_, &coordination_,
        [self](grpc::Status status) {
          self->parts_.coordination =
              status.ok()
                  ? absl::StatusOr<coordination::v1::EntityCoordination>(
                        std::move(self->coordination_))
                  : FromGrpcStatus(status);
          self->SectionDone();
        });
  }

 private:
  // Pages through one of a backend's List methods, collecting every item
  // into `out`, then reports the section done. `call` issues one page's
  // request; `items` names the page's repeated field. Stops, with
  // RESOURCE_EXHAUSTED, once the items pass what a whole profile may hold
  // (`bytes` counts them), so a huge section never sits in memory whole.
  template <typename Request, typename Response, typename Item, typename Call,
            typename Items>
  void FetchAll(v1::ProfileSection section,
                std::unique_ptr<grpc::ClientContext>* outgoing,
                Request* request, Response* page,
                absl::StatusOr<std::vector<Item>>* out, Call call, Items items,
                size_t bytes = 0) {
    auto self = shared_from_this();
    *outgoing = OutgoingContext(context_);
    call(outgoing->get(), request, page,
         [self, section, outgoing, request, page, out, call, items,
          bytes](grpc::Status status) mutable {
           if (!status.ok()) {
             *out = FromGrpcStatus(status);
             self->SectionDone();
             return;
           }
           for (auto& item : *items(page)) {
             bytes += item.ByteSizeLong();
             (*out)->push_back(std::move(item));
           }
           if (bytes > kMaxResponseBytes) {
             *out = SectionTooLarge(section, self->entity_.name(),
                                    "the section is left out");
             self->SectionDone();
             return;
           }
           if (page->next_page_token().empty()) {
             self->SectionDone();
             return;
           }
           request->set_page_token(page->next_page_token());
           self->FetchAll(section, outgoing, request, page, out, call, items,
                          bytes);
         });
  }

  void SectionDone() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (++done_ < kSections) return;
    }
    *response_ = ComposeProfile(entity_, parts_);
    for (const auto& omitted : response_->omitted_sections()) {
      // Debug, not warn: while a backend is down every profile omits it, and
      // the backend's own failure is logged where it happens.
      spdlog::debug("profile of {}: {} omitted (code {}): {}", entity_.name(),
                    v1::ProfileSection_Name(omitted.section()), omitted.code(),
                    omitted.message());
    }
    reactor_->Finish(grpc::Status::OK);
  }

  static constexpr int kSections = 5;
  grpc::CallbackServerContext* context_;
  grpc::ServerUnaryReactor* reactor_;
  v1::CountryProfile* response_;
  common::v1::ReportingEntity entity_;
  Backends backends_;
  std::mutex mu_;
  int done_ = 0;
  ProfileParts parts_;
  std::unique_ptr<grpc::ClientContext> legislation_context_;
  lv1::GetLegislationRequest legislation_request_;
  lv1::Legislation legislation_;
  std::unique_ptr<grpc::ClientContext> observations_context_;
  ev1::ListObservationsRequest observations_request_;
  ev1::ListObservationsResponse observations_page_;
  std::unique_ptr<grpc::ClientContext> measures_context_;
  assistance::v1::ListMeasuresRequest measures_request_;
  assistance::v1::ListMeasuresResponse measures_page_;
  std::unique_ptr<grpc::ClientContext> responses_context_;
  reporting::v1::ListResponsesRequest responses_request_;
  reporting::v1::ListResponsesResponse responses_page_;
  std::unique_ptr<grpc::ClientContext> coordination_context_;
  coordination::v1::GetEntityCoordinationRequest coordination_request_;
  coordination::v1::EntityCoordination coordination_;
};

}  // namespace

grpc::ServerUnaryReactor* GatewayServiceImpl::GetCountryProfile(
    grpc::CallbackServerContext* context,
    const v1::GetCountryProfileRequest* request, v1::CountryProfile* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (WasShed(*context)) {  // already answered: no backend call
    reactor->Finish(grpc::Status::CANCELLED);
    return reactor;
  }
  static const std::string kMethod = absl::StrCat(
      "/", v1::GatewayService::service_full_name(), "/GetCountryProfile");
  if (absl::StatusOr<Principal> who =
          admission_.Admit(*context, kMethod, request);
      !who.ok()) {
    reactor->Finish(ToGrpcStatus(who.status()));
    return reactor;
  }
  absl::StatusOr<common::v1::ReportingEntity> entity =
      entities_.Resolve(request->name(), "name");
  if (!entity.ok()) {
    reactor->Finish(ToGrpcStatus(entity.status()));
    return reactor;
  }
  std::make_shared<ProfileCall>(context, reactor, response, *std::move(entity),
                                backends_)
      ->Start();
  return reactor;
}

// Each forwarded method names its backend method once.
#define PALERMO_FORWARD(Class, Method, Request, Response)                \
  grpc::ServerUnaryReactor* Class::Method(                               \
      grpc::CallbackServerContext* context, const Request* request,      \
      Response* response) {                                              \
    static const std::string kMethod =                                   \
        absl::StrCat("/", Class::Api::service_full_name(), "/" #Method);  \
    return Forward(admission_, kMethod, context, request, response,      \
                   [this](auto* ctx, auto* req, auto* resp, auto done) { \
                     backend_->stub().async()->Method(                   \
                         ctx, req, resp, std::move(done));               \
                   });                                                   \
  }

PALERMO_FORWARD(LegislationForwarder, GetLegislation,
                lv1::GetLegislationRequest, lv1::Legislation)
PALERMO_FORWARD(LegislationForwarder, ListLegislations,
                lv1::ListLegislationsRequest, lv1::ListLegislationsResponse)
PALERMO_FORWARD(LegislationForwarder, CreateLegislation,
                lv1::CreateLegislationRequest, lv1::Legislation)
PALERMO_FORWARD(LegislationForwarder, UpdateLegislation,
                lv1::UpdateLegislationRequest, lv1::Legislation)
PALERMO_FORWARD(LegislationForwarder, DeleteLegislation,
                lv1::DeleteLegislationRequest, google::protobuf::Empty)
PALERMO_FORWARD(LegislationForwarder, ListLegislationRevisions,
                lv1::ListLegislationRevisionsRequest,
                lv1::ListLegislationRevisionsResponse)

PALERMO_FORWARD(EnforcementForwarder, ListIndicators,
                ev1::ListIndicatorsRequest, ev1::ListIndicatorsResponse)
PALERMO_FORWARD(EnforcementForwarder, CreateIndicator,
                ev1::CreateIndicatorRequest, ev1::Indicator)
PALERMO_FORWARD(EnforcementForwarder, GetObservation,
                ev1::GetObservationRequest, ev1::Observation)
PALERMO_FORWARD(EnforcementForwarder, ListObservations,
                ev1::ListObservationsRequest, ev1::ListObservationsResponse)
PALERMO_FORWARD(EnforcementForwarder, UpsertObservation,
                ev1::UpsertObservationRequest, ev1::Observation)
PALERMO_FORWARD(EnforcementForwarder, ListObservationRevisions,
                ev1::ListObservationRevisionsRequest,
                ev1::ListObservationRevisionsResponse)
PALERMO_FORWARD(EnforcementForwarder, GetSeries, ev1::GetSeriesRequest,
                ev1::Series)
PALERMO_FORWARD(EnforcementForwarder, Aggregate, ev1::AggregateRequest,
                ev1::AggregateResponse)
PALERMO_FORWARD(EnforcementForwarder, ComputeChange, ev1::ComputeChangeRequest,
                ev1::ComputeChangeResponse)
PALERMO_FORWARD(EnforcementForwarder, ComputeRatio, ev1::ComputeRatioRequest,
                ev1::ComputeRatioResponse)
PALERMO_FORWARD(EnforcementForwarder, GetCoverage, ev1::GetCoverageRequest,
                ev1::GetCoverageResponse)
PALERMO_FORWARD(EnforcementForwarder, ImportSdmxCsv, ev1::ImportSdmxCsvRequest,
                ev1::ImportObservationsResponse)

namespace av1 = assistance::v1;
PALERMO_FORWARD(AssistanceForwarder, ListMeasureTypes,
                av1::ListMeasureTypesRequest, av1::ListMeasureTypesResponse)
PALERMO_FORWARD(AssistanceForwarder, CreateMeasureType,
                av1::CreateMeasureTypeRequest, av1::MeasureType)
PALERMO_FORWARD(AssistanceForwarder, GetMeasure, av1::GetMeasureRequest,
                av1::Measure)
PALERMO_FORWARD(AssistanceForwarder, ListMeasures, av1::ListMeasuresRequest,
                av1::ListMeasuresResponse)
PALERMO_FORWARD(AssistanceForwarder, CreateMeasure, av1::CreateMeasureRequest,
                av1::Measure)
PALERMO_FORWARD(AssistanceForwarder, UpdateMeasure, av1::UpdateMeasureRequest,
                av1::Measure)
PALERMO_FORWARD(AssistanceForwarder, DeleteMeasure, av1::DeleteMeasureRequest,
                google::protobuf::Empty)
PALERMO_FORWARD(AssistanceForwarder, CompareEntities,
                av1::CompareEntitiesRequest, av1::CompareEntitiesResponse)
PALERMO_FORWARD(AssistanceForwarder, AggregateCases, av1::AggregateCasesRequest,
                av1::AggregateCasesResponse)

namespace cv1 = coordination::v1;
#define PALERMO_FORWARD_STANDARD(T, Ts)                                        \
  PALERMO_FORWARD(CoordinationForwarder, Get##T, cv1::Get##T##Request, cv1::T) \
  PALERMO_FORWARD(CoordinationForwarder, List##Ts, cv1::List##Ts##Request,     \
                  cv1::List##Ts##Response)                                     \
  PALERMO_FORWARD(CoordinationForwarder, Create##T, cv1::Create##T##Request,   \
                  cv1::T)                                                      \
  PALERMO_FORWARD(CoordinationForwarder, Update##T, cv1::Update##T##Request,   \
                  cv1::T)                                                      \
  PALERMO_FORWARD(CoordinationForwarder, Delete##T, cv1::Delete##T##Request,   \
                  google::protobuf::Empty)
PALERMO_FORWARD_STANDARD(CoordinationBody, CoordinationBodies)
PALERMO_FORWARD_STANDARD(ActionPlan, ActionPlans)
PALERMO_FORWARD_STANDARD(ReferralMechanism, ReferralMechanisms)
PALERMO_FORWARD_STANDARD(TrainingActivity, TrainingActivities)
PALERMO_FORWARD_STANDARD(AwarenessCampaign, AwarenessCampaigns)
PALERMO_FORWARD_STANDARD(CooperationActivity, CooperationActivities)
PALERMO_FORWARD_STANDARD(InterAgencyGroup, InterAgencyGroups)
PALERMO_FORWARD(CoordinationForwarder, FindEntities, cv1::FindEntitiesRequest,
                cv1::FindEntitiesResponse)
PALERMO_FORWARD(CoordinationForwarder, ListCooperationPartners,
                cv1::ListCooperationPartnersRequest,
                cv1::ListCooperationPartnersResponse)
PALERMO_FORWARD(CoordinationForwarder, SummarizeTraining,
                cv1::SummarizeTrainingRequest, cv1::SummarizeTrainingResponse)
PALERMO_FORWARD(CoordinationForwarder, GetEntityCoordination,
                cv1::GetEntityCoordinationRequest, cv1::EntityCoordination)

namespace rv1 = reporting::v1;
#define PALERMO_FORWARD_REPORTING(Method, Response)                 \
  PALERMO_FORWARD(ReportingForwarder, Method, rv1::Method##Request, \
                  rv1::Response)
PALERMO_FORWARD_REPORTING(GetCycle, Cycle)
PALERMO_FORWARD_REPORTING(ListCycles, ListCyclesResponse)
PALERMO_FORWARD_REPORTING(CreateCycle, Cycle)
PALERMO_FORWARD_REPORTING(UpdateCycle, Cycle)
PALERMO_FORWARD(ReportingForwarder, DeleteCycle, rv1::DeleteCycleRequest,
                google::protobuf::Empty)
PALERMO_FORWARD_REPORTING(GetResponse, Response)
PALERMO_FORWARD_REPORTING(ListResponses, ListResponsesResponse)
PALERMO_FORWARD_REPORTING(CreateResponse, Response)
PALERMO_FORWARD_REPORTING(UpdateResponse, Response)
PALERMO_FORWARD(ReportingForwarder, DeleteResponse, rv1::DeleteResponseRequest,
                google::protobuf::Empty)
PALERMO_FORWARD_REPORTING(GetNarrativeBlock, NarrativeBlock)
PALERMO_FORWARD_REPORTING(ListNarrativeBlocks, ListNarrativeBlocksResponse)
PALERMO_FORWARD_REPORTING(CreateNarrativeBlock, NarrativeBlock)
PALERMO_FORWARD_REPORTING(UpdateNarrativeBlock, NarrativeBlock)
PALERMO_FORWARD(ReportingForwarder, DeleteNarrativeBlock, rv1::DeleteNarrativeBlockRequest,
                google::protobuf::Empty)
PALERMO_FORWARD_REPORTING(ListFindings, ListFindingsResponse)
PALERMO_FORWARD_REPORTING(GenerateReport, Report)
PALERMO_FORWARD_REPORTING(CreateReportVersion, ReportVersion)
PALERMO_FORWARD_REPORTING(GetReportVersion, ReportVersion)
PALERMO_FORWARD_REPORTING(ListReportVersions, ListReportVersionsResponse)
#undef PALERMO_FORWARD_REPORTING

#undef PALERMO_FORWARD_STANDARD
#undef PALERMO_FORWARD

grpc::ServerReadReactor<grpc::ByteBuffer>*
EnforcementForwarder::ImportObservations(grpc::CallbackServerContext* context,
                                         grpc::ByteBuffer* response) {
  static const std::string kMethod =
      absl::StrCat("/", Api::service_full_name(), "/ImportObservations");
  return new ClientStreamForwarder<ev1::ImportObservationsRequest,
                                   ev1::ImportObservationsResponse>(
      admission_, kMethod, context, response,
      [this](
          grpc::ClientContext* ctx, ev1::ImportObservationsResponse* resp,
          grpc::ClientWriteReactor<ev1::ImportObservationsRequest>* reactor) {
        backend_->stub().async()->ImportObservations(ctx, resp, reactor);
      });
}

grpc::ServerWriteReactor<ev1::ExportSdmxCsvResponse>*
EnforcementForwarder::ExportSdmxCsv(grpc::CallbackServerContext* context,
                                    const ev1::ExportSdmxCsvRequest* request) {
  static const std::string kMethod =
      absl::StrCat("/", Api::service_full_name(), "/ExportSdmxCsv");
  return new ServerStreamForwarder<ev1::ExportSdmxCsvRequest,
                                   ev1::ExportSdmxCsvResponse>(
      admission_, kMethod, context, request,
      [this](grpc::ClientContext* ctx, const ev1::ExportSdmxCsvRequest* req,
             grpc::ClientReadReactor<ev1::ExportSdmxCsvResponse>* reactor) {
        backend_->stub().async()->ExportSdmxCsv(ctx, req, reactor);
      });
}

}  // namespace palermo::gateway
