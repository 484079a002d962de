// Mutual TLS from the --tls_* flags (tls.h): validation of the files at
// start, gRPC TLS credentials over a FileWatcherCertificateProvider, and the
// peer's certificate name.
#include "services/common/tls.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate (chain) this process serves TLS with; empty: it "
          "serves plaintext. Needs --tls_key_file and --tls_ca_file.");
ABSL_FLAG(std::string, tls_key_file, "",
          "PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM certificates of the CA that peers' certificates must chain "
          "to: clients of this server must present one (unless "
          "--notls_require_client_cert), and with it set this process calls "
          "its peers over TLS.");
ABSL_FLAG(std::string, tls_client_cert_file, "",
          "PEM certificate this process presents to the peers it calls "
          "(default: --tls_cert_file). Needs --tls_client_key_file.");
ABSL_FLAG(std::string, tls_client_key_file, "",
          "PEM private key of --tls_client_cert_file.");
ABSL_FLAG(absl::Duration, tls_refresh_interval, absl::Seconds(60),
          "How often the certificate, key and CA files are read again: "
          "replacing them rotates the certificates without a restart "
          "(at least 1s).");
ABSL_FLAG(bool, tls_require_client_cert, true,
          "With --tls_cert_file, require every client to present a "
          "certificate from --tls_ca_file (mutual TLS). False only for a "
          "public port whose callers authenticate otherwise.");
ABSL_FLAG(std::string, health_listen, "",
          "host:port of a second, plaintext listener serving only "
          "grpc.health.v1.Health (Kubernetes' gRPC probes cannot speak "
          "TLS), with the main listener's statuses; empty: none.");
ABSL_FLAG(std::string, gateway_identity, "gateway",
          "Name (CN or DNS SAN) in the gateway's certificate: only a peer "
          "presenting it may speak for the callers it authenticated.");

namespace palermo {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

absl::StatusOr<std::string> ReadFile(absl::string_view flag,
                                     const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, "=", path, ": cannot read the file"));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, "=", path, ": cannot read the file"));
  }
  return content.str();
}

std::unique_ptr<BIO, BioDeleter> MemoryBio(const std::string& content) {
  return std::unique_ptr<BIO, BioDeleter>(
      BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
}

// The first certificate of a PEM file; every block must be a certificate.
absl::StatusOr<std::unique_ptr<X509, X509Deleter>> ReadCertificate(
    absl::string_view flag, const std::string& path) {
  absl::StatusOr<std::string> content = ReadFile(flag, path);
  if (!content.ok()) return content.status();
  auto bio = MemoryBio(*content);
  std::unique_ptr<X509, X509Deleter> first(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (first == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, "=", path, ": not a PEM certificate"));
  }
  return first;
}

absl::StatusOr<std::unique_ptr<EVP_PKEY, KeyDeleter>> ReadKey(
    absl::string_view flag, const std::string& path) {
  absl::StatusOr<std::string> content = ReadFile(flag, path);
  if (!content.ok()) return content.status();
  auto bio = MemoryBio(*content);
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, "=", path, ": not a PEM private key (or encrypted)"));
  }
  return key;
}

// A certificate and its key: both set or neither, readable, PEM, matching.
absl::Status ValidatePair(absl::string_view cert_flag,
                          const std::string& cert_file,
                          absl::string_view key_flag,
                          const std::string& key_file) {
  if (cert_file.empty() && key_file.empty()) return absl::OkStatus();
  if (key_file.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", key_flag, " is required with --", cert_flag));
  }
  if (cert_file.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", cert_flag, " is required with --", key_flag));
  }
  auto cert = ReadCertificate(cert_flag, cert_file);
  if (!cert.ok()) return cert.status();
  auto key = ReadKey(key_flag, key_file);
  if (!key.ok()) return key.status();
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", key_flag, "=", key_file, ": not the key of --",
                     cert_flag, "=", cert_file));
  }
  return absl::OkStatus();
}

std::string ClientCert(const TlsConfig& config) {
  return config.client_cert_file.empty() ? config.cert_file
                                         : config.client_cert_file;
}
std::string ClientKey(const TlsConfig& config) {
  return config.client_cert_file.empty() ? config.key_file
                                         : config.client_key_file;
}

