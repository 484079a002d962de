// The gateway: the suite's one public entry point (port 50051). Serves
// palermo.gateway.v1.GatewayService and forwards every public method of the
// domain services to them, each call admitted first (bearer token, rate
// limit, access policy: admission.h) and made to the backend for the
// principal it was admitted as. Administrators read every process's audit
// log through it (audit_forwarder.h).
#include <spdlog/spdlog.h>

#include "services/common/audit_log_factory.h"
#include "services/common/client.h"
#include "services/common/flags.h"
#include "services/common/server.h"
#include "services/common/tls.h"
#include "services/common/token_verifier.h"
#include "services/gateway/access_policy.h"
#include "services/gateway/admission.h"
#include "services/gateway/audit_forwarder.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/rate_limiter.h"

int main(int argc, char** argv) {
  using namespace palermo;
  InitRuntime(argc, argv, "gateway");

  auto entities = EntityRegistry::LoadDefault();
  if (!entities.ok()) return StartupFailed(entities.status());
  // The gateway keeps no store: its audit log (its refusals) has a file of
  // its own.
  auto audit = OpenSqliteAuditLog("gateway-audit.db");
  if (!audit.ok()) return StartupFailed(audit.status());
  auto verifier = TokenVerifierFromFlags();
  if (!verifier.ok()) return StartupFailed(verifier.status());
  if (*verifier == nullptr) {
    spdlog::warn(
        "no --jwt_public_key_files: every caller is an anonymous reader, and "
        "every write is refused");
  } else if (!TlsConfigFromFlags().calls_tls()) {
    spdlog::critical(
        "tokens are verified but the services are called in plaintext (no "
        "--tls_ca_file): they cannot know the gateway, so they record no "
        "principal and take writes from anyone who reaches them; "
        "development only");
  }
  gateway::AccessPolicy policy(*entities);
  std::unique_ptr<gateway::RateLimiter> limiter =
      gateway::RateLimiter::FromFlags();
  gateway::Admission admission(verifier->get(), &policy, limiter.get(),
                               audit->get());
  gateway::Backends backends;
  const std::string legislation_address =
      absl::GetFlag(FLAGS_legislation_address);
  backends.legislation = std::make_shared<legislation::LegislationClient>(
      MakeChannel(legislation_address));
  const std::string enforcement_address =
      absl::GetFlag(FLAGS_enforcement_address);
  backends.enforcement = std::make_shared<enforcement::EnforcementClient>(
      MakeChannel(enforcement_address));
  const std::string assistance_address =
      absl::GetFlag(FLAGS_assistance_address);
  backends.assistance = std::make_shared<assistance::AssistanceClient>(
      MakeChannel(assistance_address));
  const std::string coordination_address =
      absl::GetFlag(FLAGS_coordination_address);
  backends.coordination = std::make_shared<coordination::CoordinationClient>(
      MakeChannel(coordination_address));
  const std::string reporting_address = absl::GetFlag(FLAGS_reporting_address);
  backends.reporting = std::make_shared<reporting::ReportingClient>(
      MakeChannel(reporting_address));
  spdlog::info(
      "legislation at {}, enforcement at {}, assistance at {}, coordination "
      "at {}, reporting at {}",
      legislation_address, enforcement_address, assistance_address,
      coordination_address, reporting_address);

  gateway::GatewayServiceImpl gateway_service(*entities, backends, admission);
  gateway::LegislationForwarder legislation_forwarder(
      backends.legislation, MakeStreamChannel(legislation_address), admission);
  gateway::EnforcementForwarder enforcement_forwarder(
      backends.enforcement, MakeStreamChannel(enforcement_address), admission);
  gateway::AssistanceForwarder assistance_forwarder(
      backends.assistance, MakeStreamChannel(assistance_address), admission);
  gateway::CoordinationForwarder coordination_forwarder(
      backends.coordination, MakeStreamChannel(coordination_address),
      admission);
  gateway::ReportingForwarder reporting_forwarder(
      backends.reporting, MakeStreamChannel(reporting_address), admission);
  gateway::AuditForwarder audit_forwarder(
      **audit,
      {{"legislation", MakeChannel(legislation_address)},
       {"enforcement", MakeChannel(enforcement_address)},
       {"assistance", MakeChannel(assistance_address)},
       {"coordination", MakeChannel(coordination_address)},
       {"reporting", MakeChannel(reporting_address)}},
      admission);

  return Serve(
      "0.0.0.0:50051",
      {{&gateway_service, gateway::v1::GatewayService::service_full_name()},
       {&legislation_forwarder,
        legislation::v1::LegislationService::service_full_name(),
        legislation_forwarder.EndWatches()},
       {&enforcement_forwarder,
        enforcement::v1::EnforcementService::service_full_name(),
        enforcement_forwarder.EndWatches()},
       {&assistance_forwarder,
        assistance::v1::AssistanceService::service_full_name(),
        assistance_forwarder.EndWatches()},
       {&coordination_forwarder,
        coordination::v1::CoordinationService::service_full_name(),
        coordination_forwarder.EndWatches()},
       {&reporting_forwarder,
        reporting::v1::ReportingService::service_full_name(),
        reporting_forwarder.EndWatches()},
       {&audit_forwarder, common::v1::AuditService::service_full_name()}});
}
