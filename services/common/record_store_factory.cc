// The store flags' record store: SQLite or PostgreSQL.
#include "services/common/record_store_factory.h"

#include "absl/flags/flag.h"
#include "services/common/flags.h"
#include "services/common/postgres_record_store.h"
#include "services/common/sqlite_record_store.h"

namespace palermo {

postgres::Options PostgresOptions(const StoreChoice& choice) {
  postgres::Options options;
  options.dsn = choice.postgres_dsn;
  options.schema = choice.postgres_schema;
  options.pool_size = absl::GetFlag(FLAGS_postgres_pool_size);
  return options;
}

absl::StatusOr<OpenedRecordStore> OpenRecordStore(absl::string_view service,
                                                  absl::string_view file_name,
                                                  const RecordSchema& schema) {
  absl::StatusOr<StoreChoice> choice = ChooseStore(service, file_name);
  if (!choice.ok()) return choice.status();
  const ChangeLogOptions log{absl::GetFlag(FLAGS_change_log_retain)};
  OpenedRecordStore opened;
  if (choice->kind == StoreKind::kSqlite) {
    auto store = SqliteRecordStore::Open(choice->sqlite_path, schema, log);
    if (!store.ok()) return store.status();
    opened.store = *std::move(store);
    return opened;
  }
  auto store = PostgresRecordStore::Open(PostgresOptions(*choice), schema, log);
  if (!store.ok()) return store.status();
  postgres::Pool* pool = &(*store)->pool();
  opened.probe = [pool] { return pool->Ping(); };
  opened.store = *std::move(store);
  return opened;
}

}  // namespace palermo
