// The coordination service (port 50055): national coordination bodies,
// action plans, referral mechanisms, training, awareness campaigns,
// international cooperation and inter-agency groups
// (palermo.coordination.v1.CoordinationService).
#include "services/common/memory_change_log.h"
#include "services/common/records.h"
#include "services/common/server.h"
#include "services/coordination/coordination_domain.h"
#include "services/coordination/coordination_service.h"

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "coordination");
  auto path = DataFile("coordination.db");
  if (!path.ok()) return StartupFailed(path.status());
  auto store = SqliteRecordStore::Open(*path, coordination::AllCollections());
  if (!store.ok()) return StartupFailed(store.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  coordination::CoordinationDomain domain(**store, *entities);
  // TEMPORARY (branch i11-watch): an empty in-memory change log until the
  // store's own log (i11-store) is wired here at the merge.
  MemoryChangeLog changes;
  coordination::CoordinationServiceImpl service(domain, changes);
  return Serve(
      "127.0.0.1:50055",
      {{&service, coordination::v1::CoordinationService::service_full_name(),
        service.EndWatches()}});
}
