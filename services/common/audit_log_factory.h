// Opens a service's audit log (audit_log.h) beside the store the store flags
// choose (store_flags.h): in the same SQLite file in --data_dir, or in the
// same PostgreSQL schema, so that the log shares the store's backup.
#ifndef PALERMO_SERVICES_COMMON_AUDIT_LOG_FACTORY_H_
#define PALERMO_SERVICES_COMMON_AUDIT_LOG_FACTORY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/audit_log.h"

namespace palermo {

// For `service`, whose SQLite file is `file_name`: the error (a bad flag, an
// unreachable server) to report with StartupFailed().
absl::StatusOr<std::unique_ptr<AuditLog>> OpenAuditLog(
    absl::string_view service, absl::string_view file_name);

// A process without a store (the gateway): its log in --data_dir/`file_name`.
absl::StatusOr<std::unique_ptr<AuditLog>> OpenSqliteAuditLog(
    absl::string_view file_name);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_AUDIT_LOG_FACTORY_H_
