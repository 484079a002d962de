// What every audit log keeps of an entry (audit_log.h).
#include "services/common/audit_log.h"

#include <utility>

#include "services/common/status.h"

namespace palermo {

AuditEntry BoundedAuditEntry(AuditEntry entry) {
  for (std::string* value :
       {&entry.method, &entry.principal, &entry.role, &entry.resource}) {
    if (value->size() > kMaxAuditValueBytes) {
      *value = Abbreviate(*value, kMaxAuditValueBytes);
    }
  }
  if (entry.message.size() > kMaxAuditMessageBytes) {
    entry.message = Abbreviate(entry.message, kMaxAuditMessageBytes);
  }
  return entry;
}

}  // namespace palermo
