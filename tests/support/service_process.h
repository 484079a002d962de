// Test support: runs a real Palermo binary as a child process on port 0 and
// learns its port from --ready_fd, once it is SERVING; no sleeps, no fixed
// ports, so tests run beside a running suite.
//
// Every process runs with mutual TLS, as under ./palermo up: each service
// serves and calls with its own certificate (named after its binary:
// legislation_server -> "legislation") from a test CA, the gateway calls
// the services presenting "gateway" and serves its public port plaintext;
// Channel() speaks TLS to a TLS port presenting the "client" certificate.
// The certificates are made by tools/certs/make-dev-certs in TestCertsDir().
//
// The gateway and the assistance service (its case records) verify bearer
// tokens signed by the test CA's development JWT key (jwt-dev.key): the
// gateway's Channel() carries an administrator's token (TestAdministrator),
// so that tests not about access write as they did; AnonymousChannel() and
// ChannelAs() call as an anonymous reader or as anyone else.
//
// The assistance binary's case-records listener is on port 0 too, its port
// reported on the same line (ports()); its calls need a case worker's token
// (CaseWorkerContext).
#ifndef PALERMO_TESTS_SUPPORT_SERVICE_PROCESS_H_
#define PALERMO_TESTS_SUPPORT_SERVICE_PROCESS_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/client_unary_call.h>
#include <grpcpp/support/sync_stream.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/principal.h"
#include "services/common/token_signer.h"

namespace palermo::test {

// The store the tests run the services on: PALERMO_TEST_STORE=postgres
// (ctest's "postgres." copies of the integration tests) or SQLite.
bool TestsOnPostgres();

class ServiceProcess {
 public:
  // Starts `binary` with `args`, --listen=127.0.0.1:0 and --ready_fd (and the
  // assistance binary, unless `args` say, --case_records_listen=127.0.0.1:0);
  // returns once it reports SERVING, or an error if it exits or times out
  // first.
  // Under TestsOnPostgres(), a domain or reporting service whose `args`
  // choose no --store gets --store=postgres and a database of its own, one
  // per --data_dir (a service started again on its data dir finds its data).
  // Unless `args` hold --tls_* flags of their own, the process gets those
  // of mutual TLS with its own certificate (TlsArgsFor), and a service
  // takes writes from the tests' "client" certificate besides the gateway's
  // (--writer_identities=client) unless `args` set --writer_identities.
  // The gateway, given no --data_dir, gets a fresh one (for its audit log).
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(
      const std::string& binary, std::vector<std::string> args,
      absl::Duration timeout = absl::Seconds(30));
  // The same without TLS: it serves and calls plaintext.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> StartPlaintext(
      const std::string& binary, std::vector<std::string> args,
      absl::Duration timeout = absl::Seconds(30));

  ~ServiceProcess();  // Terminate() if still running.

  int port() const { return ports_.front(); }
  // Every listener's port, as the binary reported them: port() first, then
  // (the assistance binary) its case-records listener's.
  const std::vector<int>& ports() const { return ports_; }
  // The --health_listen port (plaintext, health only); 0 without one.
  int health_port() const { return health_port_; }
  pid_t pid() const { return pid_; }
  std::string address() const;
  // Whether its port serves TLS (it was given --tls_cert_file).
  bool serves_tls() const { return serves_tls_; }
  // A channel as Palermo's own clients make (large error trailers): TLS
  // with the "client" certificate to a TLS port, else plaintext.
  std::shared_ptr<grpc::Channel> Channel() const;
  // A channel with gRPC's defaults (8 KiB of metadata), as any C++ client;
  // TLS as Channel().
  std::shared_ptr<grpc::Channel> DefaultChannel() const;
  // Channel() without a bearer token: an anonymous reader at the gateway.
  std::shared_ptr<grpc::Channel> AnonymousChannel() const;
  // Channel() whose calls carry TestToken(who).
  std::shared_ptr<grpc::Channel> ChannelAs(const Principal& who) const;
  // Channel() whose calls carry `authorization: <authorization>` verbatim.
  std::shared_ptr<grpc::Channel> ChannelWithAuthorization(
      const std::string& authorization) const;
  // The credentials Channel() uses, for channels with other arguments.
  std::shared_ptr<grpc::ChannelCredentials> Credentials() const;
  // A plaintext channel, whatever the port serves.
  std::shared_ptr<grpc::Channel> PlaintextChannel() const;
  // A channel with `credentials`, on a connection of its own (not shared
  // with other channels to the same address).
  std::shared_ptr<grpc::Channel> ChannelWith(
      std::shared_ptr<grpc::ChannelCredentials> credentials) const;
  // Like Channel(), to the assistance binary's case-records listener
  // (ports()[1]).
  std::shared_ptr<grpc::Channel> CaseRecordsChannel() const;

  // SIGTERM, then waits; returns the exit code (-signal if killed).
  int Terminate();
  // SIGKILL, then waits.
  void Kill();
  // Starts the binary again, with the same arguments, on the same ports (the
  // ones its callers know); returns once it reports SERVING. The process
  // must have been stopped (Kill, Terminate).
  absl::Status Restart(absl::Duration timeout = absl::Seconds(30));

