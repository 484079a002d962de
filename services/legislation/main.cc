// The legislation service: per reporting entity, its Protocol status and the
// laws it reported. Serves palermo.legislation.v1.LegislationService
// (port 50052). Its store is SQLite under --data_dir by default, or
// PostgreSQL with --store=postgres --postgres_dsn=... (store_flags.h).
#include <memory>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/common/flags.h"
#include "services/common/server.h"
#include "services/common/store_flags.h"
#include "services/legislation/legislation_domain.h"
#include "services/legislation/legislation_service.h"
#include "services/legislation/postgres_legislation_store.h"
#include "services/legislation/sqlite_legislation_store.h"

namespace palermo::legislation {
namespace {

// The store the flags name, or why it cannot be opened.
absl::StatusOr<std::unique_ptr<LegislationStore>> OpenStore() {
  absl::StatusOr<StoreKind> kind = StoreKindFromFlags();
  if (!kind.ok()) return kind.status();
  const int64_t retain = absl::GetFlag(FLAGS_change_log_retain);
  if (*kind == StoreKind::kPostgres) {
    const postgres::Options options = PostgresOptionsFromFlags("legislation");
    auto store = PostgresLegislationStore::Open(options, retain);
    if (!store.ok()) {
      return absl::Status(
          store.status().code(),
          absl::StrCat("cannot open the legislation store in PostgreSQL "
                       "schema ",
                       options.schema, ": ", store.status().message()));
    }
    return std::unique_ptr<LegislationStore>(*std::move(store));
  }
  auto path = DataFile("legislation.db");
  if (!path.ok()) return path.status();
  auto store = SqliteLegislationStore::Open(*path, retain);
  if (!store.ok()) return store.status();
  return std::unique_ptr<LegislationStore>(*std::move(store));
}

}  // namespace
}  // namespace palermo::legislation

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "legislation");
  auto store = legislation::OpenStore();
  if (!store.ok()) return StartupFailed(store.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  legislation::LegislationDomain domain(**store, *entities);
  legislation::LegislationServiceImpl service(domain);
  // Serve returns once the server has stopped: the store closes after it.
  return Serve(
      "127.0.0.1:50052",
      {{&service, legislation::v1::LegislationService::service_full_name()}});
}
