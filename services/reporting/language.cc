// Parsing and printing the report languages' codes.
#include "services/reporting/language.h"

#include "absl/strings/str_cat.h"
#include "services/common/status.h"

namespace palermo::reporting {

absl::StatusOr<Language> ParseLanguage(absl::string_view code,
                                       absl::string_view field) {
  if (code == "fr") return Language::kFrench;
  if (code == "en") return Language::kEnglish;
  return InvalidField(std::string(field),
                      absl::StrCat("\"", Abbreviate(code),
                                   "\" is not a report language (fr or en)"));
}

std::string LanguageCode(Language language) {
  return language == Language::kFrench ? "fr" : "en";
}

}  // namespace palermo::reporting
