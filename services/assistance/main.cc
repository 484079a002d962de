// The victim assistance service (port 50054): State measures
// (palermo.assistance.v1.AssistanceService, public) and de-identified case
// records (palermo.assistance.v1.CaseRecordService, case workers only).
#include "absl/flags/flag.h"
#include "services/assistance/assistance_domain.h"
#include "services/assistance/assistance_service.h"
#include "services/assistance/sqlite_assistance_store.h"
#include "services/common/flags.h"
#include "services/common/server.h"

ABSL_FLAG(int64_t, min_published_count, palermo::assistance::kDefaultK,
          "Smallest count of case records AggregateCases publishes (k).");

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "assistance");
  auto path = DataFile("assistance.db");
  if (!path.ok()) return StartupFailed(path.status());
  auto store = assistance::SqliteAssistanceStore::Open(
      *path, {absl::GetFlag(FLAGS_change_log_retain)});
  if (!store.ok()) return StartupFailed(store.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  assistance::AssistanceDomain domain(**store, *entities,
                                      absl::GetFlag(FLAGS_min_published_count));
  assistance::AssistanceServiceImpl service(domain);
  assistance::CaseRecordServiceImpl cases(domain);
  return Serve(
      "127.0.0.1:50054",
      {{&service, assistance::v1::AssistanceService::service_full_name()},
       {&cases, assistance::v1::CaseRecordService::service_full_name()}});
}
