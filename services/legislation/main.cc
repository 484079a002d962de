// The legislation service: per reporting entity, its Protocol status and the
// laws it reported. Serves palermo.legislation.v1.LegislationService.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include "services/common/flags.h"
#include "services/common/server.h"
#include "services/legislation/legislation_domain.h"
#include "services/legislation/legislation_service.h"
#include "services/legislation/sqlite_legislation_store.h"

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "legislation");

  const std::filesystem::path data_dir = absl::GetFlag(FLAGS_data_dir);
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    spdlog::critical("cannot create {}: {}", data_dir.string(),
                     error.message());
    return 1;
  }
  auto store = legislation::SqliteLegislationStore::Open(
      (data_dir / "legislation.db").string());
  if (!store.ok()) {
    spdlog::critical("cannot open store: {}", store.status().ToString());
    return 1;
  }
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) {
    spdlog::critical("{}", entities.status().ToString());
    return 1;
  }
  legislation::LegislationDomain domain(**store, *entities);
  legislation::LegislationServiceImpl service(domain);

  auto host = ServiceHost::Start(
      "127.0.0.1:50052",
      {{&service, legislation::v1::LegislationService::service_full_name()}});
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
