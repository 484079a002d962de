// The legislation service: per reporting entity, its Protocol status and the
// laws it reported. Serves palermo.legislation.v1.LegislationService
// (port 50052). Its store is the one the store flags choose
// (store_flags.h): SQLite in --data_dir by default, or PostgreSQL with
// --store=postgres --postgres_dsn=..., health then following the database.
#include <memory>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/common/audit_log_factory.h"
#include "services/common/flags.h"
#include "services/common/record_store_factory.h"
#include "services/common/server.h"
#include "services/common/store_flags.h"
#include "services/legislation/legislation_domain.h"
#include "services/legislation/legislation_service.h"
#include "services/legislation/postgres_legislation_store.h"
#include "services/legislation/sqlite_legislation_store.h"

namespace palermo::legislation {
namespace {

struct OpenedStore {
  std::unique_ptr<LegislationStore> store;
  HealthProbe probe;  // null for SQLite
};

// The store the flags choose, or why it cannot be opened.
absl::StatusOr<OpenedStore> OpenStore() {
  absl::StatusOr<StoreChoice> choice =
      ChooseStore("legislation", "legislation.db");
  if (!choice.ok()) return choice.status();
  const int64_t retain = absl::GetFlag(FLAGS_change_log_retain);
  OpenedStore opened;
  if (choice->kind == StoreKind::kSqlite) {
    auto store = SqliteLegislationStore::Open(choice->sqlite_path, retain);
    if (!store.ok()) return store.status();
    opened.store = *std::move(store);
    return opened;
  }
  auto store = PostgresLegislationStore::Open(PostgresOptions(*choice), retain);
  if (!store.ok()) {
    return absl::Status(
        store.status().code(),
        absl::StrCat("cannot open the legislation store in PostgreSQL schema ",
                     choice->postgres_schema, ": ", store.status().message()));
  }
  PostgresLegislationStore* postgres = store->get();
  opened.probe = [postgres] { return postgres->Ping(); };
  opened.store = *std::move(store);
  return opened;
}

}  // namespace
}  // namespace palermo::legislation

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "legislation");
  auto store = legislation::OpenStore();
  if (!store.ok()) return StartupFailed(store.status());
  auto audit = OpenAuditLog("legislation", "legislation.db");
  if (!audit.ok()) return StartupFailed(audit.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  legislation::LegislationDomain domain(*store->store, *entities);
  legislation::LegislationServiceImpl service(domain, store->store->Changes());
  // Serve returns once the server has stopped: the store closes after it.
  return Serve(
      "127.0.0.1:50052",
      {{&service, legislation::v1::LegislationService::service_full_name(),
        service.EndWatches()}},
      store->probe, {audit->get()});
}
