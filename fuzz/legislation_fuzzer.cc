// libFuzzer target: the legislation service's request handling. An input
// is a method selector byte and that method's request as protobuf bytes,
// run through LegislationDomain on a SQLite store holding the reference
// dataset (reset every kResetEvery inputs, so that it stays small).
#include <memory>

#include "fuzz/fuzz_support.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/entities.h"
#include "services/legislation/legislation_domain.h"
#include "services/legislation/sqlite_legislation_store.h"

namespace palermo::fuzz {
namespace {

namespace v1 = legislation::v1;

using Service = FuzzedService<legislation::SqliteLegislationStore,
                              legislation::LegislationDomain>;
Service& Current() { return Service::Get(); }
legislation::LegislationDomain& Domain() { return *Current().domain; }

const MethodTable& Table() {
  static const MethodTable* table = new MethodTable(
      {v1::LegislationService::service_full_name()},
      {
          {"GetLegislation",
           Unary<v1::GetLegislationRequest>(
               [](const auto& r) { return Domain().Get(r); })},
          {"ListLegislations",
           Unary<v1::ListLegislationsRequest>(
               [](const auto& r) { return Domain().List(r); })},
          {"CreateLegislation",
           Unary<v1::CreateLegislationRequest>(
               [](const auto& r) { return Domain().Create(r, "fuzz"); })},
          {"UpdateLegislation",
           Unary<v1::UpdateLegislationRequest>(
               [](const auto& r) { return Domain().Update(r, "fuzz"); })},
          {"DeleteLegislation",
           Unary<v1::DeleteLegislationRequest>(
               [](const auto& r) { return Domain().Delete(r, "fuzz"); })},
          {"ListLegislationRevisions",
           Unary<v1::ListLegislationRevisionsRequest>(
               [](const auto& r) { return Domain().ListRevisions(r); })},
          {"WatchChanges",
           WatchChangesHandler([]() -> ChangeLog& {
             return Current().store->Changes();
           })},
      });
  return *table;
}

// Creates of the reference dataset, as palermo-load sends them.
std::vector<v1::CreateLegislationRequest> ReferenceCreates() {
  std::vector<v1::CreateLegislationRequest> out;
  for (auto& [stem, legislation] :
       ReadReference<v1::Legislation>("legislation")) {
    v1::CreateLegislationRequest request;
    request.set_parent(legislation.name().substr(
        0, legislation.name().size() - std::string("/legislation").size()));
    *request.mutable_legislation() = legislation;
    request.set_request_id(RequestIdFor("reference", stem));
    out.push_back(std::move(request));
  }
  return out;
}

void Reset() {
  Service& s = Current();
  s.Renew(
      "legislation.db",
      [](const std::string& path) {
        return legislation::SqliteLegislationStore::Open(path);
      },
      [](auto& store) {
        return std::make_unique<legislation::LegislationDomain>(
            store, Entities(), FuzzClock);
      });
  static const auto* creates =
      new std::vector<v1::CreateLegislationRequest>(ReferenceCreates());
  for (const auto& request : *creates) {
    Consume(s.domain->Create(request, "load"));
    CheckLastCallOk(request.parent());
  }
}

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  const MethodTable& t = Table();
  for (auto request : ReferenceCreates()) {
    seeds.push_back(Encode(t, "CreateLegislation", request));
    const std::string name = request.legislation().name();
    v1::GetLegislationRequest get;
    get.set_name(name);
    seeds.push_back(Encode(t, "GetLegislation", get));
    v1::UpdateLegislationRequest update;
    *update.mutable_legislation() = request.legislation();
    update.mutable_update_mask()->add_paths("protocol");
    update.set_request_id(RequestIdFor("update", name));
    seeds.push_back(Encode(t, "UpdateLegislation", update));
    v1::DeleteLegislationRequest del;
    del.set_name(name);
    seeds.push_back(Encode(t, "DeleteLegislation", del));
    v1::ListLegislationRevisionsRequest revisions;
    revisions.set_name(name);
    revisions.set_page_size(2);
    seeds.push_back(Encode(t, "ListLegislationRevisions", revisions));
  }
  for (const char* filter :
       {"", "protocol.status = RATIFIED", "penalties:*",
        "protection_laws.kind = WITNESS_OR_VICTIM_PROTECTION",
        "specific_law.status = DRAFT AND protocol.status != RATIFIED",
        "NOT (penalties.max_imprisonment_months > 60 OR -penalties:*)"}) {
    v1::ListLegislationsRequest list;
    list.set_filter(filter);
    list.set_page_size(3);
    seeds.push_back(Encode(t, "ListLegislations", list));
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
