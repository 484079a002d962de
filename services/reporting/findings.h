// Data-quality findings over one reporting cycle's data: generic rules
// (never special cases for particular States) that find what an analyst must
// look at before the report goes out (respondents of whom nothing is
// reported, facts of entities that did not respond, set relations the data
// contradicts, figures whose definition differs, overlapping periods in a
// series, undated figures, counts that contradict each other, late or
// undated responses). Pure functions over CycleData, free of gRPC; findings
// never appear in a report.
#ifndef PALERMO_SERVICES_REPORTING_FINDINGS_H_
#define PALERMO_SERVICES_REPORTING_FINDINGS_H_

#include <string>
#include <vector>

#include "palermo/reporting/v1/reporting.pb.h"
#include "services/reporting/cycle_data.h"

namespace palermo::reporting {

// One rule: its id, its severity and what it finds, in English and French.
struct RuleInfo {
  std::string id;
  v1::Severity severity;
  std::string en;
  std::string fr;
};

// Every rule, ordered by id.
const std::vector<RuleInfo>& Rules();

// Every rule over one cycle's data (already restricted to the cycle); the
// findings are ordered by rule id, then entities, then records. Each has its
// rule's severity, the entities and records concerned (resource names) and
// an explanation generated from the data in "fr" and "en".
std::vector<v1::Finding> RunFindings(const CycleData& data);

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_FINDINGS_H_
