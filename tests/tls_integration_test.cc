// Mutual TLS on real processes: a TLS port refuses plaintext clients,
// clients of another CA and clients with an expired certificate; a server
// certificate replaced on disk is served without a restart; the plaintext
// health port (--health_listen) answers health and nothing else; bad TLS
// flags stop a process at start, naming the flag; the gateway's public
// port serves TLS when given a certificate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "tests/support/service_process.h"

namespace palermo::test {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

// Health of `service` ("" for the server) through `channel`.
grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service = "",
                         HealthCheckResponse* response = nullptr) {
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse ignored;
  auto context = Context();
  return Health::NewStub(channel)->Check(context.get(), request,
                                         response ? response : &ignored);
}

// The common name of the certificate the server at `process` presents, on a
// new connection; "" if the call fails.
std::string ServedCommonName(const ServiceProcess& process) {
  auto channel = process.ChannelWith(TestClientCredentials("client"));
  HealthCheckResponse response;
  auto context = Context();
  grpc::Status status = Health::NewStub(channel)->Check(
      context.get(), HealthCheckRequest(), &response);
  if (!status.ok()) return "";
  auto names = context->auth_context()->FindPropertyValues(
      GRPC_X509_CN_PROPERTY_NAME);
  return names.empty() ? "" : std::string(names[0].data(), names[0].size());
}

// A copy of the test CA (certificate and key) in a new folder under `dir`,
// to issue certificates of the trusted CA that the tests may change.
std::string CopyOfTestCa(const std::string& dir) {
  fs::create_directories(dir);
  for (const char* file : {"ca.crt", "ca.key"}) {
    fs::copy_file(fs::path(TestCertsDir()) / file, fs::path(dir) / file,
                  fs::copy_options::overwrite_existing);
  }
  return dir;
}


