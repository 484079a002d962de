#include "services/common/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/status.pb.h"

namespace palermo {
namespace {

// The count of violations a status's BadRequest left out travels with it
// as this payload inside a process (AddAll); it is not a google.rpc detail,
// so ToGrpcStatus leaves it out.
constexpr char kOmittedViolationsKey[] = "palermo/omitted-violations";

// Our own descriptions are short; this bounds one that quotes a caller's
// value without abbreviating it.
constexpr size_t kMaxDescriptionBytes = 8 * kMaxQuotedBytes;

template <typename Message>
void Attach(absl::Status& status, absl::string_view type_url,
            const Message& detail) {
  status.SetPayload(type_url, absl::Cord(detail.SerializeAsString()));
}

}  // namespace

std::string Abbreviate(absl::string_view value, size_t max_bytes) {
  if (value.size() <= max_bytes) return std::string(value);
  size_t cut = max_bytes;
  // Back off to the start of a UTF-8 character (not a continuation byte).
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat(value.substr(0, cut), "\xE2\x80\xA6(", value.size(),
                      " bytes)");
}

void FieldViolations::Add(std::string field, std::string description) {
  if (violations_.field_violations_size() >= kMaxViolationsInDetails) {
    ++omitted_;
    return;
  }
  auto* v = violations_.add_field_violations();
  v->set_field(field.size() > kMaxQuotedBytes ? Abbreviate(field)
                                              : std::move(field));
  v->set_description(description.size() > kMaxDescriptionBytes
                         ? Abbreviate(description, kMaxDescriptionBytes)
                         : std::move(description));
}

void FieldViolations::Merge(const FieldViolations& other) {
  for (const auto& v : other.violations_.field_violations()) {
    Add(v.field(), v.description());
  }
  omitted_ += other.omitted_;
}

void FieldViolations::AddAll(const absl::Status& status,
                             absl::string_view fallback_field) {
  if (status.ok()) return;
  google::rpc::BadRequest carried = BadRequestOf(status);
  if (carried.field_violations().empty()) {
    Add(std::string(fallback_field), std::string(status.message()));
    return;
  }
  for (const auto& v : carried.field_violations()) {
    Add(v.field(), v.description());
  }
  if (auto omitted = status.GetPayload(kOmittedViolationsKey)) {
    int n = 0;
    if (absl::SimpleAtoi(std::string(*omitted), &n)) omitted_ += n;
  }
}

absl::Status FieldViolations::ToStatus(absl::string_view summary) const {
  if (empty()) return absl::OkStatus();
  // The message names the first violations for humans; the details carry
  // up to kMaxViolationsInDetails, so that trailers stay small.
  constexpr int kInMessage = 10;
  std::vector<std::string> parts;
  for (const auto& v : violations_.field_violations()) {
    if (static_cast<int>(parts.size()) == kInMessage) break;
    parts.push_back(absl::StrCat(v.field(), ": ", v.description()));
  }
  const int kept = violations_.field_violations_size();
  const int more = size() - static_cast<int>(parts.size());
  std::string rest;
  if (more > 0 && omitted_ == 0) {
    rest = absl::StrCat("; and ", more, " more in the BadRequest details");
  } else if (more > 0) {
    rest = absl::StrCat(
        "; and ", more, " more (", kept - static_cast<int>(parts.size()),
        " in the BadRequest details, ", omitted_,
        " left out: the details hold at most ", kMaxViolationsInDetails, ")");
  }
  absl::Status status(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat(summary, ": ", absl::StrJoin(parts, "; "), rest));
  Attach(status, kBadRequestTypeUrl, violations_);
  if (omitted_ > 0) {
    status.SetPayload(kOmittedViolationsKey,
                      absl::Cord(absl::StrCat(omitted_)));
  }
  return status;
}

absl::Status InvalidField(std::string field, std::string description) {
  FieldViolations v;
  v.Add(std::move(field), std::move(description));
  return v.ToStatus();
}

namespace {
absl::Status ResourceError(absl::StatusCode code, absl::string_view what,
                           absl::string_view type, absl::string_view name) {
  const std::string short_name = Abbreviate(name);
  absl::Status status(code, absl::StrCat(short_name, " ", what));
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(type));
  info.set_resource_name(Abbreviate(name, kMaxNameInDetailsBytes));
  info.set_description(std::string(what));
  Attach(status, kResourceInfoTypeUrl, info);
  return status;
}
}  // namespace

absl::Status NotFoundError(absl::string_view resource_type,
                           absl::string_view resource_name) {
  return ResourceError(absl::StatusCode::kNotFound, "not found", resource_type,
                       resource_name);
}

absl::Status AlreadyExistsError(absl::string_view resource_type,
                                absl::string_view resource_name) {
  return ResourceError(absl::StatusCode::kAlreadyExists, "already exists",
                       resource_type, resource_name);
}

absl::Status EtagMismatchError(absl::string_view resource_name,
                               absl::string_view sent_etag,
                               absl::string_view current_etag) {
  const std::string short_name = Abbreviate(resource_name);
  absl::Status status(
      absl::StatusCode::kAborted,
      absl::StrCat(short_name, " changed since it was read: etag \"",
                   Abbreviate(sent_etag), "\" is stale, current is \"",
                   current_etag, "\"; read it again and reapply the change"));
  google::rpc::PreconditionFailure failure;
  auto* v = failure.add_violations();
  v->set_type("ETAG");
  v->set_subject(Abbreviate(resource_name, kMaxNameInDetailsBytes));
  v->set_description(absl::StrCat("current etag is \"", current_etag, "\""));
  Attach(status, kPreconditionFailureTypeUrl, failure);
  return status;
}

google::rpc::BadRequest BadRequestOf(const absl::Status& status) {
  google::rpc::BadRequest out;
  if (auto payload = status.GetPayload(kBadRequestTypeUrl)) {
    out.ParseFromString(std::string(*payload));
  }
  return out;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  status.ForEachPayload(
      [&rpc](absl::string_view type_url, const absl::Cord& payload) {
        if (type_url == kOmittedViolationsKey) return;
        auto* any = rpc.add_details();
        any->set_type_url(std::string(type_url));
        any->set_value(std::string(payload));
      });
  // absl and gRPC share the canonical code numbering.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()),
                      rpc.details().empty() ? "" : rpc.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()),
                   status.error_message());
  google::rpc::Status rpc;
  if (!status.error_details().empty() &&
      rpc.ParseFromString(status.error_details())) {
    for (const auto& any : rpc.details()) {
      out.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return out;
}

}  // namespace palermo
