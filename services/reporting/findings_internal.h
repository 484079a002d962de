// Internals of the data-quality rules (findings.h): the helpers every rule
// shares and one function per group of rules. Each rule appends its
// findings; RunFindings orders them.
#ifndef PALERMO_SERVICES_REPORTING_FINDINGS_INTERNAL_H_
#define PALERMO_SERVICES_REPORTING_FINDINGS_INTERNAL_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "palermo/common/v1/common.pb.h"
#include "palermo/reporting/v1/reporting.pb.h"
#include "services/reporting/cycle_data.h"

namespace palermo::reporting::findings_internal {

// Rule ids.
inline constexpr absl::string_view kContradictoryCounts =
    "CONTRADICTORY_COUNTS";
inline constexpr absl::string_view kDefinitionDiffers = "DEFINITION_DIFFERS";
inline constexpr absl::string_view kFactsWithoutResponse =
    "FACTS_WITHOUT_RESPONSE";
inline constexpr absl::string_view kLateResponse = "LATE_RESPONSE";
inline constexpr absl::string_view kOverlappingPeriods = "OVERLAPPING_PERIODS";
inline constexpr absl::string_view kRatifiedNotRecorded =
    "RATIFIED_NOT_RECORDED";
inline constexpr absl::string_view kRespondentWithoutFacts =
    "RESPONDENT_WITHOUT_FACTS";
inline constexpr absl::string_view kUndatedFigure = "UNDATED_FIGURE";
inline constexpr absl::string_view kUnknownReceivedDate =
    "UNKNOWN_RECEIVED_DATE";

// A finding of `rule` (with the rule's severity from Rules()) about
// `entities` and `records` (empty names are left out), explained in French
// and English.
v1::Finding MakeFinding(absl::string_view rule,
                        const std::vector<std::string>& entities,
                        const std::vector<std::string>& records,
                        const std::string& fr, const std::string& en);

// "JOR" from "countries/JOR", "LAS" from "organizations/LAS".
std::string Code(absl::string_view entity);
// "EST, OMN" from entity names.
std::string JoinCodes(const std::vector<std::string>& entities);

// Whether a partial date is given (set, with a year).
bool DateGiven(const common::v1::PartialDate& date);

// The cycle's fact records per entity (record names, in the order of
// CycleData): every record of the four domains, except a legislation record
// that holds nothing but its entity, notes, quality notes and whether it is
// listed as a respondent (which is a response, not a fact). Inter-agency
// groups belong to no entity and are left out.
std::map<std::string, std::vector<std::string>> FactRecordsByEntity(
    const CycleData& data);

// The rules, each appending its findings to `out`.
void ResponseRules(const CycleData& data, std::vector<v1::Finding>& out);
void LegislationRules(const CycleData& data, std::vector<v1::Finding>& out);
void EnforcementRules(const CycleData& data, std::vector<v1::Finding>& out);

}  // namespace palermo::reporting::findings_internal

#endif  // PALERMO_SERVICES_REPORTING_FINDINGS_INTERNAL_H_
