// Names of reporting entities as the United Nations wrote them on a
// document's date, in French and English, with the grammar French sentences
// need (article, elision, locative preposition). Names come from Debian's
// iso-codes (EntityRegistry) except where data/reporting/un-names.json, a
// dated table of exceptions with its sources, says the UN used another name
// then ("République tchèque", "El Salvador", "Myanmar"); the grammar comes
// from rules with a table of exceptions in the same file.
#ifndef PALERMO_SERVICES_REPORTING_ENTITY_NAMES_H_
#define PALERMO_SERVICES_REPORTING_ENTITY_NAMES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/common/v1/common.pb.h"
#include "services/common/entities.h"
#include "services/reporting/language.h"

namespace palermo::reporting {

// How a name is used in a sentence.
enum class NameForm {
  kBare,      // "Bélarus", "Pays-Bas" / "Belarus", "Netherlands"
  kArticle,   // "le Bélarus", "les Pays-Bas", "l'Estonie", "El Salvador" /
              // "Belarus", "the Netherlands"
  kLocative,  // "au Bélarus", "aux Pays-Bas", "en Estonie", "à Maurice" /
              // "in Belarus", "in the Netherlands"
};

class EntityNames {
 public:
  // The exceptions table (JSON) and the registry for everything else.
  static absl::StatusOr<EntityNames> Load(const EntityRegistry& registry,
                                          const std::string& table_json);
  // Same, with the table compiled into the binary from data/reporting/.
  static absl::StatusOr<EntityNames> LoadDefault(const EntityRegistry& registry);

  // `countries/CZE` on 2008-01-24 in French, bare: "République tchèque".
  // `organizations/LAS`: "Ligue des États arabes" / "League of Arab States".
  // NOT_FOUND for an entity the registry does not know.
  absl::StatusOr<std::string> Name(absl::string_view entity,
                                   const common::v1::PartialDate& as_of,
                                   Language language, NameForm form) const;
  // Whether it is a State (countries/...) rather than an organization.
  static bool IsState(absl::string_view entity);
  // `entities` (distinct) in the order reports list them: States in the
  // language's collation of their bare names, then organizations.
  absl::StatusOr<std::vector<std::string>> InReportOrder(
      const std::vector<std::string>& entities,
      const common::v1::PartialDate& as_of, Language language) const;
  // Whether the name is grammatically plural in `language` ("les Pays-Bas",
  // "les Philippines"): the catalogues select verb agreement on it.
  // NOT_FOUND like Name().
  absl::StatusOr<bool> IsPlural(absl::string_view entity,
                                const common::v1::PartialDate& as_of,
                                Language language) const;

 private:
  // A name the UN used for `entity` in `language` from `from` (inclusive)
  // until `until` (exclusive; open when unset), as yyyymmdd.
  struct DatedName {
    std::string entity;
    Language language;
    std::string name;
    int from = 0;
    std::optional<int> until;
  };
  // French grammar that differs from the rules; unset fields keep them.
  struct FrenchGrammar {
    std::optional<bool> article;
    std::optional<bool> plural;
    std::optional<bool> elide;
    std::optional<bool> feminine;
    std::optional<std::string> locative;
  };
  struct Grammar {
    bool article = true;
    bool plural = false;
    bool elide = false;
    bool feminine = false;
    std::optional<std::string> locative;
  };

  absl::StatusOr<std::string> BareName(absl::string_view entity,
                                       const common::v1::PartialDate& as_of,
                                       Language language) const;
  Grammar FrenchGrammarOf(const std::string& name) const;
  bool EnglishArticle(const std::string& name) const;

  EntityRegistry registry_;
  std::vector<DatedName> names_;
  absl::flat_hash_map<std::string, FrenchGrammar> french_by_name_;
  absl::flat_hash_map<std::string, FrenchGrammar> french_by_head_;
  absl::flat_hash_map<std::string, bool> english_article_;
};

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_ENTITY_NAMES_H_
