// Tests of services/common/tls.h: the TLS configuration's validation, and
// mutual TLS between an in-process server and clients with certificates
// from tools/certs/make-dev-certs (the trusted CA's, another CA's, expired
// ones, none), the peer's certificate name as the server sees it.
#include "services/common/tls.h"

#include <gmock/gmock.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/impl/client_unary_call.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace palermo {
namespace {

using ::testing::HasSubstr;

// Certificates made once per test binary: `trusted` holds the CA the
// server trusts and its certificates (with an expired `old-client`),
// `foreign` another CA's.
struct Certs {
  std::string trusted;
  std::string foreign;
};

const Certs& TestCerts() {
  static const Certs* certs = [] {
    const std::filesystem::path root =
        std::filesystem::path(::testing::TempDir()) /
        absl::StrCat("palermo_tls_test_", getpid());
    std::filesystem::remove_all(root);
    auto* made = new Certs{(root / "trusted").string(),
                           (root / "foreign").string()};
    const std::string script = PALERMO_MAKE_DEV_CERTS;
    for (const std::string& command :
         {absl::StrCat(script, " ", made->trusted),
          absl::StrCat(script, " --days -1 ", made->trusted, " old-client"),
          absl::StrCat(script, " ", made->foreign, " client")}) {
      if (std::system(command.c_str()) != 0) {
        ADD_FAILURE() << "failed: " << command;
      }
    }
    return made;
  }();
  return *certs;
}

std::string Trusted(const std::string& file) {
  return TestCerts().trusted + "/" + file;
}

TlsConfig ServerConfig() {
  TlsConfig config;
  config.cert_file = Trusted("legislation.crt");
  config.key_file = Trusted("legislation.key");
  config.ca_file = Trusted("ca.crt");
  return config;
}

// A client presenting `name`'s certificate from `dir`, trusting the
// trusted CA.
TlsConfig ClientConfig(const std::string& dir, const std::string& name) {
  TlsConfig config;
  config.ca_file = Trusted("ca.crt");
  config.client_cert_file = dir + "/" + name + ".crt";
  config.client_key_file = dir + "/" + name + ".key";
  return config;
}

TEST(ValidateTlsConfigTest, AcceptsNoTlsAtAll) {
  EXPECT_TRUE(ValidateTlsConfig(TlsConfig()).ok());
}

TEST(ValidateTlsConfigTest, AcceptsCompleteServerAndClientPairs) {
  TlsConfig config = ServerConfig();
  config.client_cert_file = Trusted("client.crt");
  config.client_key_file = Trusted("client.key");
  EXPECT_TRUE(ValidateTlsConfig(config).ok()) << ValidateTlsConfig(config);
}

TEST(ValidateTlsConfigTest, KeyWithoutCertificateNamesTheCertificateFlag) {
  TlsConfig config = ServerConfig();
  config.cert_file.clear();
  absl::Status s = ValidateTlsConfig(config);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("--tls_cert_file is required"));
}

TEST(ValidateTlsConfigTest, CertificateWithoutKeyNamesTheKeyFlag) {
  TlsConfig config = ServerConfig();
  config.key_file.clear();
  EXPECT_THAT(ValidateTlsConfig(config).message(),
              HasSubstr("--tls_key_file is required"));
}

TEST(ValidateTlsConfigTest, ClientCertificateWithoutKeyNamesTheFlag) {
  TlsConfig config = ClientConfig(TestCerts().trusted, "client");
  config.client_key_file.clear();
  EXPECT_THAT(ValidateTlsConfig(config).message(),
              HasSubstr("--tls_client_key_file is required"));
}

TEST(ValidateTlsConfigTest, CertificateWithoutCaNamesTheCaFlag) {
  TlsConfig config = ServerConfig();
  config.ca_file.clear();
  EXPECT_THAT(ValidateTlsConfig(config).message(),
              HasSubstr("--tls_ca_file is required"));
}

TEST(ValidateTlsConfigTest, MissingFileNamesTheFlagAndTheFile) {
  TlsConfig config = ServerConfig();
  config.ca_file = TestCerts().trusted + "/absent.crt";
  absl::Status s = ValidateTlsConfig(config);
  EXPECT_THAT(s.message(), HasSubstr("--tls_ca_file="));
  EXPECT_THAT(s.message(), HasSubstr("absent.crt: cannot read"));
}

TEST(ValidateTlsConfigTest, FileThatIsNotPemNamesTheFlag) {
  const std::string junk = TestCerts().trusted + "/junk.txt";
  std::ofstream(junk) << "not a certificate\n";
  TlsConfig config = ServerConfig();
  config.cert_file = junk;
  EXPECT_THAT(ValidateTlsConfig(config).message(),
              HasSubstr("--tls_cert_file=" + junk + ": not a PEM certificate"));
  config = ServerConfig();
  config.key_file = junk;
  EXPECT_THAT(ValidateTlsConfig(config).message(),
              HasSubstr("--tls_key_file=" + junk + ": not a PEM private key"));
  config = ServerConfig();
  config.key_file = Trusted("legislation.crt");  // a certificate, not a key
  EXPECT_THAT(ValidateTlsConfig(config).message(),
              HasSubstr("--tls_key_file="));
}

TEST(ValidateTlsConfigTest, KeyOfAnotherCertificateIsRefused) {
  TlsConfig config = ServerConfig();
  config.key_file = Trusted("gateway.key");
  EXPECT_THAT(ValidateTlsConfig(config).message(),
              HasSubstr("not the key of --tls_cert_file"));
}

