// Tests of facts.h: observation sentences (hand-built records and the real
// data/enforcement files, paras 12-25), and the other collections.
#include "services/reporting/facts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/reporting/text.h"

namespace palermo::reporting {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

common::v1::PartialDate Date(int y, int m = 0, int d = 0) {
  common::v1::PartialDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  date.set_precision(d ? common::v1::DATE_PRECISION_DAY
                       : m ? common::v1::DATE_PRECISION_MONTH
                           : common::v1::DATE_PRECISION_YEAR);
  return date;
}

class FactsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto registry = EntityRegistry::Load("/usr/share/iso-codes/json");
    ASSERT_TRUE(registry.ok());
    auto names = EntityNames::LoadDefault(*registry);
    ASSERT_TRUE(names.ok());
    names_ = new EntityNames(*std::move(names));
  }
  void SetUp() override {
    *data_.cycle.mutable_cutoff_date() = Date(2008, 1, 24);
  }

  std::string Render(const std::string& collection,
                     const std::vector<const google::protobuf::Message*>& records,
                     Language language) {
    auto facts = RenderFacts(collection, records, data_, *names_,
                             Date(2008, 1, 24), language);
    EXPECT_TRUE(facts.ok()) << facts.status();
    return facts.ok() ? facts->text : "";
  }

  // Observations of data/enforcement/{code}.json, named in file order.
  std::vector<enforcement::v1::Observation> Load(const std::string& code) {
    std::ifstream in(absl::StrCat(PALERMO_SOURCE_DIR, "/data/enforcement/",
                                  code, ".json"));
    std::stringstream text;
    text << in.rdbuf();
    enforcement::v1::ImportObservationsRequest request;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(text.str(), &request).ok());
    std::vector<enforcement::v1::Observation> out;
    for (auto o : request.observations()) {
      o.set_name(absl::StrCat(o.entity(), "/observations/", out.size()));
      out.push_back(o);
    }
    return out;
  }

  std::string RenderFile(const std::string& code, Language language) {
    observations_ = Load(code);
    std::vector<const google::protobuf::Message*> records;
    for (const auto& o : observations_) records.push_back(&o);
    return Render("observations", records, language);
  }

  static EntityNames* names_;
  CycleData data_;
  std::vector<enforcement::v1::Observation> observations_;
};
EntityNames* FactsTest::names_ = nullptr;

TEST_F(FactsTest, MyanmarFiguresWithTheirPeriod) {
  const std::string fr = RenderFile("MMR", Language::kFrench);
  EXPECT_THAT(fr, HasSubstr("Le Myanmar a indiqué que, entre juillet 2002 et "
                            "octobre 2007, on dénombrait 1 037 cas de traite "
                            "des personnes, 2 078 auteurs d’infractions et "
                            "5 513 victimes secourues."));
  EXPECT_THAT(fr, HasSubstr("Le Myanmar a indiqué que, en 2004, on dénombrait "
                            "1 unité spécialisée de lutte contre la traite."));
  EXPECT_THAT(fr, HasSubstr("40 membres du personnel"));
  EXPECT_THAT(fr, HasSubstr("18 équipes spéciales locales"));
  const std::string en = RenderFile("MMR", Language::kEnglish);
  EXPECT_THAT(en, HasSubstr("Myanmar reported, between July 2002 and October "
                            "2007, 1,037 cases of trafficking in persons, "
                            "2,078 offenders and 5,513 victims rescued."));
}

TEST_F(FactsTest, CubaFigureWithItsNote) {
  const std::string fr = RenderFile("CUB", Language::kFrench);
  EXPECT_THAT(fr, HasSubstr("Cuba a indiqué que, entre 1999 et juin 2004, on "
                            "dénombrait 112 personnes poursuivies."));
  EXPECT_THAT(fr, HasSubstr("Cuba a précisé que le chiffre de 112 personnes "
                            "poursuivies repose sur une autre définition: « "
                            "poursuivi 112 individus entre 1999 et juin 2004 "
                            "pour traite des êtres humains ou trafic illicite "
                            "de migrants"));
  EXPECT_THAT(fr, Not(HasSubstr("smuggling")));
  const std::string en = RenderFile("CUB", Language::kEnglish);
  EXPECT_THAT(en, HasSubstr("Cuba reported, between 1999 and June 2004, 112 "
                            "persons prosecuted."));
  EXPECT_THAT(en, HasSubstr("follows a different definition: includes migrant "
                            "smuggling"));
}

