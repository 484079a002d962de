// The directives of narrative blocks (README "Narrative blocks"): the
// `{{...}}` references by which a block's text asks the report generator for
// what the data says (a cycle field, the respondents, a list of entities, a
// record's facts, a footnote). Parsing only: the generator fills them.
#ifndef PALERMO_SERVICES_REPORTING_DIRECTIVES_H_
#define PALERMO_SERVICES_REPORTING_DIRECTIVES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace palermo::reporting {

struct Directive {
  enum class Kind {
    kCycleField,   // {{cycle FIELD}}
    kRespondents,  // {{respondents}}
    kList,         // {{list[:the|:in] COLL | FILTER}}
    kFacts,        // {{facts COLL | FILTER}}
    kBlock,        // {{footnote block ID}} (footnote only)
  };
  enum class ListForm { kBare, kArticle, kLocative };

  Kind kind = Kind::kList;
  bool footnote = false;      // {{footnote ...}}: a footnote call
  ListForm form = ListForm::kBare;
  std::string argument;       // FIELD, COLL or ID
  std::string filter;         // AIP-160, may be empty
};

// A block's text cut into literal Markdown and directives, in order.
struct Piece {
  bool is_directive = false;
  std::string text;  // literal text, or the directive as written
  Directive directive;
};

// The record type of a collection name (`legislations`, `observations`,
// ...), or null.
const google::protobuf::Descriptor* CollectionType(absl::string_view collection);
// Every collection name, in report order.
const std::vector<std::string>& CollectionNames();
// Cycle fields `{{cycle FIELD}}` accepts.
const std::vector<std::string>& CycleFields();

// Parses `text`; INVALID_ARGUMENT naming `field` and quoting the first bad
// directive (unknown verb, collection or cycle field, a filter that does not
// compile against the collection's type, an unclosed `{{`).
absl::StatusOr<std::vector<Piece>> ParseBlockText(absl::string_view text,
                                                  absl::string_view field);

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_DIRECTIVES_H_
