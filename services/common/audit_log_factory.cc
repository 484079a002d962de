// The audit log beside the store the flags choose (audit_log_factory.h).
#include "services/common/audit_log_factory.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "services/common/postgres_audit_log.h"
#include "services/common/record_store_factory.h"
#include "services/common/server.h"
#include "services/common/sqlite_audit_log.h"
#include "services/common/store_flags.h"

namespace palermo {
namespace {

absl::Status CannotOpen(const absl::Status& status, absl::string_view where) {
  return absl::Status(status.code(),
                      absl::StrCat("cannot open the audit log in ", where, ": ",
                                   status.message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditLog>> OpenAuditLog(
    absl::string_view service, absl::string_view file_name) {
  absl::StatusOr<StoreChoice> choice = ChooseStore(service, file_name);
  if (!choice.ok()) return choice.status();
  if (choice->kind == StoreKind::kSqlite) {
    auto log = SqliteAuditLog::Open(choice->sqlite_path);
    if (!log.ok()) return CannotOpen(log.status(), choice->sqlite_path);
    spdlog::info("audit log in {}", choice->sqlite_path);
    return std::unique_ptr<AuditLog>(*std::move(log));
  }
  auto log = PostgresAuditLog::Open(PostgresOptions(*choice));
  if (!log.ok()) {
    return CannotOpen(log.status(), absl::StrCat("PostgreSQL schema ",
                                                 choice->postgres_schema));
  }
  spdlog::info("audit log in PostgreSQL schema {}", choice->postgres_schema);
  return std::unique_ptr<AuditLog>(*std::move(log));
}

absl::StatusOr<std::unique_ptr<AuditLog>> OpenSqliteAuditLog(
    absl::string_view file_name) {
  absl::StatusOr<std::string> path = DataFile(file_name);
  if (!path.ok()) return path.status();
  auto log = SqliteAuditLog::Open(*path);
  if (!log.ok()) return CannotOpen(log.status(), *path);
  spdlog::info("audit log in {}", *path);
  return std::unique_ptr<AuditLog>(*std::move(log));
}

}  // namespace palermo
