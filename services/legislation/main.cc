// The legislation service: per reporting entity, its Protocol status and the
// laws it reported. Serves palermo.legislation.v1.LegislationService
// (port 50052).
#include "services/common/memory_change_log.h"
#include "services/common/server.h"
#include "services/legislation/legislation_domain.h"
#include "services/legislation/legislation_service.h"
#include "services/legislation/sqlite_legislation_store.h"

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "legislation");
  auto path = DataFile("legislation.db");
  if (!path.ok()) return StartupFailed(path.status());
  auto store = legislation::SqliteLegislationStore::Open(*path);
  if (!store.ok()) return StartupFailed(store.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  legislation::LegislationDomain domain(**store, *entities);
  // TEMPORARY (branch i11-watch): an empty in-memory change log until the
  // store's own log (i11-store) is wired here at the merge.
  MemoryChangeLog changes;
  legislation::LegislationServiceImpl service(domain, changes);
  // Serve returns once the server has stopped: the store closes after it.
  return Serve(
      "127.0.0.1:50052",
      {{&service, legislation::v1::LegislationService::service_full_name(),
        service.EndWatches()}});
}
