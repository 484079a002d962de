// The gateway's access policy (access_policy.h): the table of every method
// the gateway serves, and how each entity write names its entity.
#include "services/gateway/access_policy.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/coordination/v1/coordination.pb.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "palermo/reporting/v1/reporting.pb.h"
#include "services/common/status.h"
#include "services/enforcement/sdmx_csv.h"

namespace palermo::gateway {
namespace {

namespace av1 = assistance::v1;
namespace cv1 = coordination::v1;
namespace ev1 = enforcement::v1;
namespace lv1 = legislation::v1;
namespace rv1 = reporting::v1;
using Entities = absl::StatusOr<std::vector<std::string>>;

constexpr char kLegislation[] = "palermo.legislation.v1.LegislationService";
constexpr char kEnforcement[] = "palermo.enforcement.v1.EnforcementService";
constexpr char kAssistance[] = "palermo.assistance.v1.AssistanceService";
constexpr char kCoordination[] = "palermo.coordination.v1.CoordinationService";
constexpr char kReporting[] = "palermo.reporting.v1.ReportingService";

// Why the entity of a request is unknown: the message of a refusal.
absl::Status Undetermined(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, " ", why));
}

// The entity a resource name starts with: `countries/EST` of
// `countries/EST/legislation`; `field` names it in the error.
absl::StatusOr<std::string> EntityOfName(absl::string_view name,
                                         absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() < 2 || (parts[0] != "countries" &&
                           parts[0] != "organizations") ||
      parts[1].empty()) {
    return Undetermined(field, absl::StrCat("\"", Abbreviate(name),
                                            "\" names no entity"));
  }
  return absl::StrCat(parts[0], "/", parts[1]);
}

// `request` as its generated type: a copy when it is another implementation
// of the same message (a DynamicMessage).
template <typename T>
absl::StatusOr<T> As(const google::protobuf::Message& request) {
  if (const auto* typed = dynamic_cast<const T*>(&request)) return *typed;
  T copy;
  if (request.GetDescriptor()->full_name() != T::descriptor()->full_name() ||
      !copy.ParseFromString(request.SerializeAsString())) {
    return Undetermined("request", absl::StrCat(
                                       "is a ", request.GetTypeName(), ", not a ",
                                       T::descriptor()->full_name()));
  }
  return copy;
}

// An EntitiesOf reading one resource name or parent of a T.
template <typename T>
AccessPolicy::EntitiesOf NameOf(
    std::function<const std::string&(const T&)> name, std::string field) {
  return [name, field](const google::protobuf::Message& m) -> Entities {
    absl::StatusOr<T> request = As<T>(m);
    if (!request.ok()) return request.status();
    absl::StatusOr<std::string> entity = EntityOfName(name(*request), field);
    if (!entity.ok()) return entity.status();
    return std::vector<std::string>{*std::move(entity)};
  };
}

// The entity of `cycles/{cycle}/responses/{entity_id}`.
absl::StatusOr<std::string> EntityOfResponse(const EntityRegistry& entities,
                                             absl::string_view name,
                                             absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "cycles" || parts[2] != "responses" ||
      parts[3].empty()) {
    return Undetermined(
        field, absl::StrCat("\"", Abbreviate(name),
                            "\" is not cycles/{cycle}/responses/{entity_id}"));
  }
  return entities.EntityOfId(parts[3]);
}

// The observations' entities; `field` is the repeated field's path.
Entities EntitiesOfObservations(
    const google::protobuf::RepeatedPtrField<ev1::Observation>& observations,
    absl::string_view field) {
  std::vector<std::string> out;
  for (int i = 0; i < observations.size(); ++i) {
    const std::string& entity = observations[i].entity();
    if (entity.empty()) {
      return Undetermined(absl::StrCat(field, "[", i, "].entity"),
                          "is empty");
    }
    out.push_back(entity);
  }
  return out;
}

// The refusal of `who` on `method` of kind `access`.
absl::Status RoleRefused(const Principal& who, absl::string_view method,
                         Access access) {
  absl::string_view allowed;
  switch (access) {
    case Access::kPublicRead:
      allowed = "anyone";
      break;
    case Access::kEntityWrite:
      allowed = "an analyst, an administrator or the entity's focal point";
      break;
    case Access::kSecretariatWrite:
    case Access::kSecretariatRead:
      allowed = "an analyst or an administrator";
      break;
    case Access::kCatalogueWrite:
    case Access::kAuditRead:
      allowed = "an administrator";
      break;
  }
  if (IsAnonymous(who)) {
    return absl::UnauthenticatedError(
        absl::StrCat(method, " needs a bearer token (", AccessName(access),
                     ": ", allowed, ")"));
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "role ", RoleName(who.role), " may not call ", method, " (",
      AccessName(access), ": ", allowed, ")"));
}

