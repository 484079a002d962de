// Checks shared by every Palermo resource, applied by walking a message with
// protobuf reflection: enum values the schema does not define, impossible
// calendar dates, provenance that points nowhere, and the size limits of
// limits.h (elements per repeated field, bytes per string and per record).
#ifndef PALERMO_SERVICES_COMMON_VALIDATION_H_
#define PALERMO_SERVICES_COMMON_VALIDATION_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/strings/string_view.h"
#include "palermo/common/v1/common.pb.h"
#include "services/common/limits.h"
#include "services/common/status.h"

namespace palermo {

// Years a reported date or law may carry.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2100;

// Adds a violation for each problem found anywhere in `message` (enum values
// the schema does not define, UNSPECIFIED list elements, over-long strings,
// repeated fields with too many elements, bad dates, provenance without a
// place); field paths are `prefix` + proto field names, with [i] for
// repeated elements. A repeated field over kMaxRepeatedElements gets one
// violation and its elements are not checked one by one; then the result is
// false, and callers skip their own checks of elements (so that 100,000 bad
// elements cannot make 100,000 violations).
bool ValidateCommonTypes(const google::protobuf::Message& message,
                         absl::string_view prefix, FieldViolations& violations);

// True if a repeated field of `count` elements is within
// kMaxRepeatedElements; otherwise adds one violation on `path` ("100000
// elements, at most 1000") and returns false.
bool CheckElementCount(int count, absl::string_view path,
                       FieldViolations& violations);

// A string within kMaxStringBytes, else a violation on `path`.
void CheckStringBytes(absl::string_view value, absl::string_view path,
                      FieldViolations& violations);

// The record as it would be stored (after an update's merge, with its
// output-only fields set) must serialize to at most kMaxRecordBytes; else
// one violation on `path`, the request field holding the record.
void ValidateRecordSize(const google::protobuf::Message& record,
                        absl::string_view path, FieldViolations& violations);
// The same for a record whose stored size, `bytes`, the caller measured,
// against `limit` (kMaxRecordBytes unless a collection states its own).
void ValidateRecordBytes(size_t bytes, absl::string_view path,
                         FieldViolations& violations,
                         size_t limit = kMaxRecordBytes);

// A date whose fields match its precision and exist in the calendar.
void ValidatePartialDate(const common::v1::PartialDate& date,
                         absl::string_view path, FieldViolations& violations);

// A source reference with a document symbol and a paragraph or footnote.
// A non-empty `cycle` must be `cycles/{id}` (a resource id); a non-empty
// `response` must be `{cycle}/responses/{ID}` of that same cycle (ID an
// ISO alpha-3 code or an organization id: upper-case letters, digits and
// '-', from a letter), else a violation on `path`.cycle / `path`.response.
void ValidateProvenance(const common::v1::Provenance& provenance,
                        absl::string_view path, FieldViolations& violations);

// Orders two valid partial dates by their first day.
bool PartialDateBefore(const common::v1::PartialDate& a,
                       const common::v1::PartialDate& b);

// `cycles/{id}` with a valid resource id, e.g. `cycles/ccpcj-17`.
bool ValidCycleName(absl::string_view name);

// The entity id of a response name: an ISO alpha-3 code or an organization
// id, 1-63 of A-Z, 0-9 and '-', starting with a letter (`EST`, `LAS`).
bool ValidResponseId(absl::string_view id);

// A resource id (the last segment of a name, AIP-122): 1-63 of a-z, 0-9 and
// '-', starting with a letter.
bool ValidResourceId(absl::string_view id);

// "prefix.field", or "field" when prefix is empty.
std::string FieldPath(absl::string_view prefix, absl::string_view field);
// "path[index]": an element of a repeated field.
std::string ElementPath(absl::string_view path, int index);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_VALIDATION_H_
