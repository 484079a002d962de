// libFuzzer target: the victim assistance service's request handling, both
// AssistanceService (assistance.proto) and CaseRecordService
// (case_records.proto, served apart; fuzzed past its case-worker check,
// straight into the domain). An input is a method selector
// byte and that method's request as protobuf bytes, run through
// AssistanceDomain on a SQLite store holding the reference measures and a
// few dozen synthetic case records (reset every kResetEvery inputs).
#include <memory>

#include "fuzz/fuzz_support.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/assistance/v1/case_records.grpc.pb.h"
#include "services/assistance/assistance_domain.h"
#include "services/assistance/sqlite_assistance_store.h"
#include "services/common/entities.h"

namespace palermo::fuzz {
namespace {

namespace v1 = assistance::v1;

using Service = FuzzedService<assistance::SqliteAssistanceStore,
                              assistance::AssistanceDomain>;
Service& Current() { return Service::Get(); }
assistance::AssistanceDomain& Domain() { return *Current().domain; }

#define PALERMO_FUZZ_UNARY(Rpc, Request, Call)                             \
  std::make_pair(std::string(#Rpc), Unary<v1::Request>([](const auto& r) { \
                   return Domain().Call(r);                                \
                 }))

const MethodTable& Table() {
  static const MethodTable* table = new MethodTable(
      {v1::AssistanceService::service_full_name(),
       v1::CaseRecordService::service_full_name()},
      {
          PALERMO_FUZZ_UNARY(ListMeasureTypes, ListMeasureTypesRequest,
                             ListMeasureTypes),
          PALERMO_FUZZ_UNARY(CreateMeasureType, CreateMeasureTypeRequest,
                             CreateMeasureType),
          PALERMO_FUZZ_UNARY(GetMeasure, GetMeasureRequest, GetMeasure),
          PALERMO_FUZZ_UNARY(ListMeasures, ListMeasuresRequest, ListMeasures),
          PALERMO_FUZZ_UNARY(CreateMeasure, CreateMeasureRequest,
                             CreateMeasure),
          PALERMO_FUZZ_UNARY(UpdateMeasure, UpdateMeasureRequest,
                             UpdateMeasure),
          PALERMO_FUZZ_UNARY(DeleteMeasure, DeleteMeasureRequest,
                             DeleteMeasure),
          PALERMO_FUZZ_UNARY(CompareEntities, CompareEntitiesRequest,
                             CompareEntities),
          PALERMO_FUZZ_UNARY(AggregateCases, AggregateCasesRequest,
                             AggregateCases),
          PALERMO_FUZZ_UNARY(CreateCaseRecord, CreateCaseRecordRequest,
                             CreateCase),
          PALERMO_FUZZ_UNARY(GetCaseRecord, GetCaseRecordRequest, GetCase),
          PALERMO_FUZZ_UNARY(ListCaseRecords, ListCaseRecordsRequest,
                             ListCases),
          PALERMO_FUZZ_UNARY(UpdateCaseRecord, UpdateCaseRecordRequest,
                             UpdateCase),
          PALERMO_FUZZ_UNARY(DeleteCaseRecord, DeleteCaseRecordRequest,
                             DeleteCase),
          PALERMO_FUZZ_UNARY(CreateCaseRelease, CreateCaseReleaseRequest,
                             CreateCaseRelease),
          {"WatchChanges",
           WatchChangesHandler([]() -> ChangeLog& {
             return Current().store->Changes();
           })},
      });
  return *table;
}
#undef PALERMO_FUZZ_UNARY

std::vector<v1::CreateMeasureRequest> ReferenceCreates() {
  std::vector<v1::CreateMeasureRequest> out;
  for (auto& [stem, file] :
       ReadReference<v1::ListMeasuresResponse>("assistance")) {
    for (const auto& measure : file.measures()) {
      auto [parent, id] = ParentAndId(measure.name(), "measures");
      v1::CreateMeasureRequest request;
      request.set_parent(parent);
      request.set_measure_id(id);
      *request.mutable_measure() = measure;
      request.mutable_measure()->clear_name();
      request.set_request_id(RequestIdFor("reference", measure.name()));
      out.push_back(std::move(request));
    }
  }
  return out;
}

// Enough cases for AggregateCases to publish some cells and hide others.
std::vector<v1::CreateCaseRecordRequest> SyntheticCases() {
  std::vector<v1::CreateCaseRecordRequest> out;
  const char* entities[] = {"countries/ROU", "countries/LVA", "countries/HRV"};
  const char* citizenships[] = {"MDA", "UKR", "ROU"};
  for (int i = 0; i < 40; ++i) {
    v1::CreateCaseRecordRequest request;
    v1::CaseRecord* c = request.mutable_case_record();
    c->set_entity(entities[i % 3]);
    c->set_gender(i % 4 == 0 ? v1::GENDER_MALE : v1::GENDER_FEMALE);
    c->set_age_group(i % 5 == 0 ? v1::CASE_AGE_GROUP_CHILD
                                : v1::CASE_AGE_GROUP_ADULT);
    c->set_citizenship(citizenships[i % 7 % 3]);
    c->add_exploitation_forms(
        i % 2 == 0 ? common::v1::EXPLOITATION_FORM_SEXUAL_EXPLOITATION
                   : common::v1::EXPLOITATION_FORM_FORCED_LABOUR);
    c->set_referral_source(v1::REFERRAL_SOURCE_NGO);
    request.set_request_id("case-" + std::to_string(i));
    out.push_back(std::move(request));
  }
  return out;
}

void Reset() {
  Service& s = Current();
  s.Renew(
      "assistance.db",
      [](const std::string& path) {
        return assistance::SqliteAssistanceStore::Open(path);
      },
      [](auto& store) {
        return std::make_unique<assistance::AssistanceDomain>(
            store, Entities(), assistance::kDefaultK, FuzzClock);
      });
  static const auto* creates =
      new std::vector<v1::CreateMeasureRequest>(ReferenceCreates());
  static const auto* cases =
      new std::vector<v1::CreateCaseRecordRequest>(SyntheticCases());
  for (const auto& request : *creates) {
    Consume(s.domain->CreateMeasure(request));
    CheckLastCallOk(request.request_id());
  }
  for (const auto& request : *cases) {
    Consume(s.domain->CreateCase(request));
    CheckLastCallOk(request.request_id());
  }
  // A first release, so that AggregateCases serves cells from the start.
  v1::CreateCaseReleaseRequest release;
  release.set_request_id("release-1");
  Consume(s.domain->CreateCaseRelease(release));
  CheckLastCallOk(release.request_id());
}

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  const MethodTable& t = Table();
  for (const auto& request : ReferenceCreates()) {
    seeds.push_back(Encode(t, "CreateMeasure", request));
    const std::string name =
        request.parent() + "/measures/" + request.measure_id();
    v1::GetMeasureRequest get;
    get.set_name(name);
    seeds.push_back(Encode(t, "GetMeasure", get));
    v1::UpdateMeasureRequest update;
    *update.mutable_measure() = request.measure();
    update.mutable_measure()->set_name(name);
    update.mutable_update_mask()->add_paths("notes");
    seeds.push_back(Encode(t, "UpdateMeasure", update));
    v1::DeleteMeasureRequest del;
    del.set_name(name);
    del.set_request_id(RequestIdFor("delete", name));
    seeds.push_back(Encode(t, "DeleteMeasure", del));
  }
  for (const char* filter : {"", "measure_type = \"TEMPORARY_RESIDENCE\"",
                             "measure_type = \"TEMPORARY_RESIDENCE\" AND "
                             "conditional_on_cooperation = false",
                             "providers:* OR NOT provided = true"}) {
    v1::ListMeasuresRequest list;
    list.set_parent("-");
    list.set_filter(filter);
    list.set_page_size(4);
    seeds.push_back(Encode(t, "ListMeasures", list));
  }
  v1::CompareEntitiesRequest compare;
  compare.add_entities("countries/LVA");
  compare.add_entities("countries/ROU");
  compare.add_measure_types("TEMPORARY_RESIDENCE");
  compare.add_measure_types("REFLECTION_PERIOD");
  seeds.push_back(Encode(t, "CompareEntities", compare));
  v1::ListMeasureTypesRequest types;
  types.set_page_size(5);
  seeds.push_back(Encode(t, "ListMeasureTypes", types));
  v1::CreateMeasureTypeRequest type;
  type.mutable_measure_type()->set_code("HOTLINE");
  type.mutable_measure_type()->set_display_name("Hotline");
  seeds.push_back(Encode(t, "CreateMeasureType", type));
  for (const auto& request : SyntheticCases()) {
    seeds.push_back(Encode(t, "CreateCaseRecord", request));
  }
  v1::ListCaseRecordsRequest cases;
  cases.set_filter("gender = FEMALE");
  seeds.push_back(Encode(t, "ListCaseRecords", cases));
  v1::GetCaseRecordRequest get_case;
  get_case.set_name("cases/1");
  seeds.push_back(Encode(t, "GetCaseRecord", get_case));
  v1::UpdateCaseRecordRequest update_case;
  *update_case.mutable_case_record() = SyntheticCases()[0].case_record();
  update_case.mutable_update_mask()->add_paths("gender");
  seeds.push_back(Encode(t, "UpdateCaseRecord", update_case));
  v1::DeleteCaseRecordRequest delete_case;
  delete_case.set_name("cases/1");
  seeds.push_back(Encode(t, "DeleteCaseRecord", delete_case));
  for (auto dims : std::vector<std::vector<v1::CaseDimension>>{
           {v1::CASE_DIMENSION_ENTITY},
           {v1::CASE_DIMENSION_ENTITY, v1::CASE_DIMENSION_GENDER},
           {v1::CASE_DIMENSION_AGE_GROUP, v1::CASE_DIMENSION_CITIZENSHIP}}) {
    v1::AggregateCasesRequest aggregate;
    for (auto d : dims) aggregate.add_group_by(d);
    seeds.push_back(Encode(t, "AggregateCases", aggregate));
  }
  return seeds;
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return palermo::fuzz::Current().Run(palermo::fuzz::Table(),
                                      palermo::fuzz::Reset, data, size);
}
