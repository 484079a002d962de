// The enforcement statistics service: figures States report, with their
// periods, breakdowns, status and source. Serves
// palermo.enforcement.v1.EnforcementService (port 50053), its data in
// SQLite (--data_dir, the default) or PostgreSQL (--store=postgres).
#include <memory>

#include "absl/flags/flag.h"
#include "services/common/flags.h"
#include "services/common/server.h"
#include "services/common/store_flags.h"
#include "services/enforcement/enforcement_domain.h"
#include "services/enforcement/enforcement_service.h"
#include "services/enforcement/postgres_enforcement_store.h"
#include "services/enforcement/sqlite_enforcement_store.h"

namespace {

absl::StatusOr<std::unique_ptr<palermo::enforcement::EnforcementStore>>
OpenStore() {
  using namespace palermo;
  absl::StatusOr<StoreKind> kind = StoreKindFromFlags();
  if (!kind.ok()) return kind.status();
  const ChangeLogOptions log{absl::GetFlag(FLAGS_change_log_retain)};
  if (*kind == StoreKind::kPostgres) {
    return enforcement::PostgresEnforcementStore::Open(
        PostgresOptionsFromFlags("enforcement"), log);
  }
  auto path = DataFile("enforcement.db");
  if (!path.ok()) return path.status();
  return enforcement::SqliteEnforcementStore::Open(*path, log);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "enforcement");
  auto store = OpenStore();
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
