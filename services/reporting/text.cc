// Language-aware text through ICU: collation, list joining, numbers, dates,
// ordinals and the MessageFormat catalogues compiled into the binary.
#include "services/reporting/text.h"

#include <unicode/calendar.h>
#include <unicode/coll.h>
#include <unicode/dcfmtsym.h>
#include <unicode/gregocal.h>
#include <unicode/listformatter.h>
#include <unicode/msgfmt.h>
#include <unicode/numberformatter.h>
#include <unicode/rbnf.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/reporting/embedded_text.h"

namespace palermo::reporting {
namespace {

using common::v1::PartialDate;

icu::Locale LocaleOf(Language language) {
  // en-GB: the UN's English (no serial comma in lists, "12 November 2007").
  return language == Language::kFrench ? icu::Locale("fr")
                                       : icu::Locale("en", "GB");
}

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::UnicodeString Unicode(absl::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
}

// A catalogue: message id -> ICU pattern, parsed once from the embedded JSON.
using Catalogue = std::map<std::string, std::string, std::less<>>;

Catalogue ParseCatalogue(const char* json) {
  google::protobuf::Struct root;
  Catalogue catalogue;
  if (!google::protobuf::util::JsonStringToMessage(json, &root).ok()) {
    return catalogue;  // an empty catalogue fails every lookup (tested)
  }
  for (const auto& [id, value] : root.fields()) {
    catalogue.emplace(id, value.string_value());
  }
  return catalogue;
}

const Catalogue& CatalogueOf(Language language) {
  static const Catalogue* const kFrench =
      new Catalogue(ParseCatalogue(embedded::kMessagesFr));
  static const Catalogue* const kEnglish =
      new Catalogue(ParseCatalogue(embedded::kMessagesEn));
  return language == Language::kFrench ? *kFrench : *kEnglish;
}

common::v1::DatePrecision PrecisionOf(const PartialDate& date) {
  if (date.precision() != common::v1::DATE_PRECISION_UNSPECIFIED) {
    return date.precision();
  }
  if (date.day() > 0) return common::v1::DATE_PRECISION_DAY;
  if (date.month() > 0) return common::v1::DATE_PRECISION_MONTH;
  return common::v1::DATE_PRECISION_YEAR;
}

std::string PrecisionKeyword(const PartialDate& date) {
  switch (PrecisionOf(date)) {
    case common::v1::DATE_PRECISION_DAY:
      return "day";
    case common::v1::DATE_PRECISION_MONTH:
      return "month";
    default:
      return "year";
  }
}

bool IsSet(const PartialDate& date) { return date.year() != 0; }

bool SameDate(const PartialDate& a, const PartialDate& b) {
  return a.year() == b.year() && PrecisionOf(a) == PrecisionOf(b) &&
         (PrecisionOf(a) == common::v1::DATE_PRECISION_YEAR ||
          a.month() == b.month()) &&
         (PrecisionOf(a) != common::v1::DATE_PRECISION_DAY ||
          a.day() == b.day());
}

// Formats a catalogue message that the code itself calls with the right
// arguments; an error here is a catalogue bug, shown in the text.
std::string Message(Language language, absl::string_view id,
                    const MessageArgs& args) {
  auto text = FormatMessage(language, id, args);
  return text.ok() ? *text : absl::StrCat("[", id, "]");
}

}  // namespace

// ICU's formatters are made once per thread and language (their making
// dominates a report of 193 States, and an ICU formatter is not to be
// shared between threads).
const icu::Collator* CollatorOf(Language language) {
  thread_local std::unique_ptr<icu::Collator> made[2];
  auto& c = made[static_cast<int>(language)];
  if (c == nullptr) {
    UErrorCode status = U_ZERO_ERROR;
    c.reset(icu::Collator::createInstance(LocaleOf(language), status));
    if (U_FAILURE(status)) c.reset();
  }
  return c.get();
}

const icu::ListFormatter* ListFormatterOf(Language language) {
  thread_local std::unique_ptr<icu::ListFormatter> made[2];
  auto& f = made[static_cast<int>(language)];
  if (f == nullptr) {
    UErrorCode status = U_ZERO_ERROR;
    f.reset(icu::ListFormatter::createInstance(LocaleOf(language), status));
    if (U_FAILURE(status)) f.reset();
  }
  return f.get();
}

void SortCollated(std::vector<std::string>& items, Language language) {
  const icu::Collator* collator = CollatorOf(language);
  if (collator == nullptr) {
    std::sort(items.begin(), items.end());
    return;
  }
  std::stable_sort(items.begin(), items.end(),
                   [&](const std::string& a, const std::string& b) {
                     UErrorCode s = U_ZERO_ERROR;
                     return collator->compareUTF8(a, b, s) == UCOL_LESS;
                   });
}

std::string JoinList(const std::vector<std::string>& items,
                     Language language) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::ListFormatter* formatter = ListFormatterOf(language);
  if (formatter == nullptr) return "";
  std::vector<icu::UnicodeString> unicode;
  unicode.reserve(items.size());
  for (const auto& item : items) unicode.push_back(Unicode(item));
  icu::UnicodeString out;
  formatter->format(unicode.data(), static_cast<int32_t>(unicode.size()), out,
                    status);
  return U_FAILURE(status) ? "" : Utf8(out);
}

