// Entity names as the UN wrote them on a date (iso-codes plus the dated
// exceptions of data/reporting/un-names.json), and the French grammar of
// articles, elision and locative prepositions: rules, then the table's
// exceptions (by whole name, then by the name's first word).
#include "services/reporting/entity_names.h"

#include "services/reporting/text.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/reporting/embedded_text.h"

namespace palermo::reporting {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr char kApostrophe[] = "\xE2\x80\x99";  // ’, as the source prints it

// yyyymmdd of "2008-01-24"; 0 for an empty or malformed string.
int ParseDay(const std::string& text) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return 0;
  return y * 10000 + m * 100 + d;
}

// A partial date's first day; an unset date reads as today's names.
int DayOf(const common::v1::PartialDate& date) {
  if (date.year() == 0) return 99999999;
  return date.year() * 10000 + std::max(date.month(), 1) * 100 +
         std::max(date.day(), 1);
}

const Value* Field(const Struct& s, const char* key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? nullptr : &it->second;
}

std::string StringOf(const Struct& s, const char* key) {
  const Value* v = Field(s, key);
  return v == nullptr ? "" : v->string_value();
}

std::optional<bool> BoolOf(const Struct& s, const char* key) {
  const Value* v = Field(s, key);
  if (v == nullptr || v->kind_case() != Value::kBoolValue) return std::nullopt;
  return v->bool_value();
}

std::string FirstWord(absl::string_view name) {
  return std::string(name.substr(0, name.find(' ')));
}

bool StartsWithVowel(absl::string_view name) {
  for (const char* vowel : {"A", "E", "I", "O", "U", "H", "Â", "À", "Å", "É",
                            "È", "Ê", "Î", "Ï", "Ô", "Œ", "Û", "Ü"}) {
    if (absl::StartsWith(name, vowel)) return true;
  }
  return false;
}

// iso-codes writes some names inverted: "Corée, République de",
// "Lao, République démocratique populaire", "Korea, Republic of",
// "Bolivia, Plurinational State of". The UN writes "République de Corée",
// "République démocratique populaire lao", "Republic of Korea",
// "Bolivia (Plurinational State of)".
std::string Uninvert(const std::string& name, Language language) {
  std::vector<std::string> parts = absl::StrSplit(name, absl::MaxSplits(", ", 1));
  if (parts.size() != 2) return name;
  std::string head = parts[0];
  std::string tail = parts[1];
  if (language == Language::kEnglish) {
    if (absl::StartsWith(tail, "The ")) tail = tail.substr(4);
    if (!absl::EndsWith(tail, " of") && !absl::EndsWith(tail, " of the")) {
      return name;  // "Virgin Islands, British" and the like stay as they are
    }
    if (absl::StartsWith(tail, "Republic") ||
        absl::StartsWith(tail, "United Republic") ||
        absl::StartsWith(tail, "Democratic Republic") ||
        absl::StartsWith(tail, "State of")) {
      return absl::StrCat(tail, " ", head);
    }
    return absl::StrCat(head, " (", tail, ")");
  }
  if (!tail.empty()) tail[0] = absl::ascii_toupper(tail[0]);
  if (absl::StartsWith(tail, "\xC3\xA9")) tail.replace(0, 2, "\xC3\x89");  // é
  if (absl::EndsWith(tail, " d'")) {
    return absl::StrCat(tail.substr(0, tail.size() - 1), kApostrophe, head);
  }
  if (absl::EndsWith(tail, " de") || absl::EndsWith(tail, " du")) {
    return absl::StrCat(tail, " ", head);
  }
  if (absl::StartsWith(tail, "République")) {
    // "République démocratique populaire lao", "République arabe syrienne".
    if (!head.empty()) head[0] = absl::ascii_tolower(head[0]);
    return absl::StrCat(tail, " ", head);
  }
  return absl::StrCat(tail, " ", head);  // "Îles Salomon"
}

}  // namespace

absl::StatusOr<EntityNames> EntityNames::Load(const EntityRegistry& registry,
                                              const std::string& table_json) {
  Struct root;
  if (auto s = google::protobuf::util::JsonStringToMessage(table_json, &root);
      !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("UN names table is not JSON: ", s.ToString()));
  }
  EntityNames names;
  names.registry_ = registry;
  if (const Value* list = Field(root, "names")) {
    for (const Value& v : list->list_value().values()) {
      const Struct& e = v.struct_value();
      DatedName name;
      name.entity = StringOf(e, "entity");
      auto language = ParseLanguage(StringOf(e, "language"), "names.language");
      if (!language.ok()) return language.status();
      name.language = *language;
      name.name = StringOf(e, "name");
      name.from = ParseDay(StringOf(e, "from"));
      if (const std::string until = StringOf(e, "until"); !until.empty()) {
        name.until = ParseDay(until);
      }
      if (name.entity.empty() || name.name.empty() || name.from == 0 ||
          (name.until && *name.until == 0) || StringOf(e, "source").empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "UN names table: entry for \"", name.entity,
            "\" needs entity, language, name, from (yyyy-mm-dd) and source"));
      }
      names.names_.push_back(std::move(name));
    }
  }
  if (const Value* list = Field(root, "french_grammar")) {
    for (const Value& v : list->list_value().values()) {
      const Struct& e = v.struct_value();
      FrenchGrammar g;
      g.article = BoolOf(e, "article");
      g.plural = BoolOf(e, "plural");
      g.elide = BoolOf(e, "elide");
      if (const std::string gender = StringOf(e, "gender"); !gender.empty()) {
        g.feminine = gender == "f";
      }
      if (const std::string loc = StringOf(e, "locative"); !loc.empty()) {
        g.locative = loc;
      }
      if (const std::string name = StringOf(e, "name"); !name.empty()) {
        names.french_by_name_[name] = g;
      } else if (const std::string head = StringOf(e, "head"); !head.empty()) {
        names.french_by_head_[head] = g;
      } else {
        return absl::InvalidArgumentError(
            "UN names table: a french_grammar entry needs name or head");
      }
    }
  }
  if (const Value* list = Field(root, "english_grammar")) {
    for (const Value& v : list->list_value().values()) {
      const Struct& e = v.struct_value();
      names.english_article_[StringOf(e, "name")] =
          BoolOf(e, "article").value_or(true);
    }
  }
  return names;
}

