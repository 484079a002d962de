// The questions analysts ask across States: who has a kind of resource
// (in force in a year), who cooperates with whom, how many were trained,
// and everything one entity reported.
#include "services/coordination/coordination_domain.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/filter.h"
#include "services/common/validation.h"
#include "services/coordination/coordination_in_force.h"
#include "services/coordination/coordination_names.h"

namespace palermo::coordination {

namespace {

// Matches of one resource type, grouped by entity.
struct Matches {
  std::map<std::string, std::vector<std::string>> in;
  std::map<std::string, std::vector<std::string>> unknown;
};

// The matches of `filter_text` among the records of type T, or the
// filter's violations added to `v`.
template <typename T>
absl::StatusOr<Matches> Match(RecordCollection<T>& collection,
                              const std::string& filter_text, int year,
                              FieldViolations v) {
  absl::StatusOr<Filter> filter = Filter::Compile(filter_text, T::descriptor());
  v.AddAll(filter.status(), "filter");
  if (!v.empty()) return v.ToStatus();
  auto all = collection.All("", &*filter);
  if (!all.ok()) return all.status();
  Matches m;
  for (const T& r : *all) {
    const std::string entity = OwnerOfName(r.name());
    const InForce in_force = year == 0 ? InForce::kYes : InForceIn(r, year);
    if (in_force == InForce::kYes) m.in[entity].push_back(r.name());
    if (in_force == InForce::kUnknown) m.unknown[entity].push_back(r.name());
  }
  // An entity with one resource in force is in, whatever its others.
  for (const auto& [entity, names] : m.in) m.unknown.erase(entity);
  return m;
}

}  // namespace

absl::StatusOr<v1::FindEntitiesResponse> CoordinationDomain::FindEntities(
    const v1::FindEntitiesRequest& request) {
  FieldViolations v;
  const int year = request.in_force_year();
  if (year != 0 && (year < kMinYear || year > kMaxYear)) {
    v.Add("in_force_year",
          absl::StrCat("must be 0 or ", kMinYear, "-", kMaxYear));
  }
  const std::string& f = request.filter();
  absl::StatusOr<Matches> matches;
  switch (request.kind()) {
    case v1::RESOURCE_KIND_COORDINATION_BODY:
      matches = Match(bodies_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_ACTION_PLAN:
      matches = Match(plans_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_REFERRAL_MECHANISM:
      matches = Match(mechanisms_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_TRAINING_ACTIVITY:
      matches = Match(trainings_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_AWARENESS_CAMPAIGN:
      matches = Match(campaigns_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_COOPERATION_ACTIVITY:
      matches = Match(cooperations_, f, year, std::move(v));
      break;
    default:
      // Without a kind the filter cannot be compiled; say so and stop.
      v.Add("kind", "required: the kind of resource to look in");
      return v.ToStatus();
  }
  if (!matches.ok()) return matches.status();
  v1::FindEntitiesResponse response;
  auto fill = [this](const std::map<std::string, std::vector<std::string>>& in,
                     auto* out) {
    for (const auto& [entity, names] : in) {
      v1::EntityMatch* match = out->Add();
      match->set_entity(entity);
      if (auto e = entities_.Resolve(entity, "entity"); e.ok()) {
        match->set_display_name(e->display_name());
      }
      for (const auto& n : names) match->add_resources(n);
    }
  };
  fill(matches->in, response.mutable_entities());
  fill(matches->unknown, response.mutable_undetermined());
  TrimToBytes(&response);
  return response;
}

absl::StatusOr<v1::ListCooperationPartnersResponse>
CoordinationDomain::ListCooperationPartners(
    const v1::ListCooperationPartnersRequest& request) {
  FieldViolations v;
  ValidateEntity(request.entity(), "entity", v);
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::CooperationActivity::descriptor());
  v.AddAll(filter.status(), "filter");
  if (!v.empty()) return v.ToStatus();
  auto all = cooperations_.All("", &*filter);
  if (!all.ok()) return all.status();
  // (partner, direction) -> activities
  std::map<std::pair<std::string, v1::Direction>,
           std::vector<const v1::CooperationActivity*>>
      rows;
  for (const v1::CooperationActivity& a : *all) {
    const std::string owner = OwnerOfName(a.name());
    for (const std::string& p : a.partners()) {
      if (owner == request.entity()) {
        rows[{p, v1::DIRECTION_REPORTED_BY_ENTITY}].push_back(&a);
      } else if (p == request.entity()) {
        rows[{owner, v1::DIRECTION_REPORTED_BY_PARTNER}].push_back(&a);
      }
    }
  }
  v1::ListCooperationPartnersResponse response;
  for (const auto& [key, activities] : rows) {
    v1::CooperationPartner* row = response.add_partners();
    row->set_partner(key.first);
    row->set_direction(key.second);
    if (auto e = entities_.Resolve(key.first, "partner"); e.ok()) {
      row->set_display_name(e->display_name());
    }
    std::set<int> kinds;
    for (const auto* a : activities) {
      row->add_activities(a->name());
      kinds.insert(a->kind());
    }
    for (int k : kinds) row->add_kinds(static_cast<v1::CooperationKind>(k));
  }
  TrimToBytes(&response);
  return response;
}

absl::StatusOr<v1::SummarizeTrainingResponse>
CoordinationDomain::SummarizeTraining(
    const v1::SummarizeTrainingRequest& request) {
  FieldViolations v;
  std::string prefix;
  if (request.parent() != "-") {
    ValidateEntity(request.parent(), "parent", v);
    prefix = absl::StrCat(request.parent(), "/trainingActivities/");
  }
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::TrainingActivity::descriptor());
  v.AddAll(filter.status(), "filter");
  if (request.year() != 0 &&
      (request.year() < kMinYear || request.year() > kMaxYear)) {
    v.Add("year", absl::StrCat("must be 0 or ", kMinYear, "-", kMaxYear));
  }
  if (!v.empty()) return v.ToStatus();
  auto all = trainings_.All(prefix, &*filter);
  if (!all.ok()) return all.status();
  v1::SummarizeTrainingResponse response;
  std::map<int, v1::AudienceTotal> totals;
  for (const v1::TrainingActivity& a : *all) {
    if (request.year() != 0 &&
        CoversYear(a.period(), request.year()) != InForce::kYes) {
      continue;
    }
    // A count over several years cannot be split by year: in a year's
    // totals, only an activity held within the year brings its number.
    const bool counted =
        a.has_number_trained() &&
        (request.year() == 0 || WithinYear(a.period(), request.year()));
    const bool more_than = counted && a.number_trained_qualifier() ==
                                          v1::COUNT_QUALIFIER_MORE_THAN;
    response.set_activities(response.activities() + 1);
    if (counted) {
      response.set_activities_with_count(response.activities_with_count() + 1);
      response.set_number_trained(response.number_trained() +
                                  a.number_trained());
      if (more_than) response.set_lower_bound(true);
    }
    for (int audience : a.audiences()) {
      v1::AudienceTotal& t = totals[audience];
      t.set_audience(static_cast<v1::TrainingAudience>(audience));
      t.set_activities(t.activities() + 1);
      if (counted) {
        t.set_activities_with_count(t.activities_with_count() + 1);
        t.set_number_trained(t.number_trained() + a.number_trained());
        if (more_than) t.set_lower_bound(true);
      }
    }
  }
  for (auto& [audience, total] : totals) {
    *response.add_audiences() = std::move(total);
  }
  return response;
}

absl::StatusOr<v1::EntityCoordination>
CoordinationDomain::GetEntityCoordination(
    const v1::GetEntityCoordinationRequest& request) {
  FieldViolations v;
  ValidateEntity(request.entity(), "entity", v);
  if (!v.empty()) return v.ToStatus();
  v1::EntityCoordination out;
  out.set_entity(request.entity());
  auto add = [&](auto& collection, absl::string_view segment,
                 auto* field) -> absl::Status {
    auto all =
        collection.All(absl::StrCat(request.entity(), "/", segment, "/"));
    if (!all.ok()) return all.status();
    for (auto& r : *all) *field->Add() = std::move(r);
    return absl::OkStatus();
  };
  absl::Status s = add(bodies_, Kind<v1::CoordinationBody>::kSegment,
                       out.mutable_coordination_bodies());
  if (s.ok()) {
    s = add(plans_, Kind<v1::ActionPlan>::kSegment, out.mutable_action_plans());
  }
  if (s.ok()) {
    s = add(mechanisms_, Kind<v1::ReferralMechanism>::kSegment,
            out.mutable_referral_mechanisms());
  }
  if (s.ok()) {
    s = add(trainings_, Kind<v1::TrainingActivity>::kSegment,
            out.mutable_training_activities());
  }
  if (s.ok()) {
    s = add(campaigns_, Kind<v1::AwarenessCampaign>::kSegment,
            out.mutable_awareness_campaigns());
  }
  if (s.ok()) {
    s = add(cooperations_, Kind<v1::CooperationActivity>::kSegment,
            out.mutable_cooperation_activities());
  }
  if (!s.ok()) return s;
  v1::ListCooperationPartnersRequest partners_request;
  partners_request.set_entity(request.entity());
  auto partners = ListCooperationPartners(partners_request);
  if (!partners.ok()) return partners.status();
  *out.mutable_cooperation_partners() =
      std::move(*partners->mutable_partners());
  out.set_truncated(partners->truncated());
  auto groups = groups_.All(absl::StrCat(kGroupsSegment, "/"));
  if (!groups.ok()) return groups.status();
  for (auto& g : *groups) {
    bool involved = false;
    for (const auto& m : g.members())
      involved = involved || m == request.entity();
    for (const auto& meeting : g.meetings()) {
      for (const auto& h : meeting.hosts()) {
        involved = involved || h == request.entity();
      }
    }
    if (involved) *out.add_inter_agency_groups() = std::move(g);
  }
  TrimToBytes(&out);
  return out;
}

}  // namespace palermo::coordination
