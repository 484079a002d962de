// One reporting cycle's data as the report and the data-quality rules read
// it: the cycle, its responses and narrative blocks, and every fact of the
// four domains that belongs to the cycle (a fact belongs to a cycle when one
// of its sources names it; facts of other cycles are removed, see
// RestrictToCycle). Plain data, free of gRPC: the fetcher fills it from the
// domains' client libraries, tests build it by hand.
#ifndef PALERMO_SERVICES_REPORTING_CYCLE_DATA_H_
#define PALERMO_SERVICES_REPORTING_CYCLE_DATA_H_

#include <string>
#include <vector>

#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/coordination/v1/coordination.pb.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "palermo/reporting/v1/reporting.pb.h"

namespace palermo::reporting {

struct CycleData {
  v1::Cycle cycle;
  std::vector<v1::Response> responses;         // ordered by name
  std::vector<v1::NarrativeBlock> blocks;      // ordered by name
  std::vector<legislation::v1::Legislation> legislations;
  std::vector<enforcement::v1::Observation> observations;
  std::vector<enforcement::v1::Indicator> indicators;  // the catalogue
  std::vector<assistance::v1::Measure> measures;
  std::vector<coordination::v1::CoordinationBody> coordination_bodies;
  std::vector<coordination::v1::ActionPlan> action_plans;
  std::vector<coordination::v1::ReferralMechanism> referral_mechanisms;
  std::vector<coordination::v1::TrainingActivity> training_activities;
  std::vector<coordination::v1::AwarenessCampaign> awareness_campaigns;
  std::vector<coordination::v1::CooperationActivity> cooperation_activities;
  std::vector<coordination::v1::InterAgencyGroup> inter_agency_groups;
};

// Removes from `record` every part whose provenance names cycles but not
// `cycle`: a message field (or element of a repeated message field) that has
// a `sources` field of palermo.common.v1.Provenance is kept only if one of
// its sources has `cycle` equal to `cycle`. Returns whether anything of the
// cycle is left (a source of the record itself, or of one of its parts).
bool RestrictToCycle(google::protobuf::Message& record,
                     const std::string& cycle);

// The entity a record is about: `countries/EST` from
// `countries/EST/measures/shelter`, `countries/EST/legislation`, or an
// observation's `entity`; empty for an inter-agency group.
std::string EntityOfRecordName(const std::string& record_name);

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_CYCLE_DATA_H_