 private:
  // Starts the binary listening on 127.0.0.1 on `ports` (empty: port 0 for
  // every listener); sets pid_ and ports_.
  absl::Status Launch(const std::vector<int>& ports, absl::Duration timeout);

  std::string binary_;
  std::vector<std::string> args_;
  pid_t pid_ = -1;
  std::vector<int> ports_ = {0};
  int health_port_ = 0;
  bool serves_tls_ = false;
  bool is_gateway_ = false;
};

// The administrator the gateway's Channel() calls as.
Principal TestAdministrator();
// The case worker CaseWorkerContext() calls as.
Principal TestCaseWorker();

// Context() carrying the token of TestCaseWorker().
std::unique_ptr<grpc::ClientContext> CaseWorkerContext();

// A token for `who`, valid for `ttl` from now, signed with the development
// key of TestCertsDir() (the key every test process verifies).
std::string TestToken(const Principal& who,
                      absl::Duration ttl = absl::Hours(1));
// "--bearer_token_file=FILE", FILE holding the token of an administrator
// whose subject is "palermo-load": for palermo-load writing through the
// gateway.
std::string LoaderTokenFlag();

// A token with these claims (times, issuer, audience as given), signed with
// that key, or with `private_key_pem` when not empty.
std::string TestToken(const TokenClaims& claims,
                      const std::string& private_key_pem = "");

// The whole suite on port 0: legislation, enforcement, assistance,
// coordination and reporting, each with its data directory under
// `data_dir`, and the gateway in front of them.
struct Suite {
  std::unique_ptr<ServiceProcess> legislation;
  std::unique_ptr<ServiceProcess> enforcement;
  std::unique_ptr<ServiceProcess> assistance;
  std::unique_ptr<ServiceProcess> coordination;
  std::unique_ptr<ServiceProcess> reporting;
  std::unique_ptr<ServiceProcess> gateway;

  static absl::StatusOr<std::unique_ptr<Suite>> Start(
      const std::string& data_dir, std::vector<std::string> gateway_args = {});
};

// The test CA and certificates (tools/certs/make-dev-certs): ca.crt, and
// NAME.crt / NAME.key for gateway, legislation, enforcement, assistance,
// coordination, reporting, loader and client. Made once for the build tree
// (under a lock: test processes run in parallel); never modified by tests
// (a test that rotates certificates copies them).
const std::string& TestCertsDir();

// `name`'s certificate in TestCertsDir(), made there first if it is not one
// of the default names; returns the path of NAME.crt (NAME.key beside).
std::string TestCertificate(const std::string& name);

// Runs tools/certs/make-dev-certs with `args` (e.g. {"--days", "-1", dir,
// "client"}); OK or its error output.
absl::Status MakeDevCerts(const std::vector<std::string>& args);

// The flags of mutual TLS for `binary` under the test CA: its own
// certificate (named after the binary) as server and client; for the
// gateway only as client (its public port stays plaintext).
std::vector<std::string> TlsArgsFor(const std::string& binary);

// TLS channel credentials trusting `ca_file` (default: the test CA) and
// presenting `cert_file`/`key_file` (none if empty).
std::shared_ptr<grpc::ChannelCredentials> TlsCredentials(
    const std::string& cert_file, const std::string& key_file,
    const std::string& ca_file = "");

// Server credentials of mutual TLS with the test CA's certificate `name`,
// for a fake service a test hosts in process behind a real process.
std::shared_ptr<grpc::ServerCredentials> TestServerCredentials(
    const std::string& name);

// TLS credentials presenting the test CA's certificate `name`.
std::shared_ptr<grpc::ChannelCredentials> TestClientCredentials(
    const std::string& name = "client");

// Runs a command to completion; returns its exit code, stdout and stderr.
struct CommandResult {
  int exit_code;
  std::string output;
  std::string errors;  // what it wrote to standard error
};
absl::StatusOr<CommandResult> RunCommand(const std::string& binary,
                                         const std::vector<std::string>& args);

// A fresh, empty directory for this test.
std::string MakeTempDir();

// A fresh, empty directory for a whole test suite (its set-up has no current
// test). Emptied first: process ids, and so earlier runs' names, recur.
std::string MakeSuiteDir(const std::string& suite);

// The field paths of the BadRequest detail carried by a gRPC status.
std::vector<std::string> ViolatedFields(const grpc::Status& status);

// Calls unary `method` ("/pkg.Service/Method") with `request` as raw bytes,
// which need not parse.
grpc::Status RawUnaryCall(grpc::Channel& channel, const std::string& method,
                          const std::string& request);

// Calls client-streaming `method` with each of `messages` as raw bytes, then
// half-closes; `context` may carry a deadline.
grpc::Status RawClientStream(grpc::Channel& channel, const std::string& method,
                             const std::vector<std::string>& messages,
                             grpc::ClientContext* context);

// A context with a 10-second deadline.
std::unique_ptr<grpc::ClientContext> Context();

}  // namespace palermo::test

#endif  // PALERMO_TESTS_SUPPORT_SERVICE_PROCESS_H_
