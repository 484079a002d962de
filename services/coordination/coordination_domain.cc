// The coordination domain's collections and their standard methods (Get,
// List, Create, Update and Delete of each resource type). Validation is in
// coordination_domain_validation.cc, the questions across States in
// coordination_domain_queries.cc.
#include "services/coordination/coordination_domain.h"

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/idempotency.h"
#include "services/common/validation.h"
#include "services/coordination/coordination_names.h"

namespace palermo::coordination {


CoordinationDomain::CoordinationDomain(RecordStore& store,
                                       const EntityRegistry& entities,
                                       Clock clock)
    : entities_(entities),
      bodies_(
          store, kBodies,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      plans_(
          store, kPlans,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      mechanisms_(
          store, kMechanisms,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      trainings_(
          store, kTrainings,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      campaigns_(
          store, kCampaigns,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      cooperations_(
          store, kCooperations,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      groups_(
          store, kGroups,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); },
          clock) {}

template <typename T>
RecordCollection<T>& CoordinationDomain::CollectionOf() {
  return this->*(Kind<T>::kMember);
}

template <typename T>
absl::StatusOr<std::string> CoordinationDomain::OwnerOf(
    absl::string_view name, absl::string_view field) const {
  const std::string segment = absl::StrCat("/", Kind<T>::kSegment, "/");
  if constexpr (std::is_same_v<T, v1::InterAgencyGroup>) {
    absl::string_view id = name;
    if (absl::ConsumePrefix(&id, kGroupsSegment) &&
        absl::ConsumePrefix(&id, "/") && ValidResourceId(id)) {
      return std::string();
    }
    return InvalidField(std::string(field),
                        absl::StrCat("must be ", kGroupsSegment, "/{id}"));
  } else {
    const size_t at = name.find(segment);
    if (at != absl::string_view::npos &&
        entities_.Contains(name.substr(0, at)) &&
        ValidResourceId(name.substr(at + segment.size()))) {
      return std::string(name.substr(0, at));
    }
    return InvalidField(
        std::string(field),
        absl::StrCat("must be {entity}", segment,
                     "{id} with a known entity and an id of a-z, 0-9 and -"));
  }
}

// ---------------------------------------------------------------------------
// Standard methods.

template <typename T>
absl::StatusOr<T> CoordinationDomain::GetIn(const std::string& name) {
  if (auto owner = OwnerOf<T>(name, "name"); !owner.ok()) return owner.status();
  return CollectionOf<T>().Get(name);
}

template <typename T>
absl::StatusOr<std::vector<T>> CoordinationDomain::ListIn(
    const std::string& parent, const std::string& filter, int page_size,
    const std::string& page_token, std::string* next_page_token) {
  std::string prefix;
  FieldViolations v;
  if constexpr (std::is_same_v<T, v1::InterAgencyGroup>) {
    prefix = absl::StrCat(kGroupsSegment, "/");
  } else if (parent != "-") {
    ValidateEntity(parent, "parent", v);
    prefix = absl::StrCat(parent, "/", Kind<T>::kSegment, "/");
  }
  return CollectionOf<T>().ListPage(prefix, filter, page_size, page_token,
                                    absl::StrCat(parent, "\n", filter),
                                    next_page_token, std::move(v));
}

template <typename T, typename Request>
absl::StatusOr<T> CoordinationDomain::CreateIn(const Request& request,
                                               const std::string& parent,
                                               const std::string& id,
                                               const T& input,
                                               absl::string_view record_field,
                                               absl::string_view id_field,
                                               int64_t* sequence) {
  FieldViolations v;
  T record = input;
  if constexpr (std::is_same_v<T, v1::InterAgencyGroup>) {
    record.set_name(absl::StrCat(kGroupsSegment, "/", id));
  } else {
    ValidateEntity(parent, "parent", v);
    record.set_name(absl::StrCat(parent, "/", Kind<T>::kSegment, "/", id));
  }
  if (!ValidResourceId(id)) {
    v.Add(std::string(id_field),
          "1-63 of a-z, 0-9 and -, starting with a letter");
  }
  Validate(record, record_field, v);
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return CollectionOf<T>().Create(
      std::move(record), record_field, request.request_id(),
      RequestFingerprint(
          absl::StrCat("coordination.create.", T::descriptor()->name()),
          request),
      sequence);
}

template <typename T, typename Request>
absl::StatusOr<T> CoordinationDomain::UpdateIn(
    const Request& request, const T& record,
    const google::protobuf::FieldMask& mask, absl::string_view field,
    int64_t* sequence) {
  FieldViolations v;
  v.AddAll(OwnerOf<T>(record.name(), FieldPath(field, "name")).status(),
           FieldPath(field, "name"));
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return CollectionOf<T>().Update(
      record, mask, field, request.request_id(),
      RequestFingerprint(
          absl::StrCat("coordination.update.", T::descriptor()->name()),
          request),
      sequence);
}

template <typename T, typename Request>
absl::Status CoordinationDomain::DeleteIn(const Request& request,
                                          int64_t* sequence) {
  FieldViolations v;
  v.AddAll(OwnerOf<T>(request.name(), "name").status(), "name");
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return CollectionOf<T>().Delete(
      request.name(), request.etag(), request.request_id(),
      RequestFingerprint(
          absl::StrCat("coordination.delete.", T::descriptor()->name()),
          request),
      sequence);
}

#define PALERMO_DEFINE_STANDARD_METHODS(T, Ts, field, fields, ParentOf)       \
  absl::StatusOr<v1::T> CoordinationDomain::Get##T(                           \
      const v1::Get##T##Request& r) {                                         \
    return GetIn<v1::T>(r.name());                                            \
  }                                                                           \
  absl::StatusOr<v1::List##Ts##Response> CoordinationDomain::List##Ts(        \
      const v1::List##Ts##Request& r) {                                       \
    v1::List##Ts##Response response;                                          \
    auto page =                                                               \
        ListIn<v1::T>(ParentOf(r), r.filter(), r.page_size(), r.page_token(), \
                      response.mutable_next_page_token());                    \
    if (!page.ok()) return page.status();                                     \
    for (auto& item : *page) *response.add_##fields() = std::move(item);      \
    return response;                                                          \
  }                                                                           \
  absl::StatusOr<v1::T> CoordinationDomain::Create##T(                        \
      const v1::Create##T##Request& r, int64_t* sequence) {                   \
    return CreateIn(r, ParentOf(r), r.field##_id(), r.field(), #field,        \
                    #field "_id", sequence);                                  \
  }                                                                           \
  absl::StatusOr<v1::T> CoordinationDomain::Update##T(                        \
      const v1::Update##T##Request& r, int64_t* sequence) {                   \
    return UpdateIn(r, r.field(), r.update_mask(), #field, sequence);         \
  }                                                                           \
  absl::Status CoordinationDomain::Delete##T(                                 \
      const v1::Delete##T##Request& r, int64_t* sequence) {                   \
    return DeleteIn<v1::T>(r, sequence);                                      \
  }

namespace {
template <typename Request>
std::string ParentField(const Request& r) {
  return r.parent();
}
template <typename Request>
std::string NoParent(const Request&) {
  return "";
}
}  // namespace

PALERMO_DEFINE_STANDARD_METHODS(CoordinationBody, CoordinationBodies,
                                coordination_body, coordination_bodies,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(ActionPlan, ActionPlans, action_plan,
                                action_plans, ParentField)
PALERMO_DEFINE_STANDARD_METHODS(ReferralMechanism, ReferralMechanisms,
                                referral_mechanism, referral_mechanisms,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(TrainingActivity, TrainingActivities,
                                training_activity, training_activities,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(AwarenessCampaign, AwarenessCampaigns,
                                awareness_campaign, awareness_campaigns,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(CooperationActivity, CooperationActivities,
                                cooperation_activity, cooperation_activities,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(InterAgencyGroup, InterAgencyGroups,
                                inter_agency_group, inter_agency_groups,
                                NoParent)

#undef PALERMO_DEFINE_STANDARD_METHODS

}  // namespace palermo::coordination
