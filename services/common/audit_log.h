// The audit log of a Palermo process: append-only, one entry per write call
// and per refused write (who, what method, about which resource, how it
// ended, when). Implementations: SqliteAuditLog (sqlite_audit_log.h) and
// PostgresAuditLog (postgres_audit_log.h), both refusing UPDATE and DELETE of
// their entries in the database itself; both pass the contract suite
// (audit_log_contract.h).
#ifndef PALERMO_SERVICES_COMMON_AUDIT_LOG_H_
#define PALERMO_SERVICES_COMMON_AUDIT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace palermo {

// One audited call.
struct AuditEntry {
  // Set by the log: 1, 2, ... in the order entries were appended (and
  // committed), without gaps.
  int64_t sequence = 0;
  std::string method;     // "/pkg.Service/Method"
  std::string principal;  // the caller's subject
  std::string role;       // the caller's role name; "" if unknown
  std::string resource;   // what the call was about; "" if unknown
  int code = 0;           // the status code (absl and gRPC codes coincide)
  std::string message;    // the status message; "" when OK
  absl::Time time;        // when the call ended
};

// What a log keeps of each value, in bytes: longer values are abbreviated
// (Abbreviate, status.h), so that every entry is small whatever the call
// carried.
inline constexpr size_t kMaxAuditValueBytes = 512;
inline constexpr size_t kMaxAuditMessageBytes = 1024;

// `entry` with each value abbreviated to what a log keeps.
AuditEntry BoundedAuditEntry(AuditEntry entry);

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // Appends `entry` (its sequence is ignored; its values are bounded with
  // BoundedAuditEntry) and returns the sequence it got. The entry is
  // durable when this returns.
  virtual absl::StatusOr<int64_t> Append(const AuditEntry& entry) = 0;

  // Newest first: at most `limit` entries whose sequence is below
  // `before_sequence`, or the newest when `before_sequence` is 0. Continue
  // with the last entry's sequence; an empty answer is the end.
  virtual absl::StatusOr<std::vector<AuditEntry>> List(int64_t before_sequence,
                                                       int limit) = 0;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_AUDIT_LOG_H_
