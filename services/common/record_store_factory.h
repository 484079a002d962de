// Opens the record store the store flags choose (store_flags.h) for a
// service whose resources are record collections (coordination, reporting):
// SQLite in --data_dir, or PostgreSQL in the service's schema, with the
// schema the service declares and --change_log_retain.
#ifndef PALERMO_SERVICES_COMMON_RECORD_STORE_FACTORY_H_
#define PALERMO_SERVICES_COMMON_RECORD_STORE_FACTORY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/postgres.h"
#include "services/common/record_schema.h"
#include "services/common/record_store.h"
#include "services/common/server.h"
#include "services/common/store_flags.h"

namespace palermo {

struct OpenedRecordStore {
  std::unique_ptr<RecordStore> store;
  // For Serve(): whether the database server answers; null for SQLite.
  HealthProbe probe;
};

// A bad flag, a malformed DSN or an unreachable server: the error, to
// report with StartupFailed().
absl::StatusOr<OpenedRecordStore> OpenRecordStore(absl::string_view service,
                                                  absl::string_view file_name,
                                                  const RecordSchema& schema);

// The PostgreSQL options of the flags (--postgres_pool_size) for `choice`.
postgres::Options PostgresOptions(const StoreChoice& choice);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_RECORD_STORE_FACTORY_H_
