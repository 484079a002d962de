// Which store a service keeps its data in, from the common flags: --store
// (sqlite, the default, or postgres), and for PostgreSQL --postgres_dsn,
// --postgres_schema (default: the service's name) and --postgres_pool_size.
// Each service's main.cc opens its own store from these.
#ifndef PALERMO_SERVICES_COMMON_STORE_FLAGS_H_
#define PALERMO_SERVICES_COMMON_STORE_FLAGS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/postgres.h"

namespace palermo {

enum class StoreKind { kSqlite, kPostgres };

// INVALID_ARGUMENT naming the flag: --store neither sqlite nor postgres, or
// postgres without --postgres_dsn.
absl::StatusOr<StoreKind> StoreKindFromFlags();

// The PostgreSQL store's options from the flags; the schema is `service`
// unless --postgres_schema names another.
postgres::Options PostgresOptionsFromFlags(absl::string_view service);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_STORE_FLAGS_H_
