// Rich errors for Palermo services.
//
// Domain code reports errors as absl::Status. Structured details (field
// violations, failed preconditions, the resource concerned) travel as absl
// payloads keyed by their google.rpc type URL, and are turned into a
// google.rpc.Status in the `grpc-status-details-bin` trailer at the gRPC edge,
// where any gRPC client can read them.
#ifndef PALERMO_SERVICES_COMMON_STATUS_H_
#define PALERMO_SERVICES_COMMON_STATUS_H_

#include <grpcpp/support/status.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/limits.h"

namespace palermo {

inline constexpr char kBadRequestTypeUrl[] =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr char kPreconditionFailureTypeUrl[] =
    "type.googleapis.com/google.rpc.PreconditionFailure";
inline constexpr char kResourceInfoTypeUrl[] =
    "type.googleapis.com/google.rpc.ResourceInfo";

// `value` as it may be quoted back in an error: at most `max_bytes` bytes
// (cut at a UTF-8 character boundary), and if it was longer an ellipsis and
// its full length: "countries/XXXXXXXX…(5000 bytes)". Every value a caller
// sent that an error repeats goes through this, so that an error stays small
// whatever the request held.
std::string Abbreviate(absl::string_view value,
                       size_t max_bytes = kMaxQuotedBytes);

// Collects every offending field of a request so that one error names them
// all, not just the first. At most kMaxViolationsInDetails are kept for the
// BadRequest detail; the others are counted, and the message says how many
// were left out. Field paths and descriptions are abbreviated.
class FieldViolations {
 public:
  void Add(std::string field, std::string description);
  // Adds the field violations carried by `status` (and the count of those it
  // left out); a status without any adds one violation on `fallback_field`
  // with its message.
  void AddAll(const absl::Status& status, absl::string_view fallback_field);
  // Adds every violation of `other`, kept or counted.
  void Merge(const FieldViolations& other);
  bool empty() const { return size() == 0; }
  // Every violation added, kept or not.
  int size() const { return violations_.field_violations_size() + omitted_; }
  // Violations added after the detail was full: counted only.
  int omitted() const { return omitted_; }
  const google::rpc::BadRequest& bad_request() const { return violations_; }

  // OK when nothing was added; otherwise INVALID_ARGUMENT carrying a
  // BadRequest detail. The message lists the first fields for humans and
  // counts the rest.
  absl::Status ToStatus(absl::string_view summary = "invalid request") const;

 private:
  google::rpc::BadRequest violations_;
  int omitted_ = 0;
};

// INVALID_ARGUMENT for a single field.
absl::Status InvalidField(std::string field, std::string description);

// NOT_FOUND with a ResourceInfo detail.
absl::Status NotFoundError(absl::string_view resource_type,
                           absl::string_view resource_name);

// ALREADY_EXISTS with a ResourceInfo detail.
absl::Status AlreadyExistsError(absl::string_view resource_type,
                                absl::string_view resource_name);

// ABORTED with a PreconditionFailure of type ETAG: the caller's copy is stale.
absl::Status EtagMismatchError(absl::string_view resource_name,
                               absl::string_view sent_etag,
                               absl::string_view current_etag);

// Reads the BadRequest detail of a status, if any.
google::rpc::BadRequest BadRequestOf(const absl::Status& status);

// absl::Status -> grpc::Status, packing payloads into a google.rpc.Status.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The end of a synchronous handler: the domain's answer into `response`,
// its status into a grpc::Status with rich details.
template <typename Response>
grpc::Status Respond(absl::StatusOr<Response> result, Response* response) {
  if (result.ok()) *response = *std::move(result);
  return ToGrpcStatus(result.status());
}
// The same for a method whose response is empty.
template <typename Response>
grpc::Status Respond(const absl::Status& status, Response*) {
  return ToGrpcStatus(status);
}

// grpc::Status -> absl::Status, unpacking google.rpc.Status details back into
// payloads, so that errors keep their details across a hop.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_STATUS_H_
