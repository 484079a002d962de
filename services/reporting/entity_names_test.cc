// Tests of entity_names.h: the UN's names on the document's date, and the
// lists the source prints (paras 3, 61, 62, footnote 1) in both languages.
#include "services/reporting/entity_names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/reporting/text.h"

namespace palermo::reporting {
namespace {

common::v1::PartialDate Day(int y, int m, int d) {
  common::v1::PartialDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  date.set_precision(common::v1::DATE_PRECISION_DAY);
  return date;
}

class EntityNamesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto registry = EntityRegistry::Load("/usr/share/iso-codes/json");
    ASSERT_TRUE(registry.ok()) << registry.status();
    auto names = EntityNames::LoadDefault(*registry);
    ASSERT_TRUE(names.ok()) << names.status();
    names_ = new EntityNames(*std::move(names));
  }

  std::string Name(const std::string& entity, Language l, NameForm form) {
    auto name = names_->Name(entity, Day(2008, 1, 24), l, form);
    return name.ok() ? *name : name.status().ToString();
  }

  // The way the report lists entities: States collated on their bare name,
  // then organizations, each in `form`.
  std::string List(const std::string& codes, Language l, NameForm form) {
    std::vector<std::pair<std::string, std::string>> states, orgs;
    for (absl::string_view code : absl::StrSplit(codes, ' ')) {
      const std::string entity = code.size() == 3 && code != "LAS"
                                     ? absl::StrCat("countries/", code)
                                     : absl::StrCat("organizations/", code);
      (EntityNames::IsState(entity) ? states : orgs)
          .push_back({Name(entity, l, NameForm::kBare), entity});
    }
    std::vector<std::string> bare;
    for (const auto& [name, entity] : states) bare.push_back(name);
    SortCollated(bare, l);
    std::vector<std::string> out;
    for (const auto& name : bare) {
      for (const auto& [n, entity] : states) {
        if (n == name) out.push_back(Name(entity, l, form));
      }
    }
    for (const auto& [n, entity] : orgs) out.push_back(Name(entity, l, form));
    return JoinList(out, l);
  }

  static EntityNames* names_;
};
EntityNames* EntityNamesTest::names_ = nullptr;

constexpr char kRespondents[] =
    "BLR BGR HRV CUB SLV EST GRC HUN JPN JOR LIE MUS MMR NER OMN NLD PHL POL "
    "QAT CZE ROU SVN UKR LAS";

TEST_F(EntityNamesTest, Paragraph3) {
  EXPECT_EQ(List(kRespondents, Language::kFrench, NameForm::kBare),
            "Bélarus, Bulgarie, Croatie, Cuba, El Salvador, Estonie, Grèce, "
            "Hongrie, Japon, Jordanie, Liechtenstein, Maurice, Myanmar, Niger, "
            "Oman, Pays-Bas, Philippines, Pologne, Qatar, République tchèque, "
            "Roumanie, Slovénie, Ukraine et Ligue des États arabes");
  EXPECT_EQ(List(kRespondents, Language::kEnglish, NameForm::kBare),
            "Belarus, Bulgaria, Croatia, Cuba, Czech Republic, El Salvador, "
            "Estonia, Greece, Hungary, Japan, Jordan, Liechtenstein, "
            "Mauritius, Myanmar, Netherlands, Niger, Oman, Philippines, "
            "Poland, Qatar, Romania, Slovenia, Ukraine and League of Arab "
            "States");
}

TEST_F(EntityNamesTest, Footnote1) {
  const char codes[] = "BLR BGR HRV SLV EST HUN LVA MMR OMN NLD PHL POL ROU";
  EXPECT_EQ(List(codes, Language::kFrench, NameForm::kBare),
            "Bélarus, Bulgarie, Croatie, El Salvador, Estonie, Hongrie, "
            "Lettonie, Myanmar, Oman, Pays-Bas, Philippines, Pologne et "
            "Roumanie");
  EXPECT_EQ(List(codes, Language::kEnglish, NameForm::kBare),
            "Belarus, Bulgaria, Croatia, El Salvador, Estonia, Hungary, "
            "Latvia, Myanmar, Netherlands, Oman, Philippines, Poland and "
            "Romania");
}