std::string FormatNumber(int64_t value, Language language) {
  thread_local std::unique_ptr<icu::number::LocalizedNumberFormatter> made[2];
  auto& formatter = made[static_cast<int>(language)];
  UErrorCode status = U_ZERO_ERROR;
  if (formatter == nullptr) {
    icu::DecimalFormatSymbols symbols(LocaleOf(language), status);
    if (language == Language::kFrench) {
      // CLDR's French grouping is a narrow no-break space; the source
      // prints an ordinary space ("1 037").
      symbols.setSymbol(icu::DecimalFormatSymbols::kGroupingSeparatorSymbol,
                        icu::UnicodeString(" "));
    }
    formatter = std::make_unique<icu::number::LocalizedNumberFormatter>(
        icu::number::NumberFormatter::withLocale(LocaleOf(language))
            .symbols(symbols));
  }
  icu::UnicodeString out = formatter->formatInt(value, status).toString(status);
  return U_FAILURE(status) ? std::to_string(value) : Utf8(out);
}

std::string FormatDate(const PartialDate& date, Language language) {
  const common::v1::DatePrecision precision = PrecisionOf(date);
  const char* pattern = "y";
  if (precision == common::v1::DATE_PRECISION_DAY) {
    // French writes the first of the month as an ordinal: "1er janvier".
    pattern = language == Language::kFrench && date.day() == 1
                  ? "d'er' MMMM y"
                  : "d MMMM y";
  } else if (precision == common::v1::DATE_PRECISION_MONTH) {
    pattern = "MMMM y";
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::SimpleDateFormat format(icu::UnicodeString(pattern), LocaleOf(language),
                               status);
  icu::GregorianCalendar calendar(icu::TimeZone::getGMT()->clone(),
                                  LocaleOf(language), status);
  if (U_FAILURE(status)) return std::to_string(date.year());
  format.setTimeZone(*icu::TimeZone::getGMT());
  calendar.clear();
  calendar.set(date.year(), std::max(date.month(), 1) - 1,
               std::max(date.day(), 1));
  icu::UnicodeString out;
  icu::FieldPosition position;
  format.format(calendar, out, position);
  return Utf8(out);
}

std::string SpelloutOrdinal(int value, Language language) {
  UErrorCode status = U_ZERO_ERROR;
  icu::RuleBasedNumberFormat format(icu::URBNF_SPELLOUT, LocaleOf(language),
                                    status);
  if (U_FAILURE(status)) return std::to_string(value);
  icu::UnicodeString out;
  icu::FieldPosition position;
  format.format(static_cast<int32_t>(value),
                icu::UnicodeString(language == Language::kFrench
                                       ? "%spellout-ordinal-feminine"
                                       : "%spellout-ordinal"),
                out, position, status);
  return U_FAILURE(status) ? std::to_string(value) : Utf8(out);
}

// U+E000 and U+E001 (private use): a value's braces while it is formatted.
constexpr char kOpenBrace[] = "\xEE\x80\x80";
constexpr char kCloseBrace[] = "\xEE\x80\x81";

absl::StatusOr<std::string> FormatMessage(Language language,
                                          absl::string_view id,
                                          const MessageArgs& args) {
  const Catalogue& catalogue = CatalogueOf(language);
  auto it = catalogue.find(id);
  if (it == catalogue.end()) {
    return absl::NotFoundError(absl::StrCat("no message \"", id,
                                            "\" in the ", LanguageCode(language),
                                            " catalogue"));
  }
  // Each message is parsed once per thread.
  thread_local std::map<std::pair<int, std::string>,
                        std::unique_ptr<icu::MessageFormat>>
      parsed;
  UErrorCode status = U_ZERO_ERROR;
  auto& slot = parsed[{static_cast<int>(language), it->first}];
  if (slot == nullptr) {
    UParseError parse_error;
    auto made = std::make_unique<icu::MessageFormat>(
        Unicode(it->second), LocaleOf(language), parse_error, status);
    if (U_FAILURE(status)) {
      return absl::InternalError(absl::StrCat(
          "message \"", id, "\" (", LanguageCode(language),
          ") is not ICU MessageFormat: ", u_errorName(status), " at offset ",
          parse_error.offset));
    }
    slot = std::move(made);
  }
  const icu::MessageFormat& format = *slot;
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  for (const auto& [name, value] : args) {
    names.push_back(Unicode(name));
    if (const auto* number = std::get_if<int64_t>(&value)) {
      values.emplace_back(static_cast<int64_t>(*number));
    } else {
      // Braces in a value (a record's text) are kept apart from the ones
      // ICU leaves for a missing argument: carried as private-use
      // characters and put back after the check below.
      values.emplace_back(
          Unicode(absl::StrReplaceAll(std::get<std::string>(value),
                                      {{"{", kOpenBrace}, {"}", kCloseBrace}})));
    }
  }
  icu::UnicodeString out;
  format.format(names.data(), values.data(), static_cast<int32_t>(names.size()),
                out, status);
  if (U_FAILURE(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat("message \"", id, "\" does not take these arguments: ",
                     u_errorName(status)));
  }
  std::string text = Utf8(out);
  // ICU prints an argument the caller did not give as "{name}"; no message
  // of the catalogues prints a brace of its own.
  if (auto open = text.find('{'); open != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message \"", id, "\" needs argument ",
        text.substr(open, text.find('}', open) - open + 1)));
  }
  return absl::StrReplaceAll(text, {{kOpenBrace, "{"}, {kCloseBrace, "}"}});
}

