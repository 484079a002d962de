// The store flags of store_flags.h.
#include "services/common/store_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/flags.h"

namespace palermo {

absl::StatusOr<StoreKind> StoreKindFromFlags() {
  const std::string store = absl::GetFlag(FLAGS_store);
  if (store == "sqlite") return StoreKind::kSqlite;
  if (store != "postgres") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--store=", store, " is neither sqlite nor postgres"));
  }
  if (absl::GetFlag(FLAGS_postgres_dsn).empty()) {
    return absl::InvalidArgumentError(
        "--store=postgres needs --postgres_dsn (a libpq conninfo or URI)");
  }
  return StoreKind::kPostgres;
}

postgres::Options PostgresOptionsFromFlags(absl::string_view service) {
  postgres::Options options;
  options.dsn = absl::GetFlag(FLAGS_postgres_dsn);
  options.schema = absl::GetFlag(FLAGS_postgres_schema);
  if (options.schema.empty()) options.schema = std::string(service);
  options.pool_size = absl::GetFlag(FLAGS_postgres_pool_size);
  return options;
}

}  // namespace palermo
