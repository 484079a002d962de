// The enforcement statistics service: figures States report, with their
// periods, breakdowns, status and source. Serves
// palermo.enforcement.v1.EnforcementService (port 50053).
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
  enforcement::EnforcementServiceImpl service(domain);
  // Serve returns once the server has stopped: the store closes after it.
  return Serve(
      "127.0.0.1:50053",
      {{&service, enforcement::v1::EnforcementService::service_full_name()}});
}
