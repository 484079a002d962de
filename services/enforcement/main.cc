// The enforcement statistics service: figures States report, with their
// periods, breakdowns, status and source. Serves
// palermo.enforcement.v1.EnforcementService.

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include "services/common/flags.h"
#include "services/common/server.h"
#include "services/enforcement/enforcement_domain.h"
#include "services/enforcement/enforcement_service.h"
#include "services/enforcement/sqlite_enforcement_store.h"

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "enforcement");

  const std::filesystem::path data_dir = absl::GetFlag(FLAGS_data_dir);
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    spdlog::critical("cannot create {}: {}", data_dir.string(),
                     error.message());
    return 1;
  }
  auto store = enforcement::SqliteEnforcementStore::Open(
      (data_dir / "enforcement.db").string());
  if (!store.ok()) {
    spdlog::critical("cannot open store: {}", store.status().ToString());
    return 1;
  }
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) {
    spdlog::critical("{}", entities.status().ToString());
    return 1;
  }
  enforcement::EnforcementDomain domain(**store, *entities);
  enforcement::EnforcementServiceImpl service(domain);

  auto host = ServiceHost::Start(
      "127.0.0.1:50053",
      {{&service, enforcement::v1::EnforcementService::service_full_name()}});
  if (!host.ok()) {
    spdlog::critical("{}", host.status().ToString());
    return 1;
  }
  (*host)->SetServing();
  (*host)->WaitForShutdownSignal();
  // The host is stopped: no call can reach the store any more.
  store->reset();
  return 0;
}
