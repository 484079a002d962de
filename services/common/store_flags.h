// Which store a service keeps its data in, chosen by flags shared by every
// service: --store=sqlite (the default: a file in --data_dir) or
// --store=postgres (a schema of its own, --postgres_schema, default the
// service's name, in the database --postgres_dsn names).
#ifndef PALERMO_SERVICES_COMMON_STORE_FLAGS_H_
#define PALERMO_SERVICES_COMMON_STORE_FLAGS_H_

#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

ABSL_DECLARE_FLAG(std::string, store);
ABSL_DECLARE_FLAG(std::string, postgres_dsn);
ABSL_DECLARE_FLAG(std::string, postgres_schema);

namespace palermo {

enum class StoreKind { kSqlite, kPostgres };

struct StoreChoice {
  StoreKind kind = StoreKind::kSqlite;
  std::string sqlite_path;      // kSqlite: --data_dir/<file_name>
  std::string postgres_dsn;     // kPostgres
  std::string postgres_schema;  // kPostgres: --postgres_schema or `service`
};

// The store the flags choose for `service` (whose SQLite file is
// `file_name`): INVALID_ARGUMENT naming the flag for an unknown --store, a
// postgres store without --postgres_dsn or with a malformed one, or a schema that is not lower-case
// letters, digits and '_'. Creates --data_dir for SQLite.
absl::StatusOr<StoreChoice> ChooseStore(absl::string_view service,
                                        absl::string_view file_name);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_STORE_FLAGS_H_
