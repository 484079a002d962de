// Reads the four domains for a cycle (grpc_fact_source.h), through their
// public client libraries.
#include "services/reporting/grpc_fact_source.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/filter.h"
#include "services/assistance/client/assistance_client.h"
#include "services/common/flags.h"
#include "services/coordination/client/coordination_client.h"
#include "services/enforcement/client/enforcement_client.h"
#include "services/legislation/client/legislation_client.h"

namespace palermo::reporting {
namespace {

// Appends the records of `cycle` among `all` to `out`; the domain's error,
// naming what was read, otherwise.
template <typename T>
absl::Status Keep(absl::string_view what, absl::StatusOr<std::vector<T>> all,
                  const std::string& cycle, std::vector<T>& out,
                  bool restrict = true) {
  if (!all.ok()) {
    return absl::Status(all.status().code(),
                        absl::StrCat("reading ", what, ": ",
                                     all.status().message()));
  }
  for (T& item : *all) {
    if (!restrict || RestrictToCycle(item, cycle)) {
      out.push_back(std::move(item));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status GrpcFactSource::Fill(const std::string& cycle, CycleData& data) {
  CallOptions options;
  options.timeout = absl::GetFlag(FLAGS_outgoing_timeout);
  legislation::LegislationClient legislation(channels_.legislation, options);
  enforcement::EnforcementClient enforcement(channels_.enforcement, options);
  assistance::AssistanceClient assistance(channels_.assistance, options);
  coordination::CoordinationClient coordination(channels_.coordination,
                                                options);
  // A record whose own sources carry its facts (an observation, a measure,
  // a coordination record) is of the cycle exactly when one of its sources
  // names it: the domain filters. A legislation record's facts each have
  // their sources, so it is read whole and restricted here.
  const std::string of_cycle =
      absl::StrCat("sources.cycle = ", FilterString(cycle));
  absl::Status s = Keep("legislation", legislation.ListAllLegislations(), cycle,
                        data.legislations);
  if (s.ok()) {
    s = Keep("enforcement observations",
             enforcement.ListAllObservations(enforcement::kEveryEntity, of_cycle),
             cycle,
             data.observations);
  }
  if (s.ok()) {
    s = Keep("enforcement indicators", enforcement.ListAllIndicators(), cycle,
             data.indicators, /*restrict=*/false);
  }
  if (s.ok()) {
    s = Keep("assistance measures",
             assistance.ListAllMeasures(assistance::kEveryEntity, of_cycle), cycle,
             data.measures);
  }
  const std::string every(coordination::kEveryEntity);
  if (s.ok()) {
    s = Keep("coordination bodies",
             coordination.ListAllCoordinationBodies(every, of_cycle), cycle,
             data.coordination_bodies);
  }
  if (s.ok()) {
    s = Keep("action plans", coordination.ListAllActionPlans(every, of_cycle), cycle,
             data.action_plans);
  }
  if (s.ok()) {
    s = Keep("referral mechanisms",
             coordination.ListAllReferralMechanisms(every, of_cycle), cycle,
             data.referral_mechanisms);
  }
  if (s.ok()) {
    s = Keep("training activities",
             coordination.ListAllTrainingActivities(every, of_cycle), cycle,
             data.training_activities);
  }
  if (s.ok()) {
    s = Keep("awareness campaigns",
             coordination.ListAllAwarenessCampaigns(every, of_cycle), cycle,
             data.awareness_campaigns);
  }
  if (s.ok()) {
    s = Keep("cooperation activities",
             coordination.ListAllCooperationActivities(every, of_cycle), cycle,
             data.cooperation_activities);
  }
  if (s.ok()) {
    s = Keep("inter-agency groups", coordination.ListAllInterAgencyGroups(of_cycle),
             cycle, data.inter_agency_groups);
  }
  return s;
}

}  // namespace palermo::reporting
