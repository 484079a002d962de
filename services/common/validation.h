// Checks shared by every Palermo resource, applied by walking a message with
// protobuf reflection: enum values the schema does not define, impossible
// calendar dates, and provenance that points nowhere.
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
// bad dates, provenance without a place); field paths
// are `prefix` + proto field names, with [i] for repeated elements.
void ValidateCommonTypes(const google::protobuf::Message& message,
                         absl::string_view prefix, FieldViolations& violations);

// A date whose fields match its precision and exist in the calendar.
void ValidatePartialDate(const common::v1::PartialDate& date,
                         absl::string_view path, FieldViolations& violations);

// A source reference with a document symbol and a paragraph or footnote.
void ValidateProvenance(const common::v1::Provenance& provenance,
                        absl::string_view path, FieldViolations& violations);

// Orders two valid partial dates by their first day.
bool PartialDateBefore(const common::v1::PartialDate& a,
                       const common::v1::PartialDate& b);

// A resource id (the last segment of a name, AIP-122): 1-63 of a-z, 0-9 and
// '-', starting with a letter.
bool ValidResourceId(absl::string_view id);

// "prefix.field", or "field" when prefix is empty.
std::string FieldPath(absl::string_view prefix, absl::string_view field);
// "path[index]": an element of a repeated field.
std::string ElementPath(absl::string_view path, int index);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_VALIDATION_H_