unsigned int RefreshSeconds(const TlsConfig& config) {
  return static_cast<unsigned int>(std::max<int64_t>(
      1, absl::ToInt64Seconds(config.refresh_interval)));
}

}  // namespace

TlsConfig TlsConfigFromFlags() {
  TlsConfig config;
  config.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  config.key_file = absl::GetFlag(FLAGS_tls_key_file);
  config.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  config.client_cert_file = absl::GetFlag(FLAGS_tls_client_cert_file);
  config.client_key_file = absl::GetFlag(FLAGS_tls_client_key_file);
  config.refresh_interval = absl::GetFlag(FLAGS_tls_refresh_interval);
  config.require_client_cert = absl::GetFlag(FLAGS_tls_require_client_cert);
  return config;
}

absl::Status ValidateTlsConfig(const TlsConfig& config) {
  if (absl::Status s = ValidatePair("tls_cert_file", config.cert_file,
                                    "tls_key_file", config.key_file);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidatePair("tls_client_cert_file", config.client_cert_file,
                       "tls_client_key_file", config.client_key_file);
      !s.ok()) {
    return s;
  }
  const bool any_pair =
      !config.cert_file.empty() || !config.client_cert_file.empty();
  if (any_pair && config.ca_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_ca_file is required with --",
        config.cert_file.empty() ? "tls_client_cert_file" : "tls_cert_file",
        " (peers' certificates are verified against it)"));
  }
  if (!config.ca_file.empty()) {
    auto ca = ReadCertificate("tls_ca_file", config.ca_file);
    if (!ca.ok()) return ca.status();
  }
  if (config.refresh_interval < absl::Seconds(1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_refresh_interval=",
                     absl::FormatDuration(config.refresh_interval),
                     ": at least 1s"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsConfig& config) {
  if (absl::Status s = ValidateTlsConfig(config); !s.ok()) return s;
  if (!config.serves_tls()) return grpc::InsecureServerCredentials();
  auto provider =
      std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
          config.key_file, config.cert_file, config.ca_file,
          RefreshSeconds(config));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(
      config.require_client_cert
          ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
          : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
ChannelCredentialsFor(const TlsConfig& config) {
  if (absl::Status s = ValidateTlsConfig(config); !s.ok()) return s;
  if (!config.calls_tls()) return grpc::InsecureChannelCredentials();
  const std::string cert = ClientCert(config);
  const std::string key = ClientKey(config);
  std::shared_ptr<grpc::experimental::CertificateProviderInterface> provider;
  if (cert.empty()) {
    provider =
        std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
            config.ca_file, RefreshSeconds(config));
  } else {
    provider =
        std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
            key, cert, config.ca_file, RefreshSeconds(config));
  }
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_root_certs();
  if (!cert.empty()) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  options.set_certificate_verifier(
      std::make_shared<grpc::experimental::HostNameCertificateVerifier>());
  return grpc::experimental::TlsCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
ServerCredentialsFromFlags() {
  return ServerCredentialsFor(TlsConfigFromFlags());
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
ChannelCredentialsFromFlags() {
  return ChannelCredentialsFor(TlsConfigFromFlags());
}

std::shared_ptr<grpc::ChannelCredentials> SuiteChannelCredentials() {
  static const auto* credentials = [] {
    auto made = ChannelCredentialsFromFlags();
    if (!made.ok()) {
      std::fprintf(stderr, "%s\n", std::string(made.status().message()).c_str());
      std::exit(2);
    }
    return new std::shared_ptr<grpc::ChannelCredentials>(*std::move(made));
  }();
  return *credentials;
}

std::string PeerCertificateName(const grpc::AuthContext& auth) {
  if (!auth.IsPeerAuthenticated()) return "";
  for (const char* property :
       {GRPC_X509_CN_PROPERTY_NAME, GRPC_PEER_DNS_PROPERTY_NAME}) {
    std::vector<grpc::string_ref> values = auth.FindPropertyValues(property);
    if (!values.empty() && !values.front().empty()) {
      return std::string(values.front().data(), values.front().size());
    }
  }
  return "";
}

std::string PeerCertificateName(const grpc::ServerContextBase& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  return auth == nullptr ? "" : PeerCertificateName(*auth);
}

bool PeerIsGateway(const grpc::ServerContextBase& context) {
  const std::string name = PeerCertificateName(context);
  return !name.empty() && name == absl::GetFlag(FLAGS_gateway_identity);
}

}  // namespace palermo