bool RoleMay(Role role, Access access) {
  switch (access) {
    case Access::kPublicRead:
      return true;
    case Access::kEntityWrite:
      return role == Role::kAnalyst || role == Role::kAdministrator ||
             role == Role::kFocalPoint;
    case Access::kSecretariatWrite:
    case Access::kSecretariatRead:
      return role == Role::kAnalyst || role == Role::kAdministrator;
    case Access::kCatalogueWrite:
    case Access::kAuditRead:
      return role == Role::kAdministrator;
  }
  return false;
}

}  // namespace

absl::string_view AccessName(Access access) {
  switch (access) {
    case Access::kPublicRead:
      return "public read";
    case Access::kEntityWrite:
      return "entity write";
    case Access::kSecretariatWrite:
      return "Secretariat write";
    case Access::kSecretariatRead:
      return "Secretariat read";
    case Access::kCatalogueWrite:
      return "catalogue write";
    case Access::kAuditRead:
      return "audit read";
  }
  return "unknown";
}

bool IsAnonymous(const Principal& who) {
  const Principal anonymous = AnonymousReader();
  return who.subject == anonymous.subject && who.role == anonymous.role;
}

AccessPolicy::AccessPolicy(const EntityRegistry& entities)
    : entities_(entities) {
  constexpr Access kRead = Access::kPublicRead;
  constexpr Access kWrite = Access::kEntityWrite;
  constexpr Access kSecretariat = Access::kSecretariatWrite;
  constexpr Access kCatalogue = Access::kCatalogueWrite;

  // Every server's health and reflection (when --reflection is on).
  Add("grpc.health.v1.Health", "Check", kRead);
  Add("grpc.health.v1.Health", "Watch", kRead);
  Add("grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo",
      kRead);
  // The audit log (part D): administrators only.
  Add("palermo.common.v1.AuditService", "ListAuditRecords", Access::kAuditRead);

  Add("palermo.gateway.v1.GatewayService", "GetCountryProfile", kRead);

  // Legislation: one record per entity.
  for (const char* m : {"GetLegislation", "ListLegislations",
                        "ListLegislationRevisions", "WatchChanges"}) {
    Add(kLegislation, m, kRead);
  }
  Add(kLegislation, "CreateLegislation", kWrite,
      NameOf<lv1::CreateLegislationRequest>(
          [](const auto& r) -> const std::string& { return r.parent(); },
          "parent"));
  Add(kLegislation, "UpdateLegislation", kWrite,
      NameOf<lv1::UpdateLegislationRequest>(
          [](const auto& r) -> const std::string& {
            return r.legislation().name();
          },
          "legislation.name"));
  Add(kLegislation, "DeleteLegislation", kWrite,
      NameOf<lv1::DeleteLegislationRequest>(
          [](const auto& r) -> const std::string& { return r.name(); },
          "name"));

  // Enforcement: the indicator code list is a catalogue; observations are
  // their entity's.
  for (const char* m :
       {"ListIndicators", "GetObservation", "ListObservations",
        "ListObservationRevisions", "GetSeries", "Aggregate", "ComputeChange",
        "ComputeRatio", "GetCoverage", "ExportSdmxCsv", "WatchChanges"}) {
    Add(kEnforcement, m, kRead);
  }
  Add(kEnforcement, "CreateIndicator", kCatalogue);
  Add(kEnforcement, "UpsertObservation", kWrite,
      [](const google::protobuf::Message& m) -> Entities {
        auto r = As<ev1::UpsertObservationRequest>(m);
        if (!r.ok()) return r.status();
        if (r->observation().entity().empty()) {
          return Undetermined("observation.entity", "is empty");
        }
        return std::vector<std::string>{r->observation().entity()};
      });
  Add(kEnforcement, "ImportObservations", kWrite,
      [](const google::protobuf::Message& m) -> Entities {
        auto r = As<ev1::ImportObservationsRequest>(m);
        if (!r.ok()) return r.status();
        return EntitiesOfObservations(r->observations(), "observations");
      });
  Add(kEnforcement, "ImportSdmxCsv", kWrite,
      [this](const google::protobuf::Message& m) -> Entities {
        auto r = As<ev1::ImportSdmxCsvRequest>(m);
        if (!r.ok()) return r.status();
        absl::StatusOr<std::vector<std::string>> areas =
            enforcement::SdmxCsvRefAreas(r->csv());
        if (!areas.ok()) {
          return Undetermined("csv", absl::StrCat("cannot be read: ",
                                                  areas.status().message()));
        }
        for (std::string& area : *areas) area = entities_.EntityOfId(area);
        return areas;
      });

  // Assistance: the measure-type catalogue, and each entity's measures.
  for (const char* m : {"ListMeasureTypes", "GetMeasure", "ListMeasures",
                        "CompareEntities", "AggregateCases", "WatchChanges"}) {
    Add(kAssistance, m, kRead);
  }
  Add(kAssistance, "CreateMeasureType", kCatalogue);
  Add(kAssistance, "CreateMeasure", kWrite,
      NameOf<av1::CreateMeasureRequest>(
          [](const auto& r) -> const std::string& { return r.parent(); },
          "parent"));
  Add(kAssistance, "UpdateMeasure", kWrite,
      NameOf<av1::UpdateMeasureRequest>(
          [](const auto& r) -> const std::string& {
            return r.measure().name();
          },
          "measure.name"));
  Add(kAssistance, "DeleteMeasure", kWrite,
      NameOf<av1::DeleteMeasureRequest>(
          [](const auto& r) -> const std::string& { return r.name(); },
          "name"));

  // Coordination: six kinds of an entity's resources, named
  // `{entity}/{collection}/{id}`; inter-agency groups of international
  // organizations (`interAgencyGroups/{id}`) belong to no one entity and
  // are the Secretariat's to record.
  for (const char* m : {"FindEntities", "ListCooperationPartners",
                        "SummarizeTraining", "GetEntityCoordination",
                        "WatchChanges", "GetInterAgencyGroup",
                        "ListInterAgencyGroups"}) {
    Add(kCoordination, m, kRead);
  }
  for (const char* m : {"CreateInterAgencyGroup", "UpdateInterAgencyGroup",
                        "DeleteInterAgencyGroup"}) {
    Add(kCoordination, m, kSecretariat);
  }
#define PALERMO_COORDINATION_WRITES(T, Ts, field)                             \
  Add(kCoordination, "Get" #T, kRead);                                        \
  Add(kCoordination, "List" #Ts, kRead);                                      \
  Add(kCoordination, "Create" #T, kWrite,                                     \
      NameOf<cv1::Create##T##Request>(                                        \
          [](const auto& r) -> const std::string& { return r.parent(); },     \
          "parent"));                                                         \
  Add(kCoordination, "Update" #T, kWrite,                                     \
      NameOf<cv1::Update##T##Request>(                                        \
          [](const auto& r) -> const std::string& { return r.field().name(); }, \
          #field ".name"));                                                   \
  Add(kCoordination, "Delete" #T, kWrite,                                     \
      NameOf<cv1::Delete##T##Request>(                                        \
          [](const auto& r) -> const std::string& { return r.name(); },       \
          "name"));
  PALERMO_COORDINATION_WRITES(CoordinationBody, CoordinationBodies,
                              coordination_body)
  PALERMO_COORDINATION_WRITES(ActionPlan, ActionPlans, action_plan)
  PALERMO_COORDINATION_WRITES(ReferralMechanism, ReferralMechanisms,
                              referral_mechanism)
  PALERMO_COORDINATION_WRITES(TrainingActivity, TrainingActivities,
                              training_activity)
  PALERMO_COORDINATION_WRITES(AwarenessCampaign, AwarenessCampaigns,
                              awareness_campaign)
  PALERMO_COORDINATION_WRITES(CooperationActivity, CooperationActivities,
                              cooperation_activity)
#undef PALERMO_COORDINATION_WRITES

  // Reporting: the Secretariat runs cycles, writes narrative blocks and
  // publishes report versions; a response is its entity's. A generated
  // report is computed from public records: a read. Findings (the checks'
  // inconsistencies, missing answers) are for analysts (DOMAIN.md).
  for (const char* m :
       {"GetCycle", "ListCycles", "GetResponse", "ListResponses",
        "GetNarrativeBlock", "ListNarrativeBlocks", "GenerateReport",
        "GetReportVersion", "ListReportVersions", "WatchChanges"}) {
    Add(kReporting, m, kRead);
  }
  Add(kReporting, "ListFindings", Access::kSecretariatRead);
  for (const char* m :
       {"CreateCycle", "UpdateCycle", "DeleteCycle", "CreateNarrativeBlock",
        "UpdateNarrativeBlock", "DeleteNarrativeBlock",
        "CreateReportVersion"}) {
    Add(kReporting, m, kSecretariat);
  }
  Add(kReporting, "CreateResponse", kWrite,
      [](const google::protobuf::Message& m) -> Entities {
        auto r = As<rv1::CreateResponseRequest>(m);
        if (!r.ok()) return r.status();
        absl::StatusOr<std::string> entity =
            EntityOfName(r->response().entity(), "response.entity");
        if (!entity.ok()) return entity.status();
        return std::vector<std::string>{*std::move(entity)};
      });
  Add(kReporting, "UpdateResponse", kWrite,
      [this](const google::protobuf::Message& m) -> Entities {
        auto r = As<rv1::UpdateResponseRequest>(m);
        if (!r.ok()) return r.status();
        absl::StatusOr<std::string> entity =
            EntityOfResponse(entities_, r->response().name(), "response.name");
        if (!entity.ok()) return entity.status();
        return std::vector<std::string>{*std::move(entity)};
      });
  Add(kReporting, "DeleteResponse", kWrite,
      [this](const google::protobuf::Message& m) -> Entities {
        auto r = As<rv1::DeleteResponseRequest>(m);
        if (!r.ok()) return r.status();
        absl::StatusOr<std::string> entity =
            EntityOfResponse(entities_, r->name(), "name");
        if (!entity.ok()) return entity.status();
        return std::vector<std::string>{*std::move(entity)};
      });
}

void AccessPolicy::Add(absl::string_view service, absl::string_view method,
                       Access access, EntitiesOf entities) {
  rules_[absl::StrCat("/", service, "/", method)] =
      Rule{access, std::move(entities)};
}

std::optional<Access> AccessPolicy::AccessOf(
    absl::string_view full_method) const {
  auto it = rules_.find(full_method);
  if (it == rules_.end()) return std::nullopt;
  return it->second.access;
}

absl::Status AccessPolicy::AuthorizeMethod(
    const Principal& who, absl::string_view full_method) const {
  auto it = rules_.find(full_method);
  if (it == rules_.end()) {
    return absl::PermissionDeniedError(absl::StrCat(
        Abbreviate(full_method),
        " is not in the gateway's access policy: refused"));
  }
  if (!RoleMay(who.role, it->second.access)) {
    return RoleRefused(who, full_method, it->second.access);
  }
  return absl::OkStatus();
}

absl::Status AccessPolicy::Authorize(
    const Principal& who, absl::string_view full_method,
    const google::protobuf::Message& request) const {
  if (absl::Status s = AuthorizeMethod(who, full_method); !s.ok()) return s;
  const Rule& rule = rules_.find(full_method)->second;
  if (rule.access != Access::kEntityWrite || who.role != Role::kFocalPoint) {
    return absl::OkStatus();
  }
  if (who.entity.empty()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "a focal point without an entity may not call ", full_method));
  }
  const std::string of =
      absl::StrCat("focal point of ", Abbreviate(who.entity));
  absl::StatusOr<std::vector<std::string>> written = rule.entities(request);
  if (!written.ok()) {
    return absl::PermissionDeniedError(absl::StrCat(
        of, " may write only its own entity, and the entity ", full_method,
        " writes cannot be determined: ", written.status().message()));
  }
  std::vector<std::string> others;
  for (const std::string& entity : *written) {
    if (entity != who.entity &&
        std::find(others.begin(), others.end(), entity) == others.end()) {
      others.push_back(entity);
    }
  }
  if (others.empty()) return absl::OkStatus();
  constexpr size_t kNamed = 3;
  std::string named;
  for (size_t i = 0; i < std::min(others.size(), kNamed); ++i) {
    absl::StrAppend(&named, i == 0 ? "" : ", ", Abbreviate(others[i]));
  }
  if (others.size() > kNamed) {
    absl::StrAppend(&named, " and ", others.size() - kNamed, " more");
  }
  return absl::PermissionDeniedError(
      absl::StrCat(of, " may not write ", named));
}

std::vector<std::string> AccessPolicy::Methods() const {
  std::vector<std::string> out;
  for (const auto& [method, rule] : rules_) out.push_back(method);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace palermo::gateway
