// The languages a report is generated in, and the ICU locales behind them.
#ifndef PALERMO_SERVICES_REPORTING_LANGUAGE_H_
#define PALERMO_SERVICES_REPORTING_LANGUAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace palermo::reporting {

enum class Language { kFrench, kEnglish };

// "fr" or "en"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<Language> ParseLanguage(absl::string_view code,
                                       absl::string_view field);
// "fr" / "en".
std::string LanguageCode(Language language);

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_LANGUAGE_H_