TEST_F(FactsTest, CroatiaTotalAndYears) {
  const std::string fr = RenderFile("HRV", Language::kFrench);
  EXPECT_THAT(fr, HasSubstr("La Croatie a indiqué que, entre 2002 et janvier "
                            "2007, on dénombrait 65 victimes de la traite "
                            "identifiées."));
  for (const char* year : {"en 2005, on dénombrait 6 victimes",
                           "en 2006, on dénombrait 13 victimes",
                           "en 2007, on dénombrait 11 victimes"}) {
    EXPECT_THAT(fr, HasSubstr(year));
  }
}

TEST_F(FactsTest, LiechtensteinZeroAndRomaniaWithoutPeriod) {
  EXPECT_EQ(RenderFile("LIE", Language::kFrench),
            "Le Liechtenstein a indiqué n’avoir connaissance d’aucun cas de "
            "traite des personnes.");
  EXPECT_EQ(RenderFile("LIE", Language::kEnglish),
            "Liechtenstein reported no cases of trafficking in persons.");
  EXPECT_EQ(RenderFile("ROU", Language::kFrench),
            "La Roumanie a indiqué que l’on dénombrait 551 appels reçus par "
            "une ligne d’assistance téléphonique, 36 appels concernant des "
            "soupçons de traite et 8 cas de traite révélés par les enquêtes "
            "consécutives à ces appels. Les 36 appels concernant des soupçons de "
            "traite portaient sur des pays de destination comme la Belgique, "
            "Chypre, l’Italie et la République tchèque.");
}

TEST_F(FactsTest, PluralEntitiesAgree) {
  const std::string fr = RenderFile("PHL", Language::kFrench);
  EXPECT_EQ(fr, "Les Philippines ont indiqué que, jusqu’en juin 2007, on "
                "dénombrait 315 victimes ayant reçu une assistance.");
}

// Every figure of paras 12-25 comes out in its State's sentence.
TEST_F(FactsTest, EveryFigureOfTheRealFiles) {
  for (const char* code :
       {"CUB", "GRC", "HRV", "LIE", "MMR", "PHL", "ROU", "SLV", "UKR"}) {
    for (Language language : {Language::kFrench, Language::kEnglish}) {
      const std::string text = RenderFile(code, language);
      auto name = names_->Name(absl::StrCat("countries/", code),
                               Date(2008, 1, 24), language, NameForm::kArticle);
      ASSERT_TRUE(name.ok());
      for (const auto& o : observations_) {
        // No count: said in words; a zero: "aucun"; else the number.
        const std::string figure =
            !o.has_value()
                ? (language == Language::kFrench ? "sans en préciser le nombre"
                                                 : "without giving their number")
            : o.value() == 0 ? (language == Language::kFrench ? "aucun" : "no ")
                             : FormatNumber(o.value(), language);
        // The figure stands in a sentence opening with the State's name.
        bool found = false;
        size_t at = 0;
        const std::string opening = CapitalizeFirst(*name);
        while ((at = text.find(opening, at)) != std::string::npos) {
          const size_t end = text.find('.', at + opening.size());
          if (text.substr(at, end - at).find(figure) != std::string::npos) {
            found = true;
            break;
          }
          at += opening.size();
        }
        EXPECT_TRUE(found) << code << " " << o.indicator() << " " << figure
                           << " in: " << text;
        const std::string period = FormatPeriod(o.period(), language);
        if (o.period().start().year() != 0) {
          EXPECT_THAT(text, HasSubstr(period)) << code;
        }
      }
    }
  }
  EXPECT_THAT(RenderFile("SLV", Language::kFrench),
              HasSubstr("El Salvador a indiqué que, en 2005, on dénombrait 32 "
                        "cas de traite ayant fait l’objet d’une enquête, 53 "
                        "personnes arrêtées et 18 personnes poursuivies."));
  EXPECT_THAT(RenderFile("GRC", Language::kFrench),
              HasSubstr("La Grèce a indiqué que, de 2003 à 2006, on dénombrait "
                        "244 cas de traite des personnes, 980 personnes "
                        "arrêtées et 494 victimes de la traite identifiées."));
}

