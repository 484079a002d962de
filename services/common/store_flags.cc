// The store flags and their checks.
#include "services/common/store_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/flags.h"
#include "services/common/postgres.h"
#include "services/common/server.h"

ABSL_FLAG(std::string, store, "sqlite",
          "Where the service keeps its data: sqlite (a file in --data_dir) "
          "or postgres (--postgres_dsn).");
ABSL_FLAG(std::string, postgres_dsn, "",
          "With --store=postgres: the database, as a libpq conninfo "
          "(\"host=/run/postgresql dbname=palermo\") or URI.");
ABSL_FLAG(std::string, postgres_schema, "",
          "With --store=postgres: the service's own schema in that database "
          "(default: the service's name).");

namespace palermo {

absl::StatusOr<StoreChoice> ChooseStore(absl::string_view service,
                                        absl::string_view file_name) {
  StoreChoice choice;
  const std::string store = absl::GetFlag(FLAGS_store);
  if (store == "sqlite") {
    absl::StatusOr<std::string> path = DataFile(file_name);
    if (!path.ok()) return path.status();
    choice.sqlite_path = *path;
    return choice;
  }
  if (store != "postgres") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--store: \"", store.substr(0, 32), "\" is neither sqlite nor postgres"));
  }
  choice.kind = StoreKind::kPostgres;
  choice.postgres_dsn = absl::GetFlag(FLAGS_postgres_dsn);
  if (choice.postgres_dsn.empty()) {
    return absl::InvalidArgumentError(
        "--postgres_dsn: required with --store=postgres");
  }
  if (absl::Status dsn = postgres::CheckDsn(choice.postgres_dsn); !dsn.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--postgres_dsn: ", dsn.message()));
  }
  choice.postgres_schema = absl::GetFlag(FLAGS_postgres_schema);
  if (choice.postgres_schema.empty()) {
    choice.postgres_schema = std::string(service);
  }
  bool valid = choice.postgres_schema.size() <= 63 &&
               !absl::ascii_isdigit(choice.postgres_schema[0]) &&
               !absl::StartsWith(choice.postgres_schema, "pg_");
  for (char c : choice.postgres_schema) {
    valid = valid && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_');
  }
  if (!valid) {
    return absl::InvalidArgumentError(
        "--postgres_schema: at most 63 lower-case letters, digits and '_', "
        "not starting with a digit or \"pg_\"");
  }
  if (absl::GetFlag(FLAGS_postgres_pool_size) < 1) {
    return absl::InvalidArgumentError("--postgres_pool_size: at least 1");
  }
  return choice;
}

}  // namespace palermo
