// The reporting service (port 50056): reporting cycles, the responses
// received, narrative blocks, data-quality findings and the synthesis
// report generated from the four domains' facts
// (palermo.reporting.v1.ReportingService).
#include "absl/flags/flag.h"
#include "services/common/audit_log_factory.h"
#include "services/common/client.h"
#include "services/common/flags.h"
#include "services/common/server.h"
#include "services/common/record_store_factory.h"
#include "services/reporting/entity_names.h"
#include "services/reporting/grpc_fact_source.h"
#include "services/reporting/reporting_domain.h"
#include "services/reporting/reporting_schema.h"
#include "services/reporting/reporting_service.h"

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "reporting");
  // SQLite in --data_dir, or PostgreSQL (--store=postgres).
  auto store = OpenRecordStore("reporting", "reporting.db",
                               reporting::ReportingSchema());
  if (!store.ok()) return StartupFailed(store.status());
  auto audit = OpenAuditLog("reporting", "reporting.db");
  if (!audit.ok()) return StartupFailed(audit.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  auto names = reporting::EntityNames::LoadDefault(*entities);
  if (!names.ok()) return StartupFailed(names.status());
  reporting::GrpcFactSource facts(reporting::DomainChannels{
      MakeChannel(absl::GetFlag(FLAGS_legislation_address)),
      MakeChannel(absl::GetFlag(FLAGS_enforcement_address)),
      MakeChannel(absl::GetFlag(FLAGS_assistance_address)),
      MakeChannel(absl::GetFlag(FLAGS_coordination_address))});
  reporting::ReportingDomain domain(*store->store, *entities, *names, facts);
  reporting::ReportingServiceImpl service(domain, store->store->Changes());
  return Serve("127.0.0.1:50056",
               {{&service, reporting::v1::ReportingService::service_full_name(),
                 service.EndWatches()}},
               store->probe, {audit->get()});
}
