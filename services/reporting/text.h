// Language-aware text for reports, all through ICU: collation, lists joined
// the UN way, numbers, dates and periods at their precision, ordinals, and
// ICU MessageFormat catalogues (services/reporting/messages/{fr,en}.json,
// message id -> ICU pattern, compiled into the binary).
#ifndef PALERMO_SERVICES_REPORTING_TEXT_H_
#define PALERMO_SERVICES_REPORTING_TEXT_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/common/v1/common.pb.h"
#include "services/reporting/language.h"

namespace palermo::reporting {

// Sorts UTF-8 strings in the language's collation (ICU Collator).
void SortCollated(std::vector<std::string>& items, Language language);
// "A", "A et B", "A, B et C" (French); "A and B", "A, B and C" (UN English,
// no serial comma). ICU ListFormatter.
std::string JoinList(const std::vector<std::string>& items, Language language);
// "1 037" (French, an ordinary space as the source prints it), "1,037".
std::string FormatNumber(int64_t value, Language language);
// "12 novembre 2007" / "12 November 2007"; "juillet 2002" / "July 2002";
// "2007": at the date's precision.
std::string FormatDate(const common::v1::PartialDate& date, Language language);
// "dix-septième" / "seventeenth" (ICU spellout ordinal, feminine in French).
std::string SpelloutOrdinal(int value, Language language);

// A MessageFormat argument: a number (plural/select on numbers) or a string.
using MessageArg = std::variant<int64_t, std::string>;
using MessageArgs = std::vector<std::pair<std::string, MessageArg>>;

// Formats catalogue message `id` of `language` with named arguments (ICU
// MessageFormat: plural, select, number). NOT_FOUND for an unknown id,
// INVALID_ARGUMENT when the pattern does not take the arguments.
absl::StatusOr<std::string> FormatMessage(Language language,
                                          absl::string_view id,
                                          const MessageArgs& args);

// "entre juillet 2002 et octobre 2007", "de 2003 à 2006", "en 2005",
// "jusqu'en juin 2007", "depuis 2002" / "between July 2002 and October 2007",
// "from 2003 to 2006", "in 2005", "up to June 2007", "since 2002": the
// period as reported, at each end's precision (catalogue messages).
std::string FormatPeriod(const common::v1::ReportingPeriod& period,
                         Language language);

// Capitalises the first letter (UTF-8 aware): "le Bélarus" -> "Le Bélarus".
std::string CapitalizeFirst(absl::string_view text);

// Every message id of the language's catalogue, sorted.
std::vector<std::string> MessageIds(Language language);

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_TEXT_H_
