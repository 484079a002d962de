// libFuzzer target: the coordination service's request handling. An input
// is a method selector byte and that method's request as protobuf bytes,
// run through CoordinationDomain on a SQLite record store holding the
// reference records (reset every kResetEvery inputs).
#include <google/protobuf/field_mask.pb.h>

#include <memory>

#include "fuzz/fuzz_support.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "services/common/entities.h"
#include "services/common/sqlite_record_store.h"
#include "services/coordination/coordination_domain.h"

namespace palermo::fuzz {
namespace {

namespace v1 = coordination::v1;
using google::protobuf::Message;

using Service =
    FuzzedService<SqliteRecordStore, coordination::CoordinationDomain>;
Service& Current() { return Service::Get(); }
coordination::CoordinationDomain& Domain() { return *Current().domain; }

#define PALERMO_FUZZ_UNARY(Rpc) \
  std::make_pair(               \
      std::string(#Rpc),        \
      Unary<v1::Rpc##Request>([](const auto& r) { return Domain().Rpc(r); }))
#define PALERMO_FUZZ_STANDARD(T, Ts)                                \
  PALERMO_FUZZ_UNARY(Get##T), PALERMO_FUZZ_UNARY(List##Ts),         \
      PALERMO_FUZZ_UNARY(Create##T), PALERMO_FUZZ_UNARY(Update##T), \
      PALERMO_FUZZ_UNARY(Delete##T)

const MethodTable& Table() {
  static const MethodTable* table = new MethodTable(
      {v1::CoordinationService::service_full_name()},
      {
          PALERMO_FUZZ_STANDARD(CoordinationBody, CoordinationBodies),
          PALERMO_FUZZ_STANDARD(ActionPlan, ActionPlans),
          PALERMO_FUZZ_STANDARD(ReferralMechanism, ReferralMechanisms),
          PALERMO_FUZZ_STANDARD(TrainingActivity, TrainingActivities),
          PALERMO_FUZZ_STANDARD(AwarenessCampaign, AwarenessCampaigns),
          PALERMO_FUZZ_STANDARD(CooperationActivity, CooperationActivities),
          PALERMO_FUZZ_STANDARD(InterAgencyGroup, InterAgencyGroups),
          PALERMO_FUZZ_UNARY(FindEntities),
          PALERMO_FUZZ_UNARY(ListCooperationPartners),
          PALERMO_FUZZ_UNARY(SummarizeTraining),
          PALERMO_FUZZ_UNARY(GetEntityCoordination),
          {"WatchChanges",
           WatchChangesHandler([]() -> ChangeLog& {
             return Current().store->Changes();
           })},
      });
  return *table;
}
#undef PALERMO_FUZZ_STANDARD
#undef PALERMO_FUZZ_UNARY

// A request of the RPC `method` with the string fields in `strings` and
// the message field `record_field` set to `record`, built by reflection so
// that one function serves the seven resource types.
std::string Request(
    const std::string& method,
    const std::vector<std::pair<std::string, std::string>>& strings,
    const std::string& record_field = "", const Message* record = nullptr,
    const std::string& mask = "") {
  const auto* rpc =
      google::protobuf::DescriptorPool::generated_pool()
          ->FindServiceByName(v1::CoordinationService::service_full_name())
          ->FindMethodByName(method);
  std::unique_ptr<Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(rpc->input_type())
          ->New());
  const auto* reflection = request->GetReflection();
  for (const auto& [field, value] : strings) {
    const auto* f = rpc->input_type()->FindFieldByName(field);
    if (f != nullptr) reflection->SetString(request.get(), f, value);
  }
  if (record != nullptr) {
    reflection
        ->MutableMessage(request.get(),
                         rpc->input_type()->FindFieldByName(record_field))
        ->CopyFrom(*record);
  }
  if (!mask.empty()) {
    auto* field_mask =
        static_cast<google::protobuf::FieldMask*>(reflection->MutableMessage(
            request.get(), rpc->input_type()->FindFieldByName("update_mask")));
    field_mask->add_paths(mask);
  }
  return Encode(Table(), method, *request);
}

// Every record of the reference dataset with its RPC type name, list field
// of EntityCoordination and URL segment.
struct Kind {
  const char* type;        // CoordinationBody
  const char* plural;      // CoordinationBodies
  const char* list_field;  // coordination_bodies (EntityCoordination)
  const char* field;       // coordination_body (requests)
  const char* segment;     // coordinationBodies (names)
};
constexpr Kind kKinds[] = {
    {"CoordinationBody", "CoordinationBodies", "coordination_bodies",
     "coordination_body", "coordinationBodies"},
    {"ActionPlan", "ActionPlans", "action_plans", "action_plan", "actionPlans"},
    {"ReferralMechanism", "ReferralMechanisms", "referral_mechanisms",
     "referral_mechanism", "referralMechanisms"},
    {"TrainingActivity", "TrainingActivities", "training_activities",
     "training_activity", "trainingActivities"},
    {"AwarenessCampaign", "AwarenessCampaigns", "awareness_campaigns",
     "awareness_campaign", "awarenessCampaigns"},
    {"CooperationActivity", "CooperationActivities", "cooperation_activities",
     "cooperation_activity", "cooperationActivities"},
    {"InterAgencyGroup", "InterAgencyGroups", "inter_agency_groups",
     "inter_agency_group", "interAgencyGroups"},
};

// Create requests of the reference dataset, as palermo-load sends them,
// then reads and writes of each record.
std::vector<std::string> ReferenceCalls(bool creates_only) {
  std::vector<std::string> out;
  for (auto& [stem, file] :
       ReadReference<v1::EntityCoordination>("coordination")) {
    const auto* reflection = file.GetReflection();
    for (const Kind& kind : kKinds) {
      const auto* list = file.GetDescriptor()->FindFieldByName(kind.list_field);
      for (int i = 0; i < reflection->FieldSize(file, list); ++i) {
        const Message& original = reflection->GetRepeatedMessage(file, list, i);
        std::unique_ptr<Message> record(original.New());
        record->CopyFrom(original);
        const auto* name_field =
            record->GetDescriptor()->FindFieldByName("name");
        const std::string name =
            record->GetReflection()->GetString(*record, name_field);
        record->GetReflection()->ClearField(record.get(), name_field);
        auto [parent, id] = ParentAndId(name, kind.segment);
        const std::string type = kind.type;
        out.push_back(Request("Create" + type,
                              {{"parent", parent},
                               {std::string(kind.field) + "_id", id},
                               {"request_id", RequestIdFor("reference", name)}},
                              kind.field, record.get()));
        if (creates_only) continue;
        out.push_back(Request("Get" + type, {{"name", name}}));
        record->GetReflection()->SetString(record.get(), name_field, name);
        out.push_back(Request("Update" + type,
                              {{"request_id", RequestIdFor("u", name)}},
                              kind.field, record.get(), "sources"));
        out.push_back(Request("Delete" + type, {{"name", name}}));
        out.push_back(
            Request(std::string("List") + kind.plural, {{"parent", parent}}));
      }
    }
  }
  return out;
}

void Reset() {
  Service& s = Current();
  s.Renew(
      "coordination.db",
      [](const std::string& path) {
        return SqliteRecordStore::Open(path,
                                       coordination::CoordinationSchema());
      },
      [](auto& store) {
        return std::make_unique<coordination::CoordinationDomain>(
            store, Entities(), FuzzClock);
      });
  static const auto* creates =
      new std::vector<std::string>(ReferenceCalls(true));
  for (const auto& call : *creates) {
    (void)Table().Run(reinterpret_cast<const uint8_t*>(call.data()),
                      call.size());
    CheckLastCallOk("a coordination record");
  }
}

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds = ReferenceCalls(false);
  const MethodTable& t = Table();
  for (const auto& [kind, filter] :
       std::vector<std::pair<v1::ResourceKind, std::string>>{
           {v1::RESOURCE_KIND_COORDINATION_BODY,
            "special_national_mechanism = true"},
           {v1::RESOURCE_KIND_COORDINATION_BODY, "kind = NATIONAL_RAPPORTEUR"},
           {v1::RESOURCE_KIND_ACTION_PLAN, ""},
           {v1::RESOURCE_KIND_TRAINING_ACTIVITY, "audiences:*"}}) {
    v1::FindEntitiesRequest find;
    find.set_kind(kind);
    find.set_filter(filter);
    if (kind == v1::RESOURCE_KIND_ACTION_PLAN) find.set_in_force_year(2007);
    seeds.push_back(Encode(t, "FindEntities", find));
  }
  for (const char* entity : {"countries/HUN", "countries/DEU"}) {
    v1::ListCooperationPartnersRequest partners;
    partners.set_entity(entity);
    seeds.push_back(Encode(t, "ListCooperationPartners", partners));
    v1::GetEntityCoordinationRequest coordination;
    coordination.set_entity(entity);
    seeds.push_back(Encode(t, "GetEntityCoordination", coordination));
  }
  v1::ListCooperationPartnersRequest partners;
  partners.set_entity("countries/HUN");
  partners.set_filter("kind = JOINT_INVESTIGATION");
  seeds.push_back(Encode(t, "ListCooperationPartners", partners));
  v1::SummarizeTrainingRequest training;
  training.set_parent("-");
  seeds.push_back(Encode(t, "SummarizeTraining", training));
  training.set_year(2006);
  seeds.push_back(Encode(t, "SummarizeTraining", training));
  return seeds;
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return palermo::fuzz::Current().Run(palermo::fuzz::Table(),
                                      palermo::fuzz::Reset, data, size);
}
