// Test support: runs a real Palermo binary as a child process on port 0 and
// learns its port from --ready_fd, once it is SERVING; no sleeps, no fixed
// ports, so tests run beside a running suite. The assistance binary's
// case-records listener is on port 0 too, its port reported on the same
// line.
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
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(
      const std::string& binary, std::vector<std::string> args,
      absl::Duration timeout = absl::Seconds(30));

  ~ServiceProcess();  // Terminate() if still running.

  int port() const { return ports_.front(); }
  // Every listener's port, as the binary reported them: port() first, then
  // (the assistance binary) its case-records listener's.
  const std::vector<int>& ports() const { return ports_; }
  pid_t pid() const { return pid_; }
  std::string address() const;
  std::shared_ptr<grpc::Channel> Channel() const;
  // A channel with gRPC's defaults (8 KiB of metadata), as any C++ client.
  std::shared_ptr<grpc::Channel> DefaultChannel() const;
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
};

// The case workers' shared secret the tests' assistance services accept
// through --case_worker_token_file (a stopgap until case workers' JWTs).
inline constexpr char kTestCaseWorkerToken[] = "test-case-worker-secret";

// Writes kTestCaseWorkerToken to a file in `dir` (created if need be);
// returns the --case_worker_token_file flag naming it.
std::string CaseWorkerTokenFlag(const std::string& dir);

// Context() carrying `authorization: Bearer kTestCaseWorkerToken`.
std::unique_ptr<grpc::ClientContext> CaseWorkerContext();

// The whole suite on port 0: legislation, enforcement, assistance (accepting
// kTestCaseWorkerToken on its case-records listener), coordination and
// reporting, each with its data directory under `data_dir`, and the gateway
// in front of them.
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