absl::StatusOr<EntityNames> EntityNames::LoadDefault(
    const EntityRegistry& registry) {
  return Load(registry, embedded::kUnNames);
}

bool EntityNames::IsState(absl::string_view entity) {
  return absl::StartsWith(entity, "countries/");
}

absl::StatusOr<std::string> EntityNames::BareName(
    absl::string_view entity, const common::v1::PartialDate& as_of,
    Language language) const {
  auto resolved = registry_.Resolve(entity, "entity");
  if (!resolved.ok()) {
    return absl::NotFoundError(
        absl::StrCat("no reporting entity \"", entity, "\""));
  }
  const int day = DayOf(as_of);
  for (const DatedName& name : names_) {
    if (name.entity == entity && name.language == language &&
        name.from <= day && (!name.until || day < *name.until)) {
      return name.name;
    }
  }
  if (language == Language::kEnglish) {
    return Uninvert(resolved->display_name(), language);
  }
  return absl::StrReplaceAll(Uninvert(resolved->french_name(), language),
                             {{"'", kApostrophe}});
}

EntityNames::Grammar EntityNames::FrenchGrammarOf(
    const std::string& name) const {
  const std::string head = FirstWord(name);
  Grammar g;
  g.plural = absl::EndsWith(head, "s") || absl::EndsWith(head, "x");
  g.feminine = absl::EndsWith(head, "e");
  g.elide = StartsWithVowel(name);
  for (const auto* table : {&french_by_head_, &french_by_name_}) {
    auto it = table->find(table == &french_by_head_ ? head : name);
    if (it == table->end()) continue;
    const FrenchGrammar& e = it->second;
    if (e.article) g.article = *e.article;
    if (e.plural) g.plural = *e.plural;
    if (e.elide) g.elide = *e.elide;
    if (e.feminine) g.feminine = *e.feminine;
    if (e.locative) g.locative = *e.locative;
  }
  return g;
}

bool EntityNames::EnglishArticle(const std::string& name) const {
  if (auto it = english_article_.find(name); it != english_article_.end()) {
    return it->second;
  }
  for (absl::string_view word : absl::StrSplit(name, ' ')) {
    for (const char* common : {"Republic", "Kingdom", "Federation", "Islands",
                               "States", "Emirates", "Union", "Organization",
                               "League", "Office", "Fund", "Division", "Bank",
                               "Group", "Institute"}) {
      if (word == common) return true;
    }
  }
  return false;
}

absl::StatusOr<std::string> EntityNames::Name(
    absl::string_view entity, const common::v1::PartialDate& as_of,
    Language language, NameForm form) const {
  auto bare = BareName(entity, as_of, language);
  if (!bare.ok() || form == NameForm::kBare) return bare;
  if (language == Language::kEnglish) {
    std::string article =
        EnglishArticle(*bare) ? absl::StrCat("the ", *bare) : *bare;
    return form == NameForm::kLocative ? absl::StrCat("in ", article)
                                       : article;
  }
  const Grammar g = FrenchGrammarOf(*bare);
  const bool state = IsState(entity);
  if (form == NameForm::kArticle) {
    if (!g.article) return *bare;
    if (g.plural) return absl::StrCat("les ", *bare);
    if (g.elide) return absl::StrCat("l", kApostrophe, *bare);
    return absl::StrCat(g.feminine ? "la " : "le ", *bare);
  }
  if (g.locative) return absl::StrCat(*g.locative, " ", *bare);
  if (!g.article) return absl::StrCat("à ", *bare);
  if (g.plural) return absl::StrCat("aux ", *bare);
  if (g.elide) {
    return state ? absl::StrCat("en ", *bare)
                 : absl::StrCat("à l", kApostrophe, *bare);
  }
  if (g.feminine) {
    return absl::StrCat(state ? "en " : "à la ", *bare);
  }
  return absl::StrCat("au ", *bare);
}

absl::StatusOr<bool> EntityNames::IsPlural(
    absl::string_view entity, const common::v1::PartialDate& as_of,
    Language language) const {
  auto bare = BareName(entity, as_of, language);
  if (!bare.ok()) return bare.status();
  if (language == Language::kFrench) return FrenchGrammarOf(*bare).plural;
  return false;  // English verbs of the catalogue do not agree in number
}

absl::StatusOr<std::vector<std::string>> EntityNames::InReportOrder(
    const std::vector<std::string>& entities,
    const common::v1::PartialDate& as_of, Language language) const {
  // Sorted as "bare name \x1f entity": unique, and split back after.
  std::vector<std::string> groups[2];  // States, organizations
  for (const std::string& entity : entities) {
    auto bare = Name(entity, as_of, language, NameForm::kBare);
    if (!bare.ok()) return bare.status();
    groups[IsState(entity) ? 0 : 1].push_back(
        absl::StrCat(*bare, "\x1f", entity));
  }
  std::vector<std::string> out;
  for (auto& group : groups) {
    SortCollated(group, language);
    for (const std::string& key : group) {
      out.push_back(key.substr(key.find('\x1f') + 1));
    }
  }
  return out;
}

}  // namespace palermo::reporting
