// libFuzzer target: the enforcement statistics service's request handling.
// An input is a method selector byte and that method's request as protobuf
// bytes (ImportObservations: one message of the stream), run through
// EnforcementDomain on a SQLite store holding the reference figures (reset
// every kResetEvery inputs).
#include <memory>

#include "fuzz/fuzz_support.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "services/common/entities.h"
#include "services/enforcement/enforcement_domain.h"
#include "services/enforcement/sdmx_csv.h"
#include "services/enforcement/sqlite_enforcement_store.h"

namespace palermo::fuzz {
namespace {

namespace v1 = enforcement::v1;

using Service = FuzzedService<enforcement::SqliteEnforcementStore,
                              enforcement::EnforcementDomain>;
Service& Current() { return Service::Get(); }
enforcement::EnforcementDomain& Domain() { return *Current().domain; }

// ImportObservations is a client stream: one message is a whole stream.
bool Import(absl::string_view bytes) {
  v1::ImportObservationsRequest request;
  if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return false;
  std::vector<v1::Observation> rows(request.observations().begin(),
                                    request.observations().end());
  Consume(Domain().Import(request.request_id(), std::move(rows)));
  return true;
}

// ExportSdmxCsv is a server stream: the sink takes a few chunks, then goes
// away as a client may.
bool Export(absl::string_view bytes) {
  v1::ExportSdmxCsvRequest request;
  if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return false;
  int chunks = 0;
  Consume(Domain().ExportSdmxCsv(request, [&chunks](std::string chunk) {
    v1::ExportSdmxCsvResponse response;
    response.set_chunk(std::move(chunk));
    (void)response.SerializeAsString();
    return ++chunks < 8;
  }));
  return true;
}

#define PALERMO_FUZZ_UNARY(Rpc, Request, Call)                             \
  std::make_pair(std::string(#Rpc), Unary<v1::Request>([](const auto& r) { \
                   return Domain().Call(r);                                \
                 }))

const MethodTable& Table() {
  static const MethodTable* table = new MethodTable(
      {v1::EnforcementService::service_full_name()},
      {
          PALERMO_FUZZ_UNARY(ListIndicators, ListIndicatorsRequest,
                             ListIndicators),
          PALERMO_FUZZ_UNARY(CreateIndicator, CreateIndicatorRequest,
                             CreateIndicator),
          PALERMO_FUZZ_UNARY(GetObservation, GetObservationRequest, Get),
          PALERMO_FUZZ_UNARY(ListObservations, ListObservationsRequest, List),
          PALERMO_FUZZ_UNARY(UpsertObservation, UpsertObservationRequest,
                             Upsert),
          {"ImportObservations", Import},
          PALERMO_FUZZ_UNARY(ListObservationRevisions,
                             ListObservationRevisionsRequest, ListRevisions),
          PALERMO_FUZZ_UNARY(GetSeries, GetSeriesRequest, GetSeries),
          PALERMO_FUZZ_UNARY(Aggregate, AggregateRequest, Aggregate),
          PALERMO_FUZZ_UNARY(ComputeChange, ComputeChangeRequest,
                             ComputeChange),
          PALERMO_FUZZ_UNARY(ComputeRatio, ComputeRatioRequest, ComputeRatio),
          PALERMO_FUZZ_UNARY(GetCoverage, GetCoverageRequest, GetCoverage),
          {"ExportSdmxCsv", Export},
          PALERMO_FUZZ_UNARY(ImportSdmxCsv, ImportSdmxCsvRequest,
                             ImportSdmxCsv),
          {"WatchChanges",
           WatchChangesHandler([]() -> ChangeLog& {
             return Current().store->Changes();
           })},
      });
  return *table;
}
#undef PALERMO_FUZZ_UNARY

std::vector<v1::ImportObservationsRequest> ReferenceImports() {
  std::vector<v1::ImportObservationsRequest> out;
  for (auto& [stem, request] :
       ReadReference<v1::ImportObservationsRequest>("enforcement")) {
    request.set_request_id(RequestIdFor("reference", stem));
    out.push_back(std::move(request));
  }
  return out;
}

void Reset() {
  Service& s = Current();
  s.Renew(
      "enforcement.db",
      [](const std::string& path) {
        return enforcement::SqliteEnforcementStore::Open(path);
      },
      [](auto& store) {
        return std::make_unique<enforcement::EnforcementDomain>(
            store, Entities(), FuzzClock);
      });
  static const auto* imports =
      new std::vector<v1::ImportObservationsRequest>(ReferenceImports());
  for (const auto& request : *imports) {
    Consume(s.domain->Import(
        request.request_id(),
        {request.observations().begin(), request.observations().end()}));
    CheckLastCallOk(request.request_id());
  }
}

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  const MethodTable& t = Table();
  std::string csv = enforcement::SdmxCsvHeader();
  for (const auto& request : ReferenceImports()) {
    seeds.push_back(Encode(t, "ImportObservations", request));
    if (request.observations().empty()) continue;
    const v1::Observation& o = request.observations(0);
    for (const auto& row : request.observations()) {
      csv += enforcement::SdmxCsvLine(row);
    }
    v1::UpsertObservationRequest upsert;
    *upsert.mutable_observation() = o;
    upsert.set_request_id(RequestIdFor("upsert", o.entity()));
    seeds.push_back(Encode(t, "UpsertObservation", upsert));
    v1::GetObservationRequest get;
    get.set_name(enforcement::EnforcementDomain::NameOf(o));
    seeds.push_back(Encode(t, "GetObservation", get));
    v1::ListObservationRevisionsRequest revisions;
    revisions.set_name(get.name());
    seeds.push_back(Encode(t, "ListObservationRevisions", revisions));
    v1::GetSeriesRequest series;
    series.set_entity(o.entity());
    series.set_indicator(o.indicator());
    seeds.push_back(Encode(t, "GetSeries", series));
    v1::AggregateRequest aggregate;
    aggregate.set_indicator(o.indicator());
    aggregate.add_entities(o.entity());
    *aggregate.mutable_window() = o.period();
    aggregate.add_group_by(v1::DIMENSION_ENTITY);
    aggregate.add_group_by(v1::DIMENSION_SEX);
    seeds.push_back(Encode(t, "Aggregate", aggregate));
    v1::ComputeChangeRequest change;
    change.set_entity(o.entity());
    change.set_indicator(o.indicator());
    *change.mutable_from_period() = o.period();
    *change.mutable_to_period() =
        request.observations(request.observations_size() - 1).period();
    seeds.push_back(Encode(t, "ComputeChange", change));
    v1::ComputeRatioRequest ratio;
    ratio.set_entity(o.entity());
    ratio.set_numerator("CONVICTIONS");
    ratio.set_denominator(o.indicator());
    *ratio.mutable_period() = o.period();
    seeds.push_back(Encode(t, "ComputeRatio", ratio));
    v1::ListObservationsRequest list;
    list.set_parent(o.entity());
    list.set_filter("indicator = \"" + o.indicator() + "\"");
    *list.mutable_overlaps() = o.period();
    list.set_page_size(2);
    seeds.push_back(Encode(t, "ListObservations", list));
  }
  v1::ImportSdmxCsvRequest import_csv;
  import_csv.set_csv(csv);
  import_csv.set_request_id("csv");
  seeds.push_back(Encode(t, "ImportSdmxCsv", import_csv));
  v1::ExportSdmxCsvRequest export_csv;
  export_csv.set_parent("-");
  seeds.push_back(Encode(t, "ExportSdmxCsv", export_csv));
  v1::GetCoverageRequest coverage;
  coverage.add_entities("countries/HRV");
  seeds.push_back(Encode(t, "GetCoverage", coverage));
  v1::ListIndicatorsRequest indicators;
  indicators.set_page_size(5);
  seeds.push_back(Encode(t, "ListIndicators", indicators));
  v1::CreateIndicatorRequest indicator;
  indicator.mutable_indicator()->set_code("SHELTER_PLACES");
  indicator.mutable_indicator()->set_display_name("Shelter places");
  seeds.push_back(Encode(t, "CreateIndicator", indicator));
  return seeds;
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return palermo::fuzz::Current().Run(palermo::fuzz::Table(),
                                      palermo::fuzz::Reset, data, size);
}