TEST_F(FactsTest, EntitiesInCollationOrderAndRecordsListed) {
  enforcement::v1::Observation a, b;
  a.set_name("countries/UKR/observations/a");
  a.set_entity("countries/UKR");
  a.set_indicator("OFFENCES_REGISTERED");
  a.set_value(350);
  *a.mutable_period()->mutable_start() = Date(2007);
  *a.mutable_period()->mutable_end() = Date(2007);
  b = a;
  b.set_name("countries/BLR/observations/b");
  b.set_entity("countries/BLR");
  auto facts = RenderFacts("observations", {&a, &b}, data_, *names_,
                           Date(2008, 1, 24), Language::kFrench);
  ASSERT_TRUE(facts.ok());
  EXPECT_LT(facts->text.find("Le Bélarus"), facts->text.find("L’Ukraine"));
  EXPECT_THAT(facts->records,
              ::testing::ElementsAre("countries/BLR/observations/b",
                                     "countries/UKR/observations/a"));
  EXPECT_TRUE(absl::IsInvalidArgument(
      RenderFacts("nothing", {&a}, data_, *names_, Date(2008), Language::kFrench)
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      RenderFacts("measures", {&a}, data_, *names_, Date(2008), Language::kFrench)
          .status()));
}

TEST_F(FactsTest, DescriptiveRecordsQuoteFrenchSourcesAndEnglishText) {
  coordination::v1::CoordinationBody body;
  body.set_name("countries/NLD/coordinationBodies/expertise-centre");
  body.set_display_name("Expertise Centre on Human Trafficking and Smuggling");
  body.set_notes("An analyst's note, never published.");
  body.set_mandate("Created in 2005.");
  auto* source = body.add_sources();
  source->set_excerpt("du centre d’expertise sur la traite");
  source->set_excerpt_language("fr");
  EXPECT_EQ(Render("coordination_bodies", {&body}, Language::kFrench),
            "Les Pays-Bas ont mentionné un organe de coordination: « du centre "
            "d’expertise sur la traite ».");
  EXPECT_EQ(Render("coordination_bodies", {&body}, Language::kEnglish),
            "The Netherlands reported a coordination body: Expertise Centre "
            "on Human Trafficking and Smuggling (created in 2005).");
  assistance::v1::Measure shelter;
  shelter.set_name("countries/EST/measures/shelter");
  shelter.set_measure_type("SHELTER");
  EXPECT_EQ(Render("measures", {&shelter}, Language::kFrench),
            "L’Estonie a mentionné l’hébergement en lieu sûr des victimes.");
}

TEST_F(FactsTest, LegislationAndResponses) {
  legislation::v1::Legislation l;
  l.set_name("countries/HRV/legislation");
  l.mutable_protocol()->set_status(legislation::v1::TREATY_STATUS_RATIFIED);
  l.mutable_specific_law()->set_kind(legislation::v1::LAW_KIND_ANTI_TRAFFICKING);
  l.mutable_specific_law()->set_status(legislation::v1::LAW_STATUS_IN_FORCE);
  l.mutable_specific_law()->set_year(2004);
  const std::string fr = Render("legislations", {&l}, Language::kFrench);
  EXPECT_THAT(fr, HasSubstr("La Croatie a ratifié le Protocole relatif à la "
                            "traite des personnes."));
  EXPECT_THAT(fr, HasSubstr("La Croatie a indiqué disposer d’une loi "
                            "spécifique contre la traite des personnes, "
                            "adoptée en 2004."));
  reporting::v1::Response r;
  r.set_name("cycles/ccpcj-17/responses/EST");
  r.set_entity("countries/EST");
  *r.mutable_received_date() = Date(2007, 11, 12);
  EXPECT_EQ(Render("responses", {&r}, Language::kFrench),
            "L’Estonie a répondu le 12 novembre 2007.");
  EXPECT_EQ(Render("responses", {&r}, Language::kEnglish),
            "Estonia replied on 12 November 2007.");
}

}  // namespace
}  // namespace palermo::reporting