TEST(TlsIntegrationTest, ServicePortRefusesPlaintextAndServesTheSuitesClients) {
  auto legislation = ServiceProcess::Start(PALERMO_LEGISLATION_SERVER,
                                           {"--data_dir=" + MakeTempDir()});
  ASSERT_TRUE(legislation.ok()) << legislation.status();
  ASSERT_TRUE((*legislation)->serves_tls());
  EXPECT_TRUE(CheckHealth((*legislation)->Channel()).ok());
  EXPECT_EQ(CheckHealth((*legislation)->PlaintextChannel()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // TLS that trusts the server but presents no certificate: refused too.
  EXPECT_EQ(CheckHealth((*legislation)->ChannelWith(TlsCredentials("", "")))
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // Every process's certificate is a client's as well.
  EXPECT_TRUE(
      CheckHealth((*legislation)->ChannelWith(TestClientCredentials("gateway")))
          .ok());
}

TEST(TlsIntegrationTest, ClientWithCertificateOfAnotherCaIsRefused) {
  const std::string dir = MakeTempDir();
  const std::string foreign = dir + "/foreign";
  ASSERT_TRUE(MakeDevCerts({foreign, "client"}).ok());
  auto legislation = ServiceProcess::Start(PALERMO_LEGISLATION_SERVER,
                                           {"--data_dir=" + dir + "/data"});
  ASSERT_TRUE(legislation.ok()) << legislation.status();
  // It trusts the suite's CA (so would accept the server): only the
  // client's certificate is wrong.
  auto credentials =
      TlsCredentials(foreign + "/client.crt", foreign + "/client.key");
  EXPECT_EQ(CheckHealth((*legislation)->ChannelWith(credentials)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(CheckHealth((*legislation)->Channel()).ok());
}

TEST(TlsIntegrationTest, ClientWithExpiredCertificateIsRefused) {
  const std::string dir = MakeTempDir();
  const std::string ca = CopyOfTestCa(dir + "/ca");
  ASSERT_TRUE(MakeDevCerts({"--days", "-1", ca, "client"}).ok());
  auto legislation = ServiceProcess::Start(PALERMO_LEGISLATION_SERVER,
                                           {"--data_dir=" + dir + "/data"});
  ASSERT_TRUE(legislation.ok()) << legislation.status();
  auto expired = TlsCredentials(ca + "/client.crt", ca + "/client.key");
  EXPECT_EQ(CheckHealth((*legislation)->ChannelWith(expired)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // The same CA, a valid certificate of the same name: served.
  auto valid = TlsCredentials(TestCertificate("client"),
                              TestCertsDir() + "/client.key");
  EXPECT_TRUE(CheckHealth((*legislation)->ChannelWith(valid)).ok());
}

TEST(TlsIntegrationTest, ServerCertificateIsRotatedWithoutRestart) {
  const std::string dir = MakeTempDir();
  const std::string served = dir + "/served";
  fs::create_directories(served);
  for (const char* file : {"legislation.crt", "legislation.key"}) {
    fs::copy_file(fs::path(TestCertsDir()) / file, fs::path(served) / file);
  }
  auto legislation = ServiceProcess::Start(
      PALERMO_LEGISLATION_SERVER,
      {"--data_dir=" + dir + "/data",
       "--tls_ca_file=" + TestCertsDir() + "/ca.crt",
       "--tls_cert_file=" + served + "/legislation.crt",
       "--tls_key_file=" + served + "/legislation.key",
       "--tls_refresh_interval=1s"});
  ASSERT_TRUE(legislation.ok()) << legislation.status();
  ASSERT_EQ(ServedCommonName(**legislation), "legislation");
  const pid_t pid = (*legislation)->pid();

  // A new certificate (and key) of the same CA, moved over the served files.
  const std::string ca = CopyOfTestCa(dir + "/ca");
  ASSERT_TRUE(MakeDevCerts({ca, "legislation-rotated"}).ok());
  fs::rename(ca + "/legislation-rotated.key", served + "/legislation.key");
  fs::rename(ca + "/legislation-rotated.crt", served + "/legislation.crt");

  std::string name;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    name = ServedCommonName(**legislation);
    if (name == "legislation-rotated") break;
  }
  EXPECT_EQ(name, "legislation-rotated");
  EXPECT_EQ((*legislation)->pid(), pid);
  EXPECT_EQ(kill(pid, 0), 0) << "the server is not running any more";
}

TEST(TlsIntegrationTest, HealthPortAnswersPlaintextWithTheServersStatuses) {
  auto legislation = ServiceProcess::Start(
      PALERMO_LEGISLATION_SERVER,
      {"--data_dir=" + MakeTempDir(), "--health_listen=127.0.0.1:0"});
  ASSERT_TRUE(legislation.ok()) << legislation.status();
  ASSERT_GT((*legislation)->health_port(), 0);
  ASSERT_NE((*legislation)->health_port(), (*legislation)->port());
  auto health_channel = grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*legislation)->health_port()),
      grpc::InsecureChannelCredentials());
  for (const std::string service :
       {"", "palermo.legislation.v1.LegislationService"}) {
    HealthCheckResponse response;
    grpc::Status status = CheckHealth(health_channel, service, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response.status(), HealthCheckResponse::SERVING) << service;
  }
  HealthCheckResponse unknown;
  EXPECT_EQ(CheckHealth(health_channel, "no.such.Service", &unknown)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Health alone: neither the service nor reflection.
  auto stub =
      palermo::legislation::v1::LegislationService::NewStub(health_channel);
  palermo::legislation::v1::GetLegislationRequest get;
  get.set_name("countries/EST/legislation");
  palermo::legislation::v1::Legislation legislation_record;
  auto context = Context();
  EXPECT_EQ(stub->GetLegislation(context.get(), get, &legislation_record)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(RawUnaryCall(*health_channel,
                         "/grpc.reflection.v1alpha.ServerReflection/"
                         "ServerReflectionInfo",
                         "")
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  // The main port still speaks TLS only.
  EXPECT_EQ(CheckHealth((*legislation)->PlaintextChannel()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(CheckHealth((*legislation)->Channel()).ok());

  // It stops with the server.
  EXPECT_EQ((*legislation)->Terminate(), 0);
  auto after = grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*legislation)->health_port()),
      grpc::InsecureChannelCredentials());
  EXPECT_EQ(CheckHealth(after).error_code(), grpc::StatusCode::UNAVAILABLE);
}

// Runs `binary` with `args` (which must stop it at start) in `dir`: its
// exit code and standard error.
CommandResult RunRefused(const std::string& binary,
                         std::vector<std::string> args,
                         const std::string& dir) {
  args.push_back("--listen=127.0.0.1:0");
  args.push_back("--data_dir=" + dir + "/data");
  absl::StatusOr<CommandResult> result = RunCommand(binary, args);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : CommandResult{-1, "", ""};
}

TEST(TlsIntegrationTest, BadTlsFlagsStopTheProcessAtStartNamingTheFlag) {
  const std::string certs = TestCertsDir();
  const std::string ca = "--tls_ca_file=" + certs + "/ca.crt";
  const std::string dir = MakeTempDir();
  const std::string junk = dir + "/junk.pem";
  std::ofstream(junk) << "not PEM at all\n";
  struct Case {
    std::string binary;
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {PALERMO_LEGISLATION_SERVER,
       {ca, "--tls_key_file=" + certs + "/legislation.key"},
       "--tls_cert_file is required with --tls_key_file"},
      {PALERMO_ENFORCEMENT_SERVER,
       {ca, "--tls_cert_file=" + certs + "/enforcement.crt"},
       "--tls_key_file is required with --tls_cert_file"},
      {PALERMO_ASSISTANCE_SERVER,
       {"--tls_cert_file=" + certs + "/assistance.crt",
        "--tls_key_file=" + certs + "/assistance.key"},
       "--tls_ca_file is required"},
      {PALERMO_COORDINATION_SERVER,
       {ca, "--tls_cert_file=" + certs + "/absent.crt",
        "--tls_key_file=" + certs + "/coordination.key"},
       "--tls_cert_file=" + certs + "/absent.crt: cannot read"},
      {PALERMO_REPORTING_SERVER,
       {ca, "--tls_cert_file=" + certs + "/reporting.crt",
        "--tls_key_file=" + junk},
       "--tls_key_file=" + junk + ": not a PEM private key"},
      {PALERMO_GATEWAY_SERVER,
       {"--tls_ca_file=" + junk,
        "--tls_client_cert_file=" + certs + "/gateway.crt",
        "--tls_client_key_file=" + certs + "/gateway.key"},
       "--tls_ca_file=" + junk + ": not a PEM certificate"},
      {PALERMO_GATEWAY_SERVER,
       {ca, "--tls_client_cert_file=" + certs + "/gateway.crt",
        "--tls_client_key_file=" + certs + "/legislation.key"},
       "--tls_client_key_file=" + certs +
           "/legislation.key: not the key of --tls_client_cert_file"},
  };
  for (const Case& c : cases) {
    CommandResult result = RunRefused(c.binary, c.args, dir);
    EXPECT_EQ(result.exit_code, 2) << c.binary << " " << c.message;
    EXPECT_THAT(result.errors, HasSubstr(c.message)) << c.binary;
  }
  // The loader as well, before it waits for anything.
  absl::StatusOr<CommandResult> load =
      RunCommand(PALERMO_LOAD, {"--target=127.0.0.1:1",
                                "--tls_client_cert_file=" + certs +
                                    "/loader.crt"});
  ASSERT_TRUE(load.ok()) << load.status();
  EXPECT_EQ(load->exit_code, 2);
  EXPECT_THAT(load->errors,
              HasSubstr("--tls_client_key_file is required with "
                        "--tls_client_cert_file"));
}

TEST(TlsIntegrationTest, GatewayPublicPortIsPlaintextUnlessGivenACertificate) {
  const std::string dir = MakeTempDir();
  {
    auto suite = Suite::Start(dir + "/plain");
    ASSERT_TRUE(suite.ok()) << suite.status();
    EXPECT_FALSE((*suite)->gateway->serves_tls());
    // Plaintext in, mutual TLS to the services behind it.
    auto stub = palermo::legislation::v1::LegislationService::NewStub(
        (*suite)->gateway->PlaintextChannel());
    palermo::legislation::v1::ListLegislationsRequest request;
    palermo::legislation::v1::ListLegislationsResponse response;
    auto context = Context();
    grpc::Status status =
        stub->ListLegislations(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  const std::string certs = TestCertsDir();
  auto suite = Suite::Start(
      dir + "/tls",
      {"--tls_ca_file=" + certs + "/ca.crt",
       "--tls_cert_file=" + certs + "/gateway.crt",
       "--tls_key_file=" + certs + "/gateway.key",
       "--notls_require_client_cert"});
  ASSERT_TRUE(suite.ok()) << suite.status();
  ASSERT_TRUE((*suite)->gateway->serves_tls());
  EXPECT_EQ(CheckHealth((*suite)->gateway->PlaintextChannel()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // A reader with no certificate of its own, who trusts the CA.
  auto stub = palermo::legislation::v1::LegislationService::NewStub(
      (*suite)->gateway->ChannelWith(TlsCredentials("", "")));
  palermo::legislation::v1::ListLegislationsRequest request;
  palermo::legislation::v1::ListLegislationsResponse response;
  auto context = Context();
  grpc::Status status =
      stub->ListLegislations(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace palermo::test
