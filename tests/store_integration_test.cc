// The services on PostgreSQL, as processes: a malformed DSN or an
// unreachable server at start ends the service with the reason and a
// non-zero exit, never serving without a store; a database that goes away
// while serving makes calls UNAVAILABLE and health NOT_SERVING, and health
// SERVING again once it returns, with no acknowledged write lost; its
// liveness (kLivenessHealthService) stays SERVING throughout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "services/common/server.h"
#include "tests/support/postgres_for_test.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace cv1 = coordination::v1;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using test::Context;
using test::MakeTempDir;
using test::RunCommand;
using test::ServiceProcess;
using ::testing::HasSubstr;
using ::testing::Not;

// Every service with a store, run on the store flags alone.
const std::vector<std::string>& StoreServers() {
  static const auto* servers = new std::vector<std::string>{
      PALERMO_LEGISLATION_SERVER, PALERMO_ENFORCEMENT_SERVER,
      PALERMO_ASSISTANCE_SERVER, PALERMO_COORDINATION_SERVER,
      PALERMO_REPORTING_SERVER};
  return *servers;
}

TEST(StoreStartTest, AMalformedDsnEndsEveryServiceNamingTheFlag) {
  for (const std::string& server : StoreServers()) {
    auto run = RunCommand(server, {"--store=postgres",
                                   "--postgres_dsn=host=/tmp no_such_option=1 "
                                   "password=s3cret-never-echoed",
                                   "--data_dir=" + MakeTempDir(),
                                   "--listen=127.0.0.1:0"});
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_NE(run->exit_code, 0) << server;
    EXPECT_THAT(run->errors, HasSubstr("--postgres_dsn: malformed PostgreSQL DSN")) << server;
    EXPECT_THAT(run->errors, Not(HasSubstr("s3cret"))) << server;
  }
}

TEST(StoreStartTest, AnUnreachableServerEndsEveryService) {
  // A folder with no server's socket in it.
  const std::string nowhere = MakeTempDir();
  for (const std::string& server : StoreServers()) {
    auto run = RunCommand(
        server, {"--store=postgres",
                 "--postgres_dsn=postgresql:///palermo?host=" + nowhere,
                 "--data_dir=" + MakeTempDir(), "--listen=127.0.0.1:0"});
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_NE(run->exit_code, 0) << server;
    EXPECT_THAT(run->errors, HasSubstr("cannot connect to PostgreSQL"))
        << server;
  }
}

TEST(StoreStartTest, AnUnknownStoreEndsTheService) {
  auto run = RunCommand(PALERMO_COORDINATION_SERVER,
                        {"--store=mysql", "--data_dir=" + MakeTempDir(),
                         "--listen=127.0.0.1:0"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_NE(run->exit_code, 0);
  EXPECT_THAT(run->errors, HasSubstr("--store"));
}

cv1::CreateCoordinationBodyRequest Rapporteur(const std::string& id) {
  cv1::CreateCoordinationBodyRequest request;
  request.set_parent("countries/CZE");
  request.set_coordination_body_id(id);
  auto* b = request.mutable_coordination_body();
  b->set_display_name("National rapporteur");
  b->set_kind(cv1::BODY_KIND_NATIONAL_RAPPORTEUR);
  auto* source = b->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(72);
  return request;
}

// Reads a health watch until it reports `wanted`.
bool WaitForHealth(
    grpc::ClientReader<HealthCheckResponse>& watch,
    HealthCheckResponse::ServingStatus wanted) {
  HealthCheckResponse response;
  while (watch.Read(&response)) {
    if (response.status() == wanted) return true;
  }
  return false;
}

TEST(StoreOutageTest, ADatabaseThatGoesAwayIsNotServingUntilItReturns) {
  auto server = test::PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto coordination = ServiceProcess::Start(
      PALERMO_COORDINATION_SERVER,
      {"--store=postgres", "--postgres_dsn=" + (*server)->dsn(),
       "--data_dir=" + MakeTempDir(), "--health_probe_interval=100ms"});
  ASSERT_TRUE(coordination.ok()) << coordination.status();
  auto stub = cv1::CoordinationService::NewStub((*coordination)->Channel());
  cv1::CoordinationBody before;
  ASSERT_TRUE(stub->CreateCoordinationBody(Context().get(),
                                           Rapporteur("before"), &before)
                  .ok());

  auto health = grpc::health::v1::Health::NewStub((*coordination)->Channel());
  grpc::ClientContext watching;
  watching.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  auto watch = health->Watch(&watching, HealthCheckRequest());
  ASSERT_TRUE(WaitForHealth(*watch, HealthCheckResponse::SERVING));

  ASSERT_TRUE((*server)->Stop().ok());
  ASSERT_TRUE(WaitForHealth(*watch, HealthCheckResponse::NOT_SERVING));
  // Unready, but alive: a liveness probe must not restart it for this.
  HealthCheckRequest liveness;
  liveness.set_service(kLivenessHealthService);
  HealthCheckResponse alive;
  ASSERT_TRUE(health->Check(Context().get(), liveness, &alive).ok());
  EXPECT_EQ(alive.status(), HealthCheckResponse::SERVING);
  cv1::CoordinationBody during;
  grpc::Status refused = stub->CreateCoordinationBody(
      Context().get(), Rapporteur("during"), &during);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE)
      << refused.error_message();

  ASSERT_TRUE((*server)->StartAgain().ok());
  ASSERT_TRUE(WaitForHealth(*watch, HealthCheckResponse::SERVING));
  watching.TryCancel();
  watch->Finish();
  // The write acknowledged before the outage is there; the refused one is
  // not, and can be made now.
  cv1::GetCoordinationBodyRequest get;
  get.set_name(before.name());
  cv1::CoordinationBody read;
  ASSERT_TRUE(stub->GetCoordinationBody(Context().get(), get, &read).ok());
  EXPECT_EQ(read.etag(), before.etag());
  get.set_name("countries/CZE/coordinationBodies/during");
  grpc::Status absent = stub->GetCoordinationBody(Context().get(), get, &read);
  EXPECT_EQ(absent.error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(stub->CreateCoordinationBody(Context().get(),
                                           Rapporteur("during"), &during)
                  .ok());
}

}  // namespace
}  // namespace palermo
