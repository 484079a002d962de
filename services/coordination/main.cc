// The coordination service (port 50055): national coordination bodies,
// action plans, referral mechanisms, training, awareness campaigns,
// international cooperation and inter-agency groups
// (palermo.coordination.v1.CoordinationService).
#include "absl/flags/flag.h"
#include "services/common/flags.h"
#include "services/common/server.h"
#include "services/common/sqlite_record_store.h"
#include "services/coordination/coordination_domain.h"
#include "services/coordination/coordination_service.h"

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "coordination");
  auto path = DataFile("coordination.db");
  if (!path.ok()) return StartupFailed(path.status());
  auto store =
      SqliteRecordStore::Open(*path, coordination::CoordinationSchema(),
                              {absl::GetFlag(FLAGS_change_log_retain)});
  if (!store.ok()) return StartupFailed(store.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  coordination::CoordinationDomain domain(**store, *entities);
  coordination::CoordinationServiceImpl service(domain);
  return Serve(
      "127.0.0.1:50055",
      {{&service, coordination::v1::CoordinationService::service_full_name()}});
}
