// Rules over enforcement figures: definitions that differ from the
// indicator's (DEFINITION_DIFFERS), overlapping or nested periods in one
// series (OVERLAPPING_PERIODS), figures without a period (UNDATED_FIGURE)
// and counts that exceed the count they are part of (CONTRADICTORY_COUNTS).
#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"
#include "services/common/periods.h"
#include "services/reporting/findings_internal.h"

namespace palermo::reporting::findings_internal {
namespace {

using enforcement::v1::Observation;

// Pairs (part, whole): in one period and breakdown the part counts a subset
// of what the whole counts. Only subsets that hold by definition: persons
// are prosecuted after being arrested (the example), and a
// trafficking-related call is a call. Victims assisted may exceed victims
// identified (others refer them), and convictions of a year often follow
// prosecutions of earlier years (trials last), so those pairs are not here.
constexpr const char* kPartOf[][2] = {
    {"PERSONS_PROSECUTED", "PERSONS_ARRESTED"},
    {"HOTLINE_CALLS_TRAFFICKING", "HOTLINE_CALLS"},
};

std::string EntityOf(const Observation& o) {
  return o.entity().empty() ? EntityOfRecordName(o.name()) : o.entity();
}

bool Dated(const Observation& o) {
  return o.has_period() &&
         (DateGiven(o.period().start()) || DateGiven(o.period().end()));
}

// The days a dated observation's period covers; an end not given is open.
DayRange RangeOfDated(const Observation& o) {
  DayRange range;
  if (DateGiven(o.period().start())) range.first = FirstDay(o.period().start());
  if (DateGiven(o.period().end())) range.last = LastDay(o.period().end());
  return range;
}

using BreakdownKey = std::tuple<int, int, int, std::string>;

BreakdownKey BreakdownOf(const Observation& o) {
  return {o.sex(), o.age_group(), o.exploitation_form(), o.citizenship()};
}

// "sex FEMALE, citizenship UKR", or "total" when there is no breakdown.
std::string BreakdownText(const Observation& o, bool french) {
  std::vector<std::string> parts;
  if (o.sex() != enforcement::v1::SEX_UNSPECIFIED) {
    absl::string_view name = enforcement::v1::Sex_Name(o.sex());
    absl::ConsumePrefix(&name, "SEX_");
    parts.push_back(absl::StrCat(french ? "sexe " : "sex ", name));
  }
  if (o.age_group() != enforcement::v1::AGE_GROUP_UNSPECIFIED) {
    absl::string_view name = enforcement::v1::AgeGroup_Name(o.age_group());
    absl::ConsumePrefix(&name, "AGE_GROUP_");
    parts.push_back(absl::StrCat(french ? "âge " : "age ", name));
  }
  if (o.exploitation_form() != common::v1::EXPLOITATION_FORM_UNSPECIFIED) {
    absl::string_view name =
        common::v1::ExploitationForm_Name(o.exploitation_form());
    absl::ConsumePrefix(&name, "EXPLOITATION_FORM_");
    parts.push_back(absl::StrCat(french ? "forme " : "form ", name));
  }
  if (!o.citizenship().empty()) {
    parts.push_back(absl::StrCat(french ? "nationalité " : "citizenship ",
                                 o.citizenship()));
  }
  if (parts.empty()) return "total";
  return absl::StrJoin(parts, ", ");
}

std::string PeriodText(const Observation& o, bool french) {
  if (!Dated(o)) return french ? "sans période" : "no period";
  common::v1::ReportingPeriod period = o.period();
  if (!DateGiven(period.start())) period.clear_start();
  if (!DateGiven(period.end())) period.clear_end();
  return FormatTimePeriod(period);
}

std::string ValueText(const Observation& o, bool french) {
  if (!o.has_value()) return french ? "sans valeur" : "no value";
  return absl::StrCat(o.value());
}

// "PERSONS_PROSECUTED", with the catalogue's English label in English.
std::string IndicatorText(const CycleData& data, const std::string& code,
                          bool french) {
  if (french) return code;
  for (const enforcement::v1::Indicator& indicator : data.indicators) {
    if (indicator.code() == code && !indicator.display_name().empty()) {
      return absl::StrCat(code, " (", indicator.display_name(), ")");
    }
  }
  return code;
}

void DefinitionDiffers(const CycleData& data, std::vector<v1::Finding>& out) {
  for (const Observation& o : data.observations) {
    if (o.status() != enforcement::v1::OBSERVATION_STATUS_DEFINITION_DIFFERS) {
      continue;
    }
    const std::string entity = EntityOf(o);
    std::string fr = absl::Substitute(
        "Le chiffre de $0 pour l'indicateur $1 ($2, $3) : $4 a le statut "
        "DEFINITION_DIFFERS : ce qu'il compte diffère de la définition de "
        "l'indicateur $1 ; il ne doit être ni comparé ni additionné aux "
        "autres chiffres de cet indicateur, et le rapport doit le dire.",
        Code(entity), IndicatorText(data, o.indicator(), true),
        PeriodText(o, true), BreakdownText(o, true), ValueText(o, true));
    std::string en = absl::Substitute(
        "The figure of $0 for indicator $1 ($2, $3): $4 has the status "
        "DEFINITION_DIFFERS: what it counts differs from the definition of "
        "indicator $1, so it must not be compared or summed with the "
        "indicator's other figures, and the report should say so.",
        Code(entity), IndicatorText(data, o.indicator(), false),
        PeriodText(o, false), BreakdownText(o, false), ValueText(o, false));
    if (!o.notes().empty()) {
      absl::StrAppend(&fr, " Note (en anglais) : « ", o.notes(), " »");
      absl::StrAppend(&en, " Note: \"", o.notes(), "\"");
    }
    out.push_back(
        MakeFinding(kDefinitionDiffers, {entity}, {o.name()}, fr, en));
  }
}

void UndatedFigures(const CycleData& data, std::vector<v1::Finding>& out) {
  for (const Observation& o : data.observations) {
    if (Dated(o)) continue;
    const std::string entity = EntityOf(o);
    out.push_back(MakeFinding(
        kUndatedFigure, {entity}, {o.name()},
        absl::Substitute(
            "Le chiffre de $0 pour l'indicateur $1 ($2) : $3 n'a pas de "
            "période (ni début ni fin) : il ne peut être placé dans une "
            "série, comparé ni additionné sur une période. Enregistrer la "
            "période telle que la réponse la donne, ou la date de la réponse "
            "comme fin.",
            Code(entity), o.indicator(), BreakdownText(o, true),
            ValueText(o, true)),
        absl::Substitute(
            "The figure of $0 for indicator $1 ($2): $3 has no period (neither "
            "start nor end): it cannot be placed in a series, compared or "
            "summed over a window. Record the period as the response gives "
            "it, or the response's date as its end.",
            Code(entity), o.indicator(), BreakdownText(o, false),
            ValueText(o, false))));
  }
}

void OverlappingPeriods(const CycleData& data, std::vector<v1::Finding>& out) {
  // Dated observations per series (entity, indicator, breakdown).
  std::map<std::tuple<std::string, std::string, BreakdownKey>,
           std::vector<const Observation*>>
      series;
  for (const Observation& o : data.observations) {
    if (!Dated(o)) continue;
    series[{EntityOf(o), o.indicator(), BreakdownOf(o)}].push_back(&o);
  }
  for (auto& [key, members] : series) {
    std::stable_sort(members.begin(), members.end(),
                     [](const Observation* a, const Observation* b) {
                       const DayRange ra = RangeOfDated(*a);
                       const DayRange rb = RangeOfDated(*b);
                       // Earlier start first; of equal starts, longer first.
                       return ra.first != rb.first ? ra.first < rb.first
                                                   : ra.last > rb.last;
                     });
    for (size_t i = 0; i < members.size(); ++i) {
      for (size_t j = i + 1; j < members.size(); ++j) {
        const Observation& a = *members[i];
        const Observation& b = *members[j];
        const DayRange ra = RangeOfDated(a);
        const DayRange rb = RangeOfDated(b);
        if (!ra.Overlaps(rb)) continue;
        const char* fr_relation = "chevauche";
        const char* en_relation = "overlaps";
        if (ra == rb) {
          fr_relation = "couvre la même période que";
          en_relation = "covers the same period as";
        } else if (ra.Contains(rb)) {
          fr_relation = "contient";
          en_relation = "contains";
        }
        const std::string entity = std::get<0>(key);
        out.push_back(MakeFinding(
            kOverlappingPeriods, {entity}, {a.name(), b.name()},
            absl::Substitute(
                "Dans la série de $0 pour l'indicateur $1 ($2), la période "
                "$3 ($4) $5 la période $6 ($7) : des chiffres de périodes "
                "imbriquées ou qui se chevauchent ne doivent pas être "
                "additionnés ; préciser quel chiffre vaut pour quelle "
                "période.",
                Code(entity), a.indicator(), BreakdownText(a, true),
                PeriodText(a, true), ValueText(a, true), fr_relation,
                PeriodText(b, true), ValueText(b, true)),
            absl::Substitute(
                "In the series of $0 for indicator $1 ($2), the period $3 "
                "($4) $5 the period $6 ($7): figures of nested or "
                "overlapping periods must not be added up; say which figure "
                "stands for which period.",
                Code(entity), a.indicator(), BreakdownText(a, false),
                PeriodText(a, false), ValueText(a, false), en_relation,
                PeriodText(b, false), ValueText(b, false))));
      }
    }
  }
}

// Whether a figure can be compared with another: it has a value and its
// definition is the indicator's.
bool Comparable(const Observation& o) {
  return o.has_value() && Dated(o) &&
         o.status() != enforcement::v1::OBSERVATION_STATUS_DEFINITION_DIFFERS;
}

void ContradictoryCounts(const CycleData& data, std::vector<v1::Finding>& out) {
  for (const auto& [part_code, whole_code] : kPartOf) {
    for (const Observation& part : data.observations) {
      if (part.indicator() != part_code || !Comparable(part)) continue;
      for (const Observation& whole : data.observations) {
        if (whole.indicator() != whole_code || !Comparable(whole)) continue;
        if (EntityOf(whole) != EntityOf(part) ||
            BreakdownOf(whole) != BreakdownOf(part) ||
            !(RangeOfDated(whole) == RangeOfDated(part)) ||
            part.value() <= whole.value()) {
          continue;
        }
        const std::string entity = EntityOf(part);
        out.push_back(MakeFinding(
            kContradictoryCounts, {entity}, {part.name(), whole.name()},
            absl::Substitute(
                "Pour $0, période $1 ($2), $3 = $4 dépasse $5 = $6, alors que "
                "$3 compte une partie de ce que compte $5 : pour une même "
                "période et une même ventilation, il ne peut pas être plus "
                "grand. Vérifier les deux chiffres et leurs périodes.",
                Code(entity), PeriodText(part, true), BreakdownText(part, true),
                part.indicator(), part.value(), whole.indicator(),
                whole.value()),
            absl::Substitute(
                "For $0, period $1 ($2), $3 = $4 exceeds $5 = $6, while $3 "
                "counts part of what $5 counts: in the same period and "
                "breakdown it cannot be larger. Check both figures and their "
                "periods.",
                Code(entity), PeriodText(part, false),
                BreakdownText(part, false),
                IndicatorText(data, part.indicator(), false), part.value(),
                IndicatorText(data, whole.indicator(), false), whole.value())));
      }
    }
  }
}

}  // namespace

void EnforcementRules(const CycleData& data, std::vector<v1::Finding>& out) {
  DefinitionDiffers(data, out);
  UndatedFigures(data, out);
  OverlappingPeriods(data, out);
  ContradictoryCounts(data, out);
}

}  // namespace palermo::reporting::findings_internal