TEST_F(EntityNamesTest, Paragraph61WithArticles) {
  const char codes[] =
      "BLR BGR HRV SLV EST JPN MUS MMR NER NLD PHL POL QAT CZE ROU";
  EXPECT_EQ(CapitalizeFirst(List(codes, Language::kFrench, NameForm::kArticle)),
            "Le Bélarus, la Bulgarie, la Croatie, El Salvador, l’Estonie, le "
            "Japon, Maurice, le Myanmar, le Niger, les Pays-Bas, les "
            "Philippines, la Pologne, le Qatar, la République tchèque et la "
            "Roumanie");
  EXPECT_EQ(CapitalizeFirst(List(codes, Language::kEnglish, NameForm::kArticle)),
            "Belarus, Bulgaria, Croatia, the Czech Republic, El Salvador, "
            "Estonia, Japan, Mauritius, Myanmar, the Netherlands, the Niger, "
            "the Philippines, Poland, Qatar and Romania");
}

TEST_F(EntityNamesTest, Paragraph62Locatives) {
  const char codes[] = "BLR HRV SLV EST HUN JPN LVA NLD PHL ROU UKR";
  EXPECT_EQ(List(codes, Language::kFrench, NameForm::kLocative),
            "au Bélarus, en Croatie, en El Salvador, en Estonie, en Hongrie, "
            "au Japon, en Lettonie, aux Pays-Bas, aux Philippines, en "
            "Roumanie et en Ukraine");
  EXPECT_EQ(List(codes, Language::kEnglish, NameForm::kLocative),
            "in Belarus, in Croatia, in El Salvador, in Estonia, in Hungary, "
            "in Japan, in Latvia, in the Netherlands, in the Philippines, in "
            "Romania and in Ukraine");
}

TEST_F(EntityNamesTest, EveryLegislationEntity) {
  const std::vector<std::tuple<const char*, const char*, const char*>> cases =
      {{"BLR", "le Bélarus", "au Bélarus"},
       {"BGR", "la Bulgarie", "en Bulgarie"},
       {"CUB", "Cuba", "à Cuba"},
       {"CZE", "la République tchèque", "en République tchèque"},
       {"EST", "l’Estonie", "en Estonie"},
       {"GRC", "la Grèce", "en Grèce"},
       {"HRV", "la Croatie", "en Croatie"},
       {"HUN", "la Hongrie", "en Hongrie"},
       {"JOR", "la Jordanie", "en Jordanie"},
       {"JPN", "le Japon", "au Japon"},
       {"LIE", "le Liechtenstein", "au Liechtenstein"},
       {"LVA", "la Lettonie", "en Lettonie"},
       {"MMR", "le Myanmar", "au Myanmar"},
       {"MUS", "Maurice", "à Maurice"},
       {"NER", "le Niger", "au Niger"},
       {"NLD", "les Pays-Bas", "aux Pays-Bas"},
       {"OMN", "Oman", "à Oman"},
       {"PHL", "les Philippines", "aux Philippines"},
       {"POL", "la Pologne", "en Pologne"},
       {"QAT", "le Qatar", "au Qatar"},
       {"ROU", "la Roumanie", "en Roumanie"},
       {"SLV", "El Salvador", "en El Salvador"},
       {"SVN", "la Slovénie", "en Slovénie"},
       {"UKR", "l’Ukraine", "en Ukraine"}};
  for (const auto& [code, article, locative] : cases) {
    const std::string entity = absl::StrCat("countries/", code);
    EXPECT_EQ(Name(entity, Language::kFrench, NameForm::kArticle), article);
    EXPECT_EQ(Name(entity, Language::kFrench, NameForm::kLocative), locative);
  }
  EXPECT_EQ(Name("organizations/LAS", Language::kFrench, NameForm::kArticle),
            "la Ligue des États arabes");
  EXPECT_EQ(Name("organizations/LAS", Language::kEnglish, NameForm::kArticle),
            "the League of Arab States");
}