TEST(ValidateTlsConfigTest, RefreshIntervalBelowOneSecondIsRefused) {
  TlsConfig config = ServerConfig();
  config.refresh_interval = absl::Milliseconds(100);
  EXPECT_THAT(ValidateTlsConfig(config).message(),
              HasSubstr("--tls_refresh_interval=100ms"));
}

// Answers every call with the caller's certificate name, and "+gateway"
// when PeerIsGateway.
class WhoAmI : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(grpc::GenericCallbackServerContext* context) {
        std::string answer = PeerCertificateName(*context);
        if (PeerIsGateway(*context)) answer += "+gateway";
        slice_ = grpc::Slice(answer);
        response_ = grpc::ByteBuffer(&slice_, 1);
        StartWriteAndFinish(&response_, grpc::WriteOptions(),
                            grpc::Status::OK);
      }
      void OnDone() override { delete this; }

     private:
      grpc::Slice slice_;
      grpc::ByteBuffer response_;
    };
    return new Reactor(context);
  }
};

class TlsServerTest : public ::testing::Test {
 protected:
  void StartServer(const TlsConfig& config) {
    auto credentials = ServerCredentialsFor(config);
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", *credentials, &port_);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(absl::ToChronoTime(absl::Now()));
  }

  // Calls the server with `credentials` on a connection of its own; the
  // answer (the server's view of the caller) or the call's error.
  absl::StatusOr<std::string> Call(
      std::shared_ptr<grpc::ChannelCredentials> credentials) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto channel = grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", port_), std::move(credentials), args);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    grpc::Slice slice(std::string("?"));
    grpc::ByteBuffer request(&slice, 1), response;
    grpc::Status status =
        grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
            channel.get(),
            grpc::internal::RpcMethod("/test.WhoAmI/Ask",
                                      grpc::internal::RpcMethod::NORMAL_RPC),
            &context, request, &response);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message());
    }
    std::vector<grpc::Slice> slices;
    if (!response.Dump(&slices).ok()) return absl::InternalError("dump");
    std::string out;
    for (const auto& s : slices) {
      out.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    return out;
  }

  absl::StatusOr<std::string> CallWith(const TlsConfig& config) {
    auto credentials = ChannelCredentialsFor(config);
    if (!credentials.ok()) return credentials.status();
    return Call(*credentials);
  }

  WhoAmI service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(TlsServerTest, ClientWithTrustedCertificateIsNamed) {
  StartServer(ServerConfig());
  absl::StatusOr<std::string> answer =
      CallWith(ClientConfig(TestCerts().trusted, "client"));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, "client");
}

TEST_F(TlsServerTest, GatewayCertificateIsTheGateway) {
  StartServer(ServerConfig());
  absl::StatusOr<std::string> answer =
      CallWith(ClientConfig(TestCerts().trusted, "gateway"));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, "gateway+gateway");
}

TEST_F(TlsServerTest, GatewayIdentityFollowsTheFlag) {
  StartServer(ServerConfig());
  absl::SetFlag(&FLAGS_gateway_identity, "loader");
  absl::StatusOr<std::string> loader =
      CallWith(ClientConfig(TestCerts().trusted, "loader"));
  absl::StatusOr<std::string> gateway =
      CallWith(ClientConfig(TestCerts().trusted, "gateway"));
  absl::SetFlag(&FLAGS_gateway_identity, "gateway");
  ASSERT_TRUE(loader.ok()) << loader.status();
  EXPECT_EQ(*loader, "loader+gateway");
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  EXPECT_EQ(*gateway, "gateway");
}

TEST_F(TlsServerTest, ClientPresentsTheServerPairByDefault) {
  StartServer(ServerConfig());
  TlsConfig config = ServerConfig();  // no client pair of its own
  absl::StatusOr<std::string> answer = CallWith(config);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, "legislation");
}

TEST_F(TlsServerTest, PlaintextClientIsRefused) {
  StartServer(ServerConfig());
  absl::StatusOr<std::string> answer =
      Call(grpc::InsecureChannelCredentials());
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(TlsServerTest, ClientWithoutCertificateIsRefused) {
  StartServer(ServerConfig());
  TlsConfig config;
  config.ca_file = Trusted("ca.crt");
  EXPECT_EQ(CallWith(config).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(TlsServerTest, ClientWithForeignCertificateIsRefused) {
  StartServer(ServerConfig());
  EXPECT_EQ(CallWith(ClientConfig(TestCerts().foreign, "client")).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(TlsServerTest, ClientWithExpiredCertificateIsRefused) {
  StartServer(ServerConfig());
  EXPECT_EQ(
      CallWith(ClientConfig(TestCerts().trusted, "old-client")).status().code(),
      absl::StatusCode::kUnavailable);
}

TEST_F(TlsServerTest, ServerOfAnotherCaIsRefusedByTheClient) {
  TlsConfig server;
  server.cert_file = TestCerts().foreign + "/client.crt";
  server.key_file = TestCerts().foreign + "/client.key";
  server.ca_file = Trusted("ca.crt");  // would accept our client
  StartServer(server);
  EXPECT_EQ(CallWith(ClientConfig(TestCerts().trusted, "client")).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(TlsServerTest, WithoutRequiredClientCertificatesAnyTlsClientIsServed) {
  TlsConfig server = ServerConfig();
  server.require_client_cert = false;
  StartServer(server);
  TlsConfig anonymous;
  anonymous.ca_file = Trusted("ca.crt");
  absl::StatusOr<std::string> answer = CallWith(anonymous);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, "");
}

TEST_F(TlsServerTest, PlaintextPeerHasNoName) {
  StartServer(TlsConfig());
  absl::StatusOr<std::string> answer = CallWith(TlsConfig());
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, "");
}

}  // namespace
}  // namespace palermo
