// AuditService over an audit log (audit_service.h).
#include "services/common/audit_service.h"

#include <cstdint>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/caller.h"
#include "services/common/filter.h"
#include "services/common/limits.h"
#include "services/common/pagination.h"
#include "services/common/status.h"

namespace palermo {
namespace {

using common::v1::AuditRecord;
using common::v1::ListAuditRecordsRequest;
using common::v1::ListAuditRecordsResponse;

// Records read at most per call when a filter skips most of them.
constexpr int kMaxScannedPerCall = 10 * kMaxPageSize;

AuditRecord ToRecord(absl::string_view parent, const AuditEntry& e) {
  AuditRecord r;
  r.set_name(absl::StrCat(parent, "/auditRecords/", e.sequence));
  r.set_method(e.method);
  r.set_principal(e.principal);
  r.set_role(e.role);
  r.set_resource(e.resource);
  r.mutable_outcome()->set_code(e.code);
  r.mutable_outcome()->set_message(e.message);
  const int64_t micros = absl::ToUnixMicros(e.time);
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  r.mutable_time()->set_seconds(seconds);
  r.mutable_time()->set_nanos(static_cast<int32_t>(rest * 1000));
  return r;
}

}  // namespace

AuditReaderCheck AdministratorsOnly() {
  return [](const grpc::ServerContextBase& context) {
    return RequireRole(context, Role::kAdministrator);
  };
}

std::string AuditParent(absl::string_view service) {
  return absl::StrCat("services/", service);
}

absl::StatusOr<ListAuditRecordsResponse> ListAuditRecords(
    AuditLog& log, absl::string_view service,
    const ListAuditRecordsRequest& request) {
  const std::string parent = AuditParent(service);
  FieldViolations violations;
  if (request.parent() != parent) {
    violations.Add(
        "parent",
        request.parent().empty()
            ? absl::StrCat("required: ", parent)
            : absl::StrCat("this server keeps the audit log of ", parent,
                           ", not ", Abbreviate(request.parent())));
  }
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) violations.AddAll(page_size.status(), "page_size");
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), AuditRecord::descriptor());
  if (!filter.ok()) violations.AddAll(filter.status(), "filter");
  // The token belongs to the filter it was made for.
  const std::string query = absl::StrCat(parent, "\n", request.filter());
  int64_t before = 0;
  absl::StatusOr<std::string> last =
      DecodePageToken(request.page_token(), query);
  if (!last.ok()) {
    violations.AddAll(last.status(), "page_token");
  } else if (!last->empty() &&
             (!absl::SimpleAtoi(*last, &before) || before < 1)) {
    violations.Add("page_token", "not a token of ListAuditRecords");
  }
  if (!violations.empty()) return violations.ToStatus();

  ListAuditRecordsResponse response;
  size_t bytes = 0;
  int scanned = 0;
  int64_t last_read = before;  // the oldest sequence read so far
  bool more = true;
  while (response.audit_records_size() < *page_size && bytes < kMaxPageBytes &&
         scanned < kMaxScannedPerCall) {
    const int batch = request.filter().empty()
                          ? *page_size - response.audit_records_size()
                          : kMaxPageSize;
    absl::StatusOr<std::vector<AuditEntry>> entries =
        log.List(last_read, batch);
    if (!entries.ok()) return entries.status();
    if (entries->empty()) {
      more = false;
      break;
    }
    for (const AuditEntry& e : *entries) {
      last_read = e.sequence;
      ++scanned;
      AuditRecord record = ToRecord(parent, e);
      if (filter->Matches(record)) {
        bytes += record.ByteSizeLong();
        *response.add_audit_records() = std::move(record);
      }
      if (response.audit_records_size() >= *page_size ||
          bytes >= kMaxPageBytes) {
        break;
      }
    }
  }
  // Sequences run from 1 without gaps: older records remain unless the
  // oldest read is the first.
  if (more && last_read > 1) {
    response.set_next_page_token(
        EncodePageToken(query, absl::StrCat(last_read)));
  }
  return response;
}

AuditServiceImpl::AuditServiceImpl(AuditLog& log, std::string service,
                                   AuditReaderCheck may_read)
    : log_(log), service_(std::move(service)), may_read_(std::move(may_read)) {}

grpc::Status AuditServiceImpl::ListAuditRecords(
    grpc::ServerContext* context, const ListAuditRecordsRequest* request,
    ListAuditRecordsResponse* response) {
  // Who may read comes first: a refused caller learns nothing of the log.
  absl::Status allowed =
      may_read_ ? may_read_(*context)
                : absl::PermissionDeniedError(
                      "the audit log is readable by administrators only, and "
                      "this server has no way to tell who is one");
  if (!allowed.ok()) return ToGrpcStatus(allowed);
  return Respond(palermo::ListAuditRecords(log_, service_, *request), response);
}

}  // namespace palermo