TEST_F(EntityNamesTest, OtherStates) {
  const std::vector<std::tuple<const char*, const char*, const char*>> cases =
      {{"MEX", "le Mexique", "au Mexique"},
       {"IRQ", "l’Iraq", "en Iraq"},
       {"AFG", "l’Afghanistan", "en Afghanistan"},
       {"USA", "les États-Unis", "aux États-Unis"},
       {"ARE", "les Émirats arabes unis", "aux Émirats arabes unis"},
       {"KOR", "la République de Corée", "en République de Corée"},
       {"RUS", "la Fédération de Russie", "en Fédération de Russie"},
       {"LAO", "la République démocratique populaire lao",
        "en République démocratique populaire lao"},
       {"MDA", "la République de Moldova", "en République de Moldova"},
       {"GBR", "le Royaume-Uni", "au Royaume-Uni"},
       {"ISR", "Israël", "en Israël"},
       {"MLT", "Malte", "à Malte"},
       {"CYP", "Chypre", "à Chypre"},
       {"MDG", "Madagascar", "à Madagascar"},
       {"HND", "le Honduras", "au Honduras"},
       {"KHM", "le Cambodge", "au Cambodge"},
       {"MOZ", "le Mozambique", "au Mozambique"},
       {"COM", "les Comores", "aux Comores"},
       {"SLE", "la Sierra Leone", "en Sierra Leone"},
       {"GNB", "la Guinée-Bissau", "en Guinée-Bissau"},
       {"ECU", "l’Équateur", "en Équateur"},
       {"VNM", "le Viet Nam", "au Viet Nam"},
       {"FJI", "les Fidji", "aux Fidji"},
       {"SGP", "Singapour", "à Singapour"}};
  for (const auto& [code, article, locative] : cases) {
    const std::string entity = absl::StrCat("countries/", code);
    EXPECT_EQ(Name(entity, Language::kFrench, NameForm::kArticle), article);
    EXPECT_EQ(Name(entity, Language::kFrench, NameForm::kLocative), locative);
  }
  EXPECT_EQ(Name("countries/KOR", Language::kEnglish, NameForm::kArticle),
            "the Republic of Korea");
  EXPECT_EQ(Name("countries/BOL", Language::kEnglish, NameForm::kBare),
            "Bolivia (Plurinational State of)");
  EXPECT_EQ(Name("countries/TUR", Language::kEnglish, NameForm::kBare),
            "Turkey");
  EXPECT_EQ(Name("countries/GBR", Language::kEnglish, NameForm::kArticle),
            "the United Kingdom");
}

TEST_F(EntityNamesTest, NamesDependOnTheDate) {
  EXPECT_EQ(*names_->Name("countries/CZE", Day(2020, 1, 1), Language::kFrench,
                          NameForm::kBare),
            "Tchéquie");
  EXPECT_EQ(*names_->Name("countries/CZE", Day(2020, 1, 1), Language::kEnglish,
                          NameForm::kBare),
            "Czechia");
  EXPECT_EQ(*names_->Name("countries/SLV", Day(2020, 1, 1), Language::kFrench,
                          NameForm::kBare),
            "El Salvador");
  EXPECT_TRUE(absl::IsNotFound(names_->Name("countries/XXX", Day(2008, 1, 1),
                                            Language::kFrench, NameForm::kBare)
                                   .status()));
  EXPECT_TRUE(*names_->IsPlural("countries/NLD", Day(2008, 1, 1),
                                Language::kFrench));
  EXPECT_FALSE(*names_->IsPlural("countries/BLR", Day(2008, 1, 1),
                                 Language::kFrench));
}

TEST(EntityNamesLoadTest, RejectsBadTables) {
  auto registry = EntityRegistry::Load("/usr/share/iso-codes/json");
  ASSERT_TRUE(registry.ok());
  EXPECT_FALSE(EntityNames::Load(*registry, "not json").ok());
  EXPECT_FALSE(EntityNames::Load(*registry,
                                 R"({"names": [{"entity": "countries/CZE",
                                     "language": "fr", "name": "X"}]})")
                   .ok());  // no dates, no source
}

}  // namespace
}  // namespace palermo::reporting