std::string FormatPeriod(const common::v1::ReportingPeriod& period,
                         Language language) {
  const PartialDate& start = period.start();
  const PartialDate& end = period.end();
  if (!IsSet(start) && !IsSet(end)) return "";
  if (!IsSet(start)) {
    return Message(language, "period.until",
                   {{"date", FormatDate(end, language)},
                    {"precision", PrecisionKeyword(end)}});
  }
  if (!IsSet(end)) {
    return Message(language, "period.since",
                   {{"date", FormatDate(start, language)},
                    {"precision", PrecisionKeyword(start)}});
  }
  if (SameDate(start, end)) {
    return Message(language, "period.in",
                   {{"date", FormatDate(start, language)},
                    {"precision", PrecisionKeyword(start)}});
  }
  const bool years = PrecisionOf(start) == common::v1::DATE_PRECISION_YEAR &&
                     PrecisionOf(end) == common::v1::DATE_PRECISION_YEAR;
  return Message(language, years ? "period.from_to" : "period.between",
                 {{"start", FormatDate(start, language)},
                  {"end", FormatDate(end, language)},
                  {"end_precision", PrecisionKeyword(end)}});
}

std::string CapitalizeFirst(absl::string_view text) {
  icu::UnicodeString s = Unicode(text);
  if (s.isEmpty()) return "";
  const UChar32 first = s.char32At(0);
  const int32_t length = U16_LENGTH(first);
  icu::UnicodeString head(s, 0, length);
  head.toUpper(icu::Locale::getRoot());
  return Utf8(head + icu::UnicodeString(s, length));
}

std::vector<std::string> MessageIds(Language language) {
  std::vector<std::string> ids;
  for (const auto& [id, pattern] : CatalogueOf(language)) ids.push_back(id);
  return ids;
}

}  // namespace palermo::reporting
