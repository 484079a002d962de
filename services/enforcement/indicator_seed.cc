// The seeded indicator code list (indicator_seed.h). The texts are
// constants of this file; once applied by a store, a step's SQL never
// changes (a new step is appended instead).
#include "services/enforcement/indicator_seed.h"

#include "absl/strings/str_cat.h"

namespace palermo::enforcement {
namespace {

// The indicators the report's figures need (issue: managed code list).
constexpr const char* kSeedIndicators[][4] = {
    {"CASES_INVESTIGATED", "Cases investigated",
     "Trafficking cases investigated", "cases"},
    {"CASES_DETECTED", "Cases detected",
     "Trafficking cases detected or recorded", "cases"},
    {"PERSONS_ARRESTED", "Persons arrested", "Persons arrested for trafficking",
     "persons"},
    {"PERSONS_PROSECUTED", "Persons prosecuted",
     "Persons prosecuted for trafficking", "persons"},
    {"PERSONS_CONVICTED", "Persons convicted",
     "Persons convicted of trafficking", "persons"},
    {"OFFENDERS_IDENTIFIED", "Offenders identified",
     "Suspected offenders identified", "persons"},
    {"VICTIMS_IDENTIFIED", "Victims identified",
     "Victims of trafficking identified", "persons"},
    {"VICTIMS_RESCUED", "Victims rescued", "Victims of trafficking rescued",
     "persons"},
    {"VICTIMS_ASSISTED", "Victims assisted", "Victims of trafficking assisted",
     "persons"},
    {"OFFENCES_REGISTERED", "Offences registered",
     "Trafficking offences registered", "offences"},
    {"CRIMINAL_PROCEEDINGS_OPENED", "Criminal proceedings opened",
     "Criminal proceedings opened for trafficking", "proceedings"},
    {"ORGANIZED_GROUPS_DISMANTLED", "Organized criminal groups dismantled",
     "Organized criminal groups involved in trafficking dismantled", "groups"},
    {"HOTLINE_CALLS", "Hotline calls received", "Calls received by a hotline",
     "calls"},
    {"HOTLINE_CALLS_TRAFFICKING", "Trafficking-related hotline calls",
     "Hotline calls concerning suspected trafficking", "calls"},
    {"CASES_REVEALED_BY_HOTLINE", "Cases revealed by hotline calls",
     "Trafficking cases revealed by investigations following hotline calls",
     "cases"},
    {"SPECIALIZED_UNITS", "Specialized units",
     "Specialized law enforcement units against trafficking", "units"},
    {"SPECIALIZED_UNIT_STAFF", "Staff of specialized units",
     "Staff of specialized law enforcement units", "persons"},
};

std::string FirstSeed() {
  std::string seed =
      "INSERT INTO indicators(code, display_name, description, unit) VALUES ";
  bool first = true;
  for (const auto& row : kSeedIndicators) {
    absl::StrAppend(&seed, first ? "" : ",", "('", row[0], "','", row[1], "','",
                    row[2], "','", row[3], "')");
    first = false;
  }
  return seed;
}

}  // namespace

const std::vector<std::string>& IndicatorSeedSteps() {
  static const auto* steps = new std::vector<std::string>{
      FirstSeed(),
      // Stocks (units in place, their staff) are not summed over time.
      "ALTER TABLE indicators ADD COLUMN kind INTEGER NOT NULL DEFAULT 1;"
      "UPDATE indicators SET kind = 2 WHERE code IN"
      "  ('SPECIALIZED_UNITS', 'SPECIALIZED_UNIT_STAFF');"
      "INSERT INTO indicators(code, display_name, description, unit, kind)"
      "  VALUES ('SPECIALIZED_LOCAL_TEAMS', 'Local specialized teams',"
      "  'Local teams of a specialized anti-trafficking unit', 'teams', 2);",
      // Facts of E/CN.15/2008/6 that had no code (issue 10): cases that
      // dismantled a transnational criminal group (para 18), and offences
      // related to exploitation repressed (para 13, reported without count).
      "INSERT INTO indicators(code, display_name, description, unit, kind)"
      "  VALUES ('CASES_DISMANTLING_TRANSNATIONAL_GROUPS',"
      "  'Cases dismantling transnational criminal groups',"
      "  'Trafficking cases that led to the dismantling of a transnational"
      " organized criminal group', 'cases', 1),"
      "  ('EXPLOITATION_OFFENCES_REPRESSED',"
      "  'Exploitation offences repressed',"
      "  'Offences related to exploitation committed on the territory and"
      " repressed', 'offences', 1);",
  };
  return *steps;
}

}  // namespace palermo::enforcement
