// The sizes Palermo accepts, stores and serves, in one place.
//
// Every limit is far below gRPC's 4 MiB message limit, so that no stored
// data can make an answer exceed a message: a record is bounded when it is
// written, a list page is bounded in bytes as well as in items, a composed
// answer (a country profile) is bounded as a whole, and so are the error
// details of a refused request. The protos document these numbers where the
// fields are declared.
#ifndef PALERMO_SERVICES_COMMON_LIMITS_H_
#define PALERMO_SERVICES_COMMON_LIMITS_H_

#include <cstddef>

namespace palermo {

// Longest text accepted in any string field, in bytes (UTF-8).
inline constexpr size_t kMaxStringBytes = 10000;
// Most elements accepted in one repeated field of a stored resource (an
// import's rows are bounded separately, by the message size and
// kMaxImportRows).
inline constexpr int kMaxRepeatedElements = 1000;
// Largest stored record (its serialized protobuf), in bytes.
inline constexpr size_t kMaxRecordBytes = 256 << 10;
// Largest list page, in bytes: a page ends early, with a next_page_token,
// once the records in it reach this size.
inline constexpr size_t kMaxPageBytes = 1 << 20;
// Largest composed answer (a profile, an entity's coordination), in bytes.
inline constexpr size_t kMaxResponseBytes = 2 << 20;
// Largest published report version (the report's Markdown or HTML with its
// paragraphs' provenance): report-bench's 193-State HTML is 0.78 MB, and
// its paragraphs' text as much again.
inline constexpr size_t kMaxReportVersionBytes = kMaxResponseBytes;
// Field violations carried in an error's BadRequest detail; the rest are
// counted in the message. Small enough that the whole error fits in the
// 8 KiB of trailers a default gRPC C++ client accepts.
inline constexpr int kMaxViolationsInDetails = 20;
// Longest offending value quoted back in an error message, in bytes.
inline constexpr size_t kMaxQuotedBytes = 64;
// Longest resource name carried in an error's details (ResourceInfo,
// PreconditionFailure subject), in bytes: every valid name is shorter, so a
// client can match on it; only a name no record can have is cut.
inline constexpr size_t kMaxNameInDetailsBytes = 512;

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_LIMITS_H_
