#include "services/common/entities.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/flags.h"
#include "services/common/status.h"

namespace palermo {
namespace {

using common::v1::ReportingEntity;

// Intergovernmental organizations have no ISO code. The League of Arab States
// answered (para 3); the others are partners or members of the Inter-Agency
// Coordination Group against Trafficking in Persons (paras 85-86).
struct OrganizationName {
  const char* id;
  const char* name;
  const char* french_name;
};
constexpr OrganizationName kOrganizations[] = {
    {"LAS", "League of Arab States", "Ligue des États arabes"},
    {"ICAT", "Inter-Agency Coordination Group against Trafficking in Persons",
     "Groupe interinstitutions de coopération contre la traite des êtres "
     "humains"},
    {"ILO", "International Labour Organization",
     "Organisation internationale du Travail"},
    {"IOM", "International Organization for Migration",
     "Organisation internationale pour les migrations"},
    {"UNICEF", "United Nations Children's Fund",
     "Fonds des Nations Unies pour l'enfance"},
    {"UNIFEM", "United Nations Development Fund for Women",
     "Fonds de développement des Nations Unies pour la femme"},
    {"DAW",
     "Division for the Advancement of Women, Department of Economic and "
     "Social Affairs",
     "Division de la promotion de la femme du Département des affaires "
     "économiques et sociales"},
    {"UNHCR", "Office of the United Nations High Commissioner for Refugees",
     "Haut Commissariat des Nations Unies pour les réfugiés"},
    {"UNFPA", "United Nations Population Fund",
     "Fonds des Nations Unies pour la population"},
    {"OHCHR", "Office of the United Nations High Commissioner for Human Rights",
     "Haut Commissariat des Nations Unies aux droits de l'homme"},
    {"UNFIP", "United Nations Fund for International Partnerships",
     "Fonds des Nations Unies pour les partenariats internationaux"},
    {"OSRSG-CAAC",
     "Office of the Special Representative of the Secretary-General for "
     "Children and Armed Conflict",
     "Bureau du Représentant spécial du Secrétaire général pour les enfants "
     "et les conflits armés"},
    {"INTERPOL", "International Criminal Police Organization",
     "Organisation internationale de police criminelle"},
    {"WB", "World Bank", "Banque mondiale"},
    {"INSTRAW",
     "International Research and Training Institute for the Advancement of "
     "Women",
     "Institut international de recherche et de formation pour la promotion "
     "de la femme"},
    {"UNODC", "United Nations Office on Drugs and Crime",
     "Office des Nations Unies contre la drogue et le crime"},
};

ReportingEntity Organization(std::string id, std::string name,
                             std::string french_name) {
  ReportingEntity e;
  e.set_name(absl::StrCat("organizations/", id));
  e.set_kind(common::v1::ENTITY_KIND_ORGANIZATION);
  e.set_display_name(name);
  e.set_official_name(std::move(name));
  e.set_french_name(french_name);
  e.set_french_official_name(std::move(french_name));
  return e;
}

// French names come from iso-codes' gettext catalogue (iso_3166-1.mo).
// LANGUAGE picks the catalogue's language and is honoured under C.UTF-8,
// which every glibc has, so no French locale needs generating. Used while
// the registry loads, before the server starts its threads.
class FrenchCatalogue {
 public:
  FrenchCatalogue() {
    if (const char* language = getenv("LANGUAGE")) saved_language_ = language;
    setenv("LANGUAGE", "fr", 1);
    locale_ = newlocale(LC_MESSAGES_MASK, "C.UTF-8", static_cast<locale_t>(0));
    if (locale_ != static_cast<locale_t>(0)) previous_ = uselocale(locale_);
    bind_textdomain_codeset(kDomain, "UTF-8");
  }
  ~FrenchCatalogue() {
    if (locale_ != static_cast<locale_t>(0)) {
      uselocale(previous_);
      freelocale(locale_);
    }
    if (saved_language_) {
      setenv("LANGUAGE", saved_language_->c_str(), 1);
    } else {
      unsetenv("LANGUAGE");
    }
  }
  // The French name, or the English one where the catalogue has none.
  std::string Translate(const std::string& english) const {
    return english.empty() ? english : dgettext(kDomain, english.c_str());
  }

