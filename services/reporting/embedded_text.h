// The JSON files compiled into the binary (generated embedded_text.cc, see
// CMakeLists.txt): the message catalogues and the UN names table.
#ifndef PALERMO_SERVICES_REPORTING_EMBEDDED_TEXT_H_
#define PALERMO_SERVICES_REPORTING_EMBEDDED_TEXT_H_

namespace palermo::reporting::embedded {

extern const char kMessagesFr[];  // services/reporting/messages/fr.json
extern const char kMessagesEn[];  // services/reporting/messages/en.json
extern const char kUnNames[];     // data/reporting/un-names.json

}  // namespace palermo::reporting::embedded

#endif  // PALERMO_SERVICES_REPORTING_EMBEDDED_TEXT_H_
