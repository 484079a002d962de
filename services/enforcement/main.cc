// The enforcement statistics service: figures States report, with their
// periods, breakdowns, status and source. Serves
// palermo.enforcement.v1.EnforcementService (port 50053), its data in
// SQLite (--data_dir, the default) or PostgreSQL (--store=postgres).
#include <memory>

#include "absl/flags/flag.h"
#include "services/common/audit_log_factory.h"
#include "services/common/flags.h"
#include "services/common/record_store_factory.h"
#include "services/common/server.h"
#include "services/common/store_flags.h"
#include "services/enforcement/enforcement_domain.h"
#include "services/enforcement/enforcement_service.h"
#include "services/enforcement/postgres_enforcement_store.h"
#include "services/enforcement/sqlite_enforcement_store.h"

namespace palermo::enforcement {
namespace {

struct OpenedStore {
  std::unique_ptr<EnforcementStore> store;
  HealthProbe probe;  // null for SQLite
};

// The store the flags choose, or why it cannot be opened.
absl::StatusOr<OpenedStore> OpenStore() {
  absl::StatusOr<StoreChoice> choice =
      ChooseStore("enforcement", "enforcement.db");
  if (!choice.ok()) return choice.status();
  const ChangeLogOptions log{absl::GetFlag(FLAGS_change_log_retain)};
  OpenedStore opened;
  if (choice->kind == StoreKind::kSqlite) {
    auto store = SqliteEnforcementStore::Open(choice->sqlite_path, log);
    if (!store.ok()) return store.status();
    opened.store = *std::move(store);
    return opened;
  }
  auto store = PostgresEnforcementStore::Open(PostgresOptions(*choice), log);
  if (!store.ok()) return store.status();
  PostgresEnforcementStore* postgres = store->get();
  opened.probe = [postgres] { return postgres->Ping(); };
  opened.store = *std::move(store);
  return opened;
}

}  // namespace
}  // namespace palermo::enforcement

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "enforcement");
  auto store = enforcement::OpenStore();
  if (!store.ok()) return StartupFailed(store.status());
  auto audit = OpenAuditLog("enforcement", "enforcement.db");
  if (!audit.ok()) return StartupFailed(audit.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  enforcement::EnforcementDomain domain(*store->store, *entities);
  enforcement::EnforcementServiceImpl service(domain, store->store->Changes());
  // Serve returns once the server has stopped: the store closes after it.
  return Serve(
      "127.0.0.1:50053",
      {{&service, enforcement::v1::EnforcementService::service_full_name(),
        service.EndWatches()}},
      store->probe, {audit->get()});
}
