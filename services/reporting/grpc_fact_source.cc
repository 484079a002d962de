// Reads the four domains for a cycle (grpc_fact_source.h).
#include "services/reporting/grpc_fact_source.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/flags.h"
#include "services/common/status.h"

namespace palermo::reporting {
namespace {

// Every page of a List method, the records of the cycle appended to `out`.
template <typename Request, typename Response, typename T, typename Call,
          typename Items>
absl::Status ListAll(absl::string_view what, Request request, Call call,
                     Items items, const std::string& cycle,
                     std::vector<T>& out, bool restrict = true) {
  for (;;) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(
        absl::Now() + absl::GetFlag(FLAGS_outgoing_timeout)));
    Response response;
    grpc::Status status = call(&context, request, &response);
    if (!status.ok()) {
      absl::Status s = FromGrpcStatus(status);
      return absl::Status(s.code(), absl::StrCat("reading ", what, ": ",
                                                  s.message()));
    }
    for (T& item : *items(response)) {
      if (!restrict || RestrictToCycle(item, cycle)) {
        out.push_back(std::move(item));
      }
    }
    if (response.next_page_token().empty()) return absl::OkStatus();
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace

absl::Status GrpcFactSource::Fill(const std::string& cycle, CycleData& data) {
  namespace leg = legislation::v1;
  namespace enf = enforcement::v1;
  namespace ass = assistance::v1;
  namespace coo = coordination::v1;
  auto legislation = leg::LegislationService::NewStub(channels_.legislation);
  auto enforcement = enf::EnforcementService::NewStub(channels_.enforcement);
  auto assistance = ass::AssistanceService::NewStub(channels_.assistance);
  auto coordination = coo::CoordinationService::NewStub(channels_.coordination);
  constexpr int kPage = 500;

  leg::ListLegislationsRequest lr;
  lr.set_page_size(kPage);
  if (auto s = ListAll<leg::ListLegislationsRequest,
                       leg::ListLegislationsResponse>(
          "legislation", lr,
          [&](auto* c, const auto& r, auto* o) {
            return legislation->ListLegislations(c, r, o);
          },
          [](auto& r) { return r.mutable_legislations(); }, cycle,
          data.legislations);
      !s.ok()) {
    return s;
  }
  enf::ListObservationsRequest orq;
  orq.set_parent("-");
  orq.set_page_size(kPage);
  if (auto s = ListAll<enf::ListObservationsRequest,
                       enf::ListObservationsResponse>(
          "enforcement observations", orq,
          [&](auto* c, const auto& r, auto* o) {
            return enforcement->ListObservations(c, r, o);
          },
          [](auto& r) { return r.mutable_observations(); }, cycle,
          data.observations);
      !s.ok()) {
    return s;
  }
  enf::ListIndicatorsRequest ir;
  ir.set_page_size(kPage);
  if (auto s = ListAll<enf::ListIndicatorsRequest, enf::ListIndicatorsResponse>(
          "enforcement indicators", ir,
          [&](auto* c, const auto& r, auto* o) {
            return enforcement->ListIndicators(c, r, o);
          },
          [](auto& r) { return r.mutable_indicators(); }, cycle,
          data.indicators, /*restrict=*/false);
      !s.ok()) {
    return s;
  }
  ass::ListMeasuresRequest mr;
  mr.set_parent("-");
  mr.set_page_size(kPage);
  if (auto s = ListAll<ass::ListMeasuresRequest, ass::ListMeasuresResponse>(
          "assistance measures", mr,
          [&](auto* c, const auto& r, auto* o) {
            return assistance->ListMeasures(c, r, o);
          },
          [](auto& r) { return r.mutable_measures(); }, cycle, data.measures);
      !s.ok()) {
    return s;
  }
#define PALERMO_COORDINATION(Ts, field, member)                             \
  {                                                                         \
    coo::List##Ts##Request request;                                         \
    request.set_parent("-");                                                \
    request.set_page_size(kPage);                                           \
    if (auto s = ListAll<coo::List##Ts##Request, coo::List##Ts##Response>(  \
            "coordination " #field, request,                                \
            [&](auto* c, const auto& r, auto* o) {                          \
              return coordination->List##Ts(c, r, o);                       \
            },                                                              \
            [](auto& r) { return r.mutable_##field(); }, cycle, data.member); \
        !s.ok()) {                                                          \
      return s;                                                             \
    }                                                                       \
  }
  PALERMO_COORDINATION(CoordinationBodies, coordination_bodies,
                       coordination_bodies)
  PALERMO_COORDINATION(ActionPlans, action_plans, action_plans)
  PALERMO_COORDINATION(ReferralMechanisms, referral_mechanisms,
                       referral_mechanisms)
  PALERMO_COORDINATION(TrainingActivities, training_activities,
                       training_activities)
  PALERMO_COORDINATION(AwarenessCampaigns, awareness_campaigns,
                       awareness_campaigns)
  PALERMO_COORDINATION(CooperationActivities, cooperation_activities,
                       cooperation_activities)
#undef PALERMO_COORDINATION
  coo::ListInterAgencyGroupsRequest gr;
  gr.set_page_size(kPage);
  return ListAll<coo::ListInterAgencyGroupsRequest,
                 coo::ListInterAgencyGroupsResponse>(
      "coordination inter_agency_groups", gr,
      [&](auto* c, const auto& r, auto* o) {
        return coordination->ListInterAgencyGroups(c, r, o);
      },
      [](auto& r) { return r.mutable_inter_agency_groups(); }, cycle,
      data.inter_agency_groups);
}

}  // namespace palermo::reporting
