// The seeded measure-type catalogue (measure_type_seed.h).
#include "services/assistance/measure_type_seed.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace palermo::assistance {
namespace {

// The catalogue the report needs (issue: a managed catalogue of measure
// types); managed through the API afterwards.
constexpr const char* kSeedTypes[][3] = {
    {"SHELTER", "Shelter or safe housing",
     "Shelters, homes, reception and counselling centres"},
    {"HEALTH_CARE", "Health care", "Medical care"},
    {"PSYCHOLOGICAL_SUPPORT", "Psychological support",
     "Psychological support and counselling"},
    {"LEGAL_AID", "Legal aid", "Legal aid or counselling"},
    {"VOCATIONAL_TRAINING", "Vocational training",
     "Vocational training and education"},
    {"INTERPRETATION", "Interpretation",
     "Interpretation, information in a language the victim understands"},
    {"TRANSPORT", "Transport", "Transport"},
    {"FOOD_AID", "Food aid", "Food aid"},
    {"REPATRIATION", "Repatriation", "Assistance with repatriation"},
    {"REINTEGRATION", "Reintegration",
     "Rehabilitation and reintegration after return"},
    {"CONSULAR_ASSISTANCE", "Consular assistance",
     "Assistance to nationals abroad by consulates and embassies"},
    {"CHILD_TRANSIT_CENTRE", "Transit centres for children",
     "Reception and transit centres for child victims"},
    {"WITNESS_ANONYMITY", "Witness anonymity",
     "Protection of the anonymity of victims and witnesses"},
    {"VIDEO_TESTIMONY", "Testimony by video link",
     "Interviews or testimony by video link"},
    {"IDENTITY_CHANGE", "Change of identity",
     "Change of the witness's identity"},
    {"RELOCATION", "Relocation", "New residence at home or abroad"},
    {"RELEASE_NOTIFICATION", "Notice of a suspect's release",
     "Informing victims of a suspect's release"},
    {"REFLECTION_PERIOD", "Reflection and recovery period",
     "A period to recover and reflect, in days"},
    {"TEMPORARY_RESIDENCE", "Temporary residence permit",
     "Temporary visa or residence permit"},
    {"PROTOCOL_OR_MANUAL", "Protocol or manual",
     "A protocol or manual on assistance"},
    {"SUPPORT_PROGRAMME", "Support programme",
     "A national programme of support and protection"},
    {"NEEDS_ASSESSMENT", "Needs assessment",
     "Experts defining victims' needs and services"},
};

// Para 23 (Philippines): information on victims' rights and related laws
// had no code (issue 10).
constexpr const char* kAddedTypes[][3] = {
    {"RIGHTS_INFORMATION", "Information on rights",
     "Information for victims on their rights and on related laws"},
};

// One INSERT of `rows`: SQL string literals, a quote doubled.
template <size_t N>
std::string InsertSql(const char* const (&rows)[N][3]) {
  auto quote = [](const char* text) {
    return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "''"}}), "'");
  };
  std::string sql =
      "INSERT INTO measure_types(code, display_name, description) VALUES ";
  for (size_t i = 0; i < N; ++i) {
    absl::StrAppend(&sql, i == 0 ? "" : ",", "(", quote(rows[i][0]), ",",
                    quote(rows[i][1]), ",", quote(rows[i][2]), ")");
  }
  return sql;
}

}  // namespace

std::string InitialMeasureTypesSql() { return InsertSql(kSeedTypes); }
std::string AddedMeasureTypesSql() { return InsertSql(kAddedTypes); }

}  // namespace palermo::assistance
