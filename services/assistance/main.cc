// The victim assistance service: State measures
// (palermo.assistance.v1.AssistanceService, public, port 50054) and
// de-identified case records (palermo.assistance.v1.CaseRecordService, case
// workers only, on its own listener --case_records_listen, port 50064),
// kept in SQLite (--data_dir, the default) or PostgreSQL (--store=postgres).
#include <memory>

#include "absl/flags/flag.h"
#include "services/assistance/assistance_domain.h"
#include "services/assistance/assistance_flags.h"
#include "services/assistance/assistance_service.h"
#include "services/assistance/case_record_service.h"
#include "services/assistance/case_worker_check.h"
#include "services/assistance/postgres_assistance_store.h"
#include "services/assistance/sqlite_assistance_store.h"
#include "services/common/audit_log_factory.h"
#include "services/common/flags.h"
#include "services/common/record_store_factory.h"
#include "services/common/server.h"
#include "services/common/store_flags.h"
#include "services/common/token_verifier.h"

ABSL_FLAG(int64_t, min_published_count, palermo::assistance::kDefaultK,
          "Smallest count of case records AggregateCases publishes (k).");

namespace {

using palermo::HealthProbe;
using palermo::assistance::AssistanceStore;

// The store the flags choose, and the health probe of its database server
// (none for SQLite).
absl::StatusOr<std::unique_ptr<AssistanceStore>> OpenStore(HealthProbe* probe) {
  using namespace palermo;
  absl::StatusOr<StoreChoice> choice =
      ChooseStore("assistance", "assistance.db");
  if (!choice.ok()) return choice.status();
  const ChangeLogOptions log{absl::GetFlag(FLAGS_change_log_retain)};
  if (choice->kind == StoreKind::kSqlite) {
    return assistance::SqliteAssistanceStore::Open(choice->sqlite_path, log);
  }
  auto store =
      assistance::PostgresAssistanceStore::Open(PostgresOptions(*choice), log);
  if (!store.ok()) return store.status();
  postgres::Pool* pool = &(*store)->pool();
  *probe = [pool] { return pool->Ping(); };
  return *std::move(store);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "assistance");
  // Case workers are known by their bearer tokens (--jwt_public_key_files).
  absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier =
      TokenVerifierFromFlags();
  if (!verifier.ok()) return StartupFailed(verifier.status());
  HealthProbe probe;
  auto store = OpenStore(&probe);
  if (!store.ok()) return StartupFailed(store.status());
  auto audit = OpenAuditLog("assistance", "assistance.db");
  if (!audit.ok()) return StartupFailed(audit.status());
  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  assistance::AssistanceDomain domain(**store, *entities,
                                      absl::GetFlag(FLAGS_min_published_count));
  assistance::AssistanceServiceImpl service(domain, (*store)->Changes());
  std::shared_ptr<const TokenVerifier> tokens = *std::move(verifier);
  assistance::CaseRecordServiceImpl cases(
      domain, assistance::CaseWorkerTokenCheck(tokens));
  // Every case-record call is audited, reads and refusals included, with
  // the case worker its token names (the gateway never sees these calls).
  HostAudit host_audit;
  host_audit.log = audit->get();
  host_audit.options.is_write =
      WriteMethods({"GetCaseRecord", "ListCaseRecords"});
  host_audit.options.caller = assistance::CaseWorkerOrCaller(tokens);
  std::vector<Listener> listeners;
  listeners.push_back(
      {"public",
       ListenAddress("127.0.0.1:50054"),
       {{&service, assistance::v1::AssistanceService::service_full_name(),
         service.EndWatches()}}});
  // Never on the public port: the case workers' listener of its own.
  listeners.push_back(
      {"case records",
       absl::GetFlag(FLAGS_case_records_listen),
       {{&cases, assistance::v1::CaseRecordService::service_full_name()}}});
  // Serve returns once both servers have stopped: the store closes after.
  return Serve(std::move(listeners), probe, std::move(host_audit));
}
