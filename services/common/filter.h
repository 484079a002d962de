// AIP-160 filters over protobuf messages, for List methods.
//
// Supported: comparisons `path OP value` with OP one of = != < <= > >=, the
// has operator `path:*` (field present) and `path:value` (equal, for any
// element of a repeated field), NOT / -, AND, OR (binding tighter than AND, as
// AIP-160 says), and parentheses. Paths are proto field names joined by dots;
// a repeated field on the way matches if any element does. A value that is
// unknown (an unset message on the path, an unset optional field) satisfies
// no comparison, so `x = false` never matches a record that did not report x,
// while `x != true` does. Enum values may be given in full
// (TREATY_STATUS_RATIFIED) or without their prefix (RATIFIED). Strings are
// quoted ("...") or bare words.
//
// Filters are compiled once against the message descriptor, so an unknown
// field or value is an INVALID_ARGUMENT on `filter` before anything is read.
#ifndef PALERMO_SERVICES_COMMON_FILTER_H_
#define PALERMO_SERVICES_COMMON_FILTER_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace palermo {

class Filter {
 public:
  struct Node;

  // Compiles `text` for messages of type `descriptor`. An empty text matches
  // everything.
  static absl::StatusOr<Filter> Compile(
      absl::string_view text, const google::protobuf::Descriptor* descriptor);

  bool Matches(const google::protobuf::Message& message) const;

 private:
  std::shared_ptr<const Node> root_;
};

// `value` as a filter's string literal: in double quotes, with \ and "
// escaped, so that `entity = ` + FilterString(name) compares to it exactly.
std::string FilterString(absl::string_view value);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_FILTER_H_
