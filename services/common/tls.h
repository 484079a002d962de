// Transport security of the suite: mutual TLS between its processes.
//
// A process serves TLS when --tls_cert_file is set (its certificate and
// --tls_key_file, clients' certificates verified against --tls_ca_file and
// required), and calls its peers over TLS when --tls_ca_file is set,
// presenting --tls_client_cert_file/--tls_client_key_file (default: the
// server's pair). Certificates are read again from their files every
// --tls_refresh_interval (gRPC's FileWatcherCertificateProvider): replacing
// the files rotates them without a restart. No TLS flag: plaintext, for
// development. A service may also serve health alone on a plaintext port
// (--health_listen, for Kubernetes' gRPC probes, which cannot speak TLS).
#ifndef PALERMO_SERVICES_COMMON_TLS_H_
#define PALERMO_SERVICES_COMMON_TLS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, tls_ca_file);
ABSL_DECLARE_FLAG(std::string, tls_client_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_client_key_file);
ABSL_DECLARE_FLAG(absl::Duration, tls_refresh_interval);
ABSL_DECLARE_FLAG(bool, tls_require_client_cert);
ABSL_DECLARE_FLAG(std::string, health_listen);
ABSL_DECLARE_FLAG(std::string, gateway_identity);

namespace palermo {

// The TLS configuration of a process: the --tls_* flags, or a test's own.
struct TlsConfig {
  std::string cert_file;         // the server's certificate (chain)
  std::string key_file;          // and its private key
  std::string ca_file;           // the CA peers' certificates must chain to
  std::string client_cert_file;  // presented to peers; default cert_file
  std::string client_key_file;   // default key_file
  absl::Duration refresh_interval = absl::Seconds(60);
  bool require_client_cert = true;

  bool serves_tls() const { return !cert_file.empty(); }
  bool calls_tls() const { return !ca_file.empty(); }
};

TlsConfig TlsConfigFromFlags();

// OK, or why `config` cannot be used, naming the flag: a key without its
// certificate or the reverse, a certificate without a CA, a file that does
// not exist, cannot be read or is not PEM, a key that is not the
// certificate's.
absl::Status ValidateTlsConfig(const TlsConfig& config);

// TLS server credentials (client certificates required and verified,
// unless require_client_cert is false) when config.serves_tls(), else
// plaintext ones.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsConfig& config);

// TLS channel credentials (the server's certificate verified against the CA
// and the target's host name; the client pair presented if any) when
// config.calls_tls(), else plaintext ones.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
ChannelCredentialsFor(const TlsConfig& config);

// The same from the flags.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
ServerCredentialsFromFlags();
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
ChannelCredentialsFromFlags();

// ChannelCredentialsFromFlags(), made once per process (one certificate
// watcher shared by every channel). The flags must be valid (InitRuntime,
// or ValidateTlsConfig(TlsConfigFromFlags()) in a tool's main): exits the
// process otherwise.
std::shared_ptr<grpc::ChannelCredentials> SuiteChannelCredentials();

// The name in the peer's verified certificate: its common name, or else its
// first DNS subject alternative name; "" for a plaintext peer or a peer
// without a certificate.
std::string PeerCertificateName(const grpc::AuthContext& auth);
std::string PeerCertificateName(const grpc::ServerContextBase& context);

// Whether the peer presented a verified certificate named
// --gateway_identity (so may speak for the callers it authenticated).
bool PeerIsGateway(const grpc::ServerContextBase& context);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_TLS_H_