 private:
  static constexpr char kDomain[] = "iso_3166-1";
  std::optional<std::string> saved_language_;
  locale_t locale_;
  locale_t previous_ = LC_GLOBAL_LOCALE;
};

std::string StringField(const google::protobuf::Struct& s, const char* key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

}  // namespace

absl::StatusOr<EntityRegistry> EntityRegistry::Load(
    const std::string& iso_codes_dir) {
  const std::string path = iso_codes_dir + "/iso_3166-1.json";
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", path, " (Debian package iso-codes)"));
  }
  std::stringstream text;
  text << in.rdbuf();
  google::protobuf::Struct root;
  if (auto s = google::protobuf::util::JsonStringToMessage(text.str(), &root);
      !s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot parse ", path, ": ", s.ToString()));
  }
  EntityRegistry registry;
  const FrenchCatalogue french;
  auto list = root.fields().find("3166-1");
  if (list == root.fields().end()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " has no \"3166-1\" list"));
  }
  for (const auto& value : list->second.list_value().values()) {
    const auto& country = value.struct_value();
    ReportingEntity e;
    const std::string alpha3 = StringField(country, "alpha_3");
    e.set_name(absl::StrCat("countries/", alpha3));
    e.set_kind(common::v1::ENTITY_KIND_STATE);
    e.set_iso_alpha3(alpha3);
    e.set_display_name(StringField(country, "name"));
    std::string official = StringField(country, "official_name");
    e.set_official_name(official.empty() ? e.display_name() : official);
    e.set_french_name(french.Translate(e.display_name()));
    e.set_french_official_name(french.Translate(e.official_name()));
    registry.countries_.emplace(alpha3, std::move(e));
  }
  if (registry.countries_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " lists no country"));
  }
  for (const auto& [id, name, french_name] : kOrganizations) {
    registry.organizations_.emplace(id, Organization(id, name, french_name));
  }
  return registry;
}

absl::StatusOr<EntityRegistry> EntityRegistry::LoadDefault() {
  return Load(absl::GetFlag(FLAGS_iso_codes_dir));
}

absl::StatusOr<ReportingEntity> EntityRegistry::Resolve(
    absl::string_view entity_name, absl::string_view field) const {
  absl::string_view code = entity_name;
  const absl::flat_hash_map<std::string, ReportingEntity>* table = nullptr;
  if (absl::ConsumePrefix(&code, "countries/")) {
    table = &countries_;
  } else if (absl::ConsumePrefix(&code, "organizations/")) {
    table = &organizations_;
  } else {
    return InvalidField(
        std::string(field),
        absl::StrCat("\"", Abbreviate(entity_name),
                     "\" is not countries/{ISO 3166-1 alpha-3} or "
                     "organizations/{id}"));
  }
  auto it = table->find(code);
  if (it == table->end()) {
    return InvalidField(
        std::string(field),
        absl::StrCat("\"", Abbreviate(code), "\" is not ",
                     table == &countries_
                         ? "an ISO 3166-1 alpha-3 code (iso-codes)"
                         : "a known organization"));
  }
  return it->second;
}

bool EntityRegistry::Contains(absl::string_view entity_name) const {
  absl::string_view code = entity_name;
  if (absl::ConsumePrefix(&code, "countries/"))
    return countries_.contains(code);
  if (absl::ConsumePrefix(&code, "organizations/")) {
    return organizations_.contains(code);
  }
  return false;
}

std::string EntityRegistry::EntityOfId(absl::string_view id) const {
  return countries_.contains(id) ? absl::StrCat("countries/", id)
                                 : absl::StrCat("organizations/", id);
}

std::vector<std::string> EntityRegistry::CountryCodes() const {
  std::vector<std::string> codes;
  for (const auto& [code, entity] : countries_) codes.push_back(code);
  std::sort(codes.begin(), codes.end());
  return codes;
}

std::vector<std::string> EntityRegistry::OrganizationIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, entity] : organizations_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace palermo
