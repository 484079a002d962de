// The enforcement statistics service: figures States report, with their
// periods, breakdowns, status and source. Serves
// palermo.enforcement.v1.EnforcementService (port 50053).
#include "services/common/memory_change_log.h"
#include "services/common/server.h"
#include "services/enforcement/enforcement_domain.h"
#include "services/enforcement/enforcement_service.h"
#include "services/enforcement/sqlite_enforcement_store.h"

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "enforcement");
  auto path = DataFile("enforcement.db");
  if (!path.ok()) return StartupFailed(path.status());
  auto store = enforcement::SqliteEnforcementStore::Open(*path);
  if (!store.ok()) return StartupFailed(store.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  enforcement::EnforcementDomain domain(**store, *entities);
  // TEMPORARY (branch i11-watch): an empty in-memory change log until the
  // store's own log (i11-store) is wired here at the merge.
  MemoryChangeLog changes;
  enforcement::EnforcementServiceImpl service(domain, changes);
  // Serve returns once the server has stopped: the store closes after it.
  return Serve(
      "127.0.0.1:50053",
      {{&service, enforcement::v1::EnforcementService::service_full_name(),
        service.EndWatches()}});
}
