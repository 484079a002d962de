// The coordination service (port 50055): national coordination bodies,
// action plans, referral mechanisms, training, awareness campaigns,
// international cooperation and inter-agency groups
// (palermo.coordination.v1.CoordinationService).
#include "absl/flags/flag.h"
#include "services/common/audit_log_factory.h"
#include "services/common/flags.h"
#include "services/common/server.h"
#include "services/common/record_store_factory.h"
#include "services/coordination/coordination_domain.h"
#include "services/coordination/coordination_schema.h"
#include "services/coordination/coordination_service.h"

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "coordination");
  // SQLite in --data_dir, or PostgreSQL (--store=postgres).
  auto store = OpenRecordStore("coordination", "coordination.db",
                               coordination::CoordinationSchema());
  if (!store.ok()) return StartupFailed(store.status());
  auto audit = OpenAuditLog("coordination", "coordination.db");
  if (!audit.ok()) return StartupFailed(audit.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  coordination::CoordinationDomain domain(*store->store, *entities);
  coordination::CoordinationServiceImpl service(domain,
                                                store->store->Changes());
  return Serve(
      "127.0.0.1:50055",
      {{&service, coordination::v1::CoordinationService::service_full_name(),
        service.EndWatches()}},
      store->probe, {audit->get()});
}
