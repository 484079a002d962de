#include "tests/support/service_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/rpc/status.pb.h"
#include "services/common/tls.h"
#include "services/common/token_signer.h"
#include "tests/support/postgres_for_test.h"

namespace palermo::test {
namespace {

// fork + exec with stdout redirected to `stdout_fd` (if >= 0) and
// `inherit_fd` left open in the child.
absl::StatusOr<pid_t> Spawn(const std::string& binary,
                            const std::vector<std::string>& args, int stdout_fd,
                            int inherit_fd, int stderr_fd = -1) {
  std::vector<std::string> argv_storage = {binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError(strerror(errno));
  if (pid == 0) {
    if (stdout_fd >= 0) dup2(stdout_fd, STDOUT_FILENO);
    if (stderr_fd >= 0) dup2(stderr_fd, STDERR_FILENO);
    if (inherit_fd >= 0) {
      fcntl(inherit_fd, F_SETFD, fcntl(inherit_fd, F_GETFD) & ~FD_CLOEXEC);
    }
    // The test runner may block signals; the service must receive SIGTERM
    // through sigwait, which it sets up itself.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // A test that crashes takes its services with it, rather than leaving
    // them holding ports and its output pipe. (The signal follows the
    // forking thread: tests start services from their main thread.)
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // died before prctl took effect
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

// The services that keep data in a store of their own.
bool HasStore(const std::string& binary) {
  for (const char* b : {PALERMO_LEGISLATION_SERVER, PALERMO_ENFORCEMENT_SERVER,
                        PALERMO_ASSISTANCE_SERVER, PALERMO_COORDINATION_SERVER,
                        PALERMO_REPORTING_SERVER}) {
    if (binary == b) return true;
  }
  return false;
}

// Under TestsOnPostgres(), the flags that put a service on PostgreSQL: the
// database of its --data_dir, made on first use.
absl::Status ChoosePostgres(const std::string& binary,
                            std::vector<std::string>& args) {
  if (!TestsOnPostgres() || !HasStore(binary)) return absl::OkStatus();
  std::string data_dir;
  for (const std::string& a : args) {
    if (absl::StartsWith(a, "--store=")) return absl::OkStatus();
    if (absl::StartsWith(a, "--data_dir=")) data_dir = a;
  }
  static absl::Mutex mu(absl::kConstInit);
  static auto* databases = new absl::flat_hash_map<std::string, std::string>();
  absl::MutexLock lock(&mu);
  std::string& dsn = (*databases)[data_dir];
  if (dsn.empty()) {
    absl::StatusOr<std::string> fresh = FreshPostgresDatabase();
    if (!fresh.ok()) return fresh.status();
    dsn = *fresh;
  }
  args.push_back("--store=postgres");
  args.push_back("--postgres_dsn=" + dsn);
  return absl::OkStatus();
}

// Whether `args` choose TLS flags of their own.
bool HasTlsArgs(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (absl::StartsWith(a, "--tls_")) return true;
  }
  return false;
}

bool ServesTls(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (absl::StartsWith(a, "--tls_cert_file=") &&
        a != "--tls_cert_file=") {
      return true;
    }
  }
  return false;
}

// legislation_server -> legislation; palermo_load -> palermo_load.
std::string CertificateNameOf(const std::string& binary) {
  std::string name = std::filesystem::path(binary).filename().string();
  if (absl::EndsWith(name, "_server")) {
    name.resize(name.size() - std::string("_server").size());
  }
  return name;
}

// make-dev-certs's output, or the reason it failed, under a lock on the
// certificates' folder (test processes run in parallel).
absl::Status MakeDevCertsLocked(const std::vector<std::string>& args) {
  const std::string lock_file = std::string(PALERMO_TEST_CERTS_DIR) + ".lock";
  std::filesystem::create_directories(
      std::filesystem::path(lock_file).parent_path());
  int fd = open(lock_file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("cannot open ", lock_file, ": ", strerror(errno)));
  }
  while (flock(fd, LOCK_EX) != 0 && errno == EINTR) {
  }
  absl::Status status = MakeDevCerts(args);
  close(fd);  // releases the lock
  return status;
}

}  // namespace

absl::Status MakeDevCerts(const std::vector<std::string>& args) {
  absl::StatusOr<CommandResult> made = RunCommand(
      std::string(PALERMO_SOURCE_DIR) + "/tools/certs/make-dev-certs", args);
  if (!made.ok()) return made.status();
  if (made->exit_code != 0) {
    return absl::InternalError(absl::StrCat("make-dev-certs ",
                                            absl::StrJoin(args, " "),
                                            " failed: ", made->errors));
  }
  return absl::OkStatus();
}

const std::string& TestCertsDir() {
  static const std::string* dir = [] {
    auto* made = new std::string(PALERMO_TEST_CERTS_DIR);
    if (absl::Status s = MakeDevCertsLocked({*made}); !s.ok()) {
      std::fprintf(stderr, "palermo test support: %s\n", s.ToString().c_str());
      std::abort();
    }
    return made;
  }();
  return *dir;
}

std::string TestCertificate(const std::string& name) {
  const std::string cert = TestCertsDir() + "/" + name + ".crt";
  if (!std::filesystem::exists(cert)) {
    if (absl::Status s = MakeDevCertsLocked({TestCertsDir(), name}); !s.ok()) {
      ADD_FAILURE() << s;
    }
  }
  return cert;
}

std::vector<std::string> TlsArgsFor(const std::string& binary) {
  const std::string name = CertificateNameOf(binary);
  const std::string cert = TestCertificate(name);
  const std::string key = TestCertsDir() + "/" + name + ".key";
  const std::string ca = "--tls_ca_file=" + TestCertsDir() + "/ca.crt";
  if (binary == PALERMO_GATEWAY_SERVER) {
    return {ca, "--tls_client_cert_file=" + cert,
            "--tls_client_key_file=" + key};
  }
  return {ca, "--tls_cert_file=" + cert, "--tls_key_file=" + key};
}

std::shared_ptr<grpc::ChannelCredentials> TlsCredentials(
    const std::string& cert_file, const std::string& key_file,
    const std::string& ca_file) {
  // One certificate watcher per set of files, not one per channel.
  static absl::Mutex mu(absl::kConstInit);
  static auto* made = new absl::flat_hash_map<
      std::string, std::shared_ptr<grpc::ChannelCredentials>>();
  palermo::TlsConfig config;
  config.ca_file = ca_file.empty() ? TestCertsDir() + "/ca.crt" : ca_file;
  config.client_cert_file = cert_file;
  config.client_key_file = key_file;
  const std::string key =
      absl::StrCat(config.ca_file, "|", cert_file, "|", key_file);
  absl::MutexLock lock(&mu);
  std::shared_ptr<grpc::ChannelCredentials>& credentials = (*made)[key];
  if (credentials == nullptr) {
    auto c = palermo::ChannelCredentialsFor(config);
    if (!c.ok()) {
      ADD_FAILURE() << c.status();
      return grpc::InsecureChannelCredentials();
    }
    credentials = *std::move(c);
  }
  return credentials;
}

std::shared_ptr<grpc::ServerCredentials> TestServerCredentials(
    const std::string& name) {
  palermo::TlsConfig config;
  config.cert_file = TestCertificate(name);
  config.key_file = TestCertsDir() + "/" + name + ".key";
  config.ca_file = TestCertsDir() + "/ca.crt";
  auto credentials = palermo::ServerCredentialsFor(config);
  if (!credentials.ok()) {
    ADD_FAILURE() << credentials.status();
    return grpc::InsecureServerCredentials();
  }
  return *std::move(credentials);
}

std::shared_ptr<grpc::ChannelCredentials> TestClientCredentials(
    const std::string& name) {
  const std::string cert = TestCertificate(name);
  return TlsCredentials(cert, TestCertsDir() + "/" + name + ".key");
}

bool TestsOnPostgres() {
  const char* store = getenv("PALERMO_TEST_STORE");
  return store != nullptr && std::string(store) == "postgres";
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(
    const std::string& binary, std::vector<std::string> args,
    absl::Duration timeout) {
  if (!HasTlsArgs(args)) {
    std::vector<std::string> tls = TlsArgsFor(binary);
    args.insert(args.end(), tls.begin(), tls.end());
    // Tests write to a service directly as "client" too, unless they say
    // otherwise (--writer_identities= for the gateway alone).
    if (binary != PALERMO_GATEWAY_SERVER &&
        std::none_of(args.begin(), args.end(), [](const std::string& arg) {
          return absl::StartsWith(arg, "--writer_identities=");
        })) {
      args.push_back("--writer_identities=client");
    }
  }
  return StartPlaintext(binary, std::move(args), timeout);
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::StartPlaintext(
    const std::string& binary, std::vector<std::string> args,
    absl::Duration timeout) {
  auto process = std::unique_ptr<ServiceProcess>(new ServiceProcess());
  process->binary_ = binary;
  process->is_gateway_ = binary == PALERMO_GATEWAY_SERVER;
  // The gateway and the case records listener verify the tests' tokens.
  if ((binary == PALERMO_GATEWAY_SERVER ||
       binary == PALERMO_ASSISTANCE_SERVER) &&
      std::none_of(args.begin(), args.end(), [](const std::string& arg) {
        return absl::StartsWith(arg, "--jwt_public_key_files=");
      })) {
    args.push_back("--jwt_public_key_files=" + TestCertsDir() +
                   "/jwt-dev.pub");
  }
  // The gateway keeps its audit log in --data_dir: never the shared default.
  if (binary == PALERMO_GATEWAY_SERVER &&
      std::none_of(args.begin(), args.end(), [](const std::string& arg) {
        return absl::StartsWith(arg, "--data_dir=");
      })) {
    std::string dir =
        (std::filesystem::path(::testing::TempDir()) / "palermo_gateway_XXXXXX")
            .string();
    if (mkdtemp(dir.data()) == nullptr) {
      return absl::InternalError(absl::StrCat("mkdtemp: ", strerror(errno)));
    }
    args.push_back("--data_dir=" + dir);
  }
  if (absl::Status s = ChoosePostgres(binary, args); !s.ok()) return s;
  process->serves_tls_ = ServesTls(args);
  process->args_ = std::move(args);
  absl::Status launched = process->Launch({}, timeout);
  if (!launched.ok()) return launched;
  return process;
}

absl::Status ServiceProcess::Restart(absl::Duration timeout) {
  if (pid_ > 0) return absl::FailedPreconditionError("still running");
  return Launch(ports_, timeout);
}

absl::Status ServiceProcess::Launch(const std::vector<int>& ports,
                                    absl::Duration timeout) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError(strerror(errno));
  std::vector<std::string> args = args_;
  args.push_back(
      absl::StrCat("--listen=127.0.0.1:", ports.empty() ? 0 : ports[0]));
  // Never the case-records listener's fixed default port.
  if (binary_ == PALERMO_ASSISTANCE_SERVER &&
      std::none_of(args_.begin(), args_.end(), [](const std::string& a) {
        return absl::StartsWith(a, "--case_records_listen=");
      })) {
    args.push_back(absl::StrCat("--case_records_listen=127.0.0.1:",
                                ports.size() > 1 ? ports[1] : 0));
  }
  args.push_back(absl::StrCat("--ready_fd=", fds[1]));
  args.push_back("--log_level=warn");
  absl::StatusOr<pid_t> pid = Spawn(binary_, args, -1, fds[1]);
  close(fds[1]);
  if (!pid.ok()) {
    close(fds[0]);
    return pid.status();
  }
  pid_ = *pid;

  std::string line;
  const absl::Time deadline = absl::Now() + timeout;
  while (line.find('\n') == std::string::npos) {
    pollfd p = {fds[0], POLLIN, 0};
    const int wait_ms = static_cast<int>(std::max<int64_t>(
        0, absl::ToInt64Milliseconds(deadline - absl::Now())));
    if (poll(&p, 1, wait_ms) <= 0) {
      close(fds[0]);
      Kill();
      return absl::DeadlineExceededError(
          absl::StrCat(binary_, " did not report SERVING in time"));
    }
    char buffer[64];
    ssize_t n = read(fds[0], buffer, sizeof(buffer));
    if (n <= 0) {
      close(fds[0]);
      int code = WaitExit(pid_);
      pid_ = -1;
      return absl::InternalError(
          absl::StrCat(binary_, " exited with ", code, " before SERVING"));
    }
    line.append(buffer, n);
  }
  close(fds[0]);
  // One port per listener, separated by spaces, then with --health_listen
  // "health:" and its port.
  std::vector<int> bound;
  health_port_ = 0;
  for (absl::string_view word : absl::StrSplit(
           absl::string_view(line).substr(0, line.find('\n')), ' ')) {
    int port = 0;
    if (absl::ConsumePrefix(&word, "health:")) {
      if (!absl::SimpleAtoi(word, &health_port_)) {
        return absl::InternalError(absl::StrCat("bad ready line: ", line));
      }
      continue;
    }
    if (!absl::SimpleAtoi(word, &port)) {
      return absl::InternalError(absl::StrCat("bad ready line: ", line));
    }
    bound.push_back(port);
  }
  ports_ = std::move(bound);
  return absl::OkStatus();
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) Terminate();
}

std::string ServiceProcess::address() const {
  return absl::StrCat("127.0.0.1:", port());
}

namespace {

std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(bool tls) {
  return tls ? TestClientCredentials("client")
             : grpc::InsecureChannelCredentials();
}

// Adds `authorization` to every call's metadata.
class AuthorizationInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit AuthorizationInterceptor(const std::string* value) : value_(value) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace("authorization", *value_);
    }
    methods->Proceed();
  }

 private:
  const std::string* value_;
};

class AuthorizationInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit AuthorizationInterceptorFactory(std::string value)
      : value_(std::move(value)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new AuthorizationInterceptor(&value_);
  }

 private:
  const std::string value_;
};

// Like Palermo's own clients: large error trailers (every bad row named).
grpc::ChannelArguments ClientArgs() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_MAX_METADATA_SIZE, 4 << 20);
  return args;
}

std::shared_ptr<grpc::Channel> ChannelCarrying(
    const std::string& address, std::shared_ptr<grpc::ChannelCredentials> creds,
    grpc::ChannelArguments args, const std::string& authorization) {
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<AuthorizationInterceptorFactory>(authorization));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address, std::move(creds), args, std::move(interceptors));
}

}  // namespace

Principal TestCaseWorker() {
  return Principal{"test-case-worker", Role::kCaseWorker, ""};
}

Principal TestAdministrator() {
  return Principal{"test-administrator", Role::kAdministrator, ""};
}

std::string TestToken(const TokenClaims& claims,
                      const std::string& private_key_pem) {
  std::string key = private_key_pem;
  if (key.empty()) {
    static const std::string* dev_key = [] {
      std::ifstream in(TestCertsDir() + "/jwt-dev.key");
      std::stringstream text;
      text << in.rdbuf();
      return new std::string(text.str());
    }();
    key = *dev_key;
  }
  absl::StatusOr<std::string> token = SignToken(claims, key);
  if (!token.ok()) {
    ADD_FAILURE() << "cannot sign a test token: " << token.status();
    return "";
  }
  return *std::move(token);
}

std::string TestToken(const Principal& who, absl::Duration ttl) {
  TokenClaims claims;
  claims.subject = who.subject;
  claims.role = who.role;
  claims.entity = who.entity;
  const absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  claims.issued_at = now;
  claims.not_before = now;
  claims.expires = now + ttl;
  return TestToken(claims);
}

std::string LoaderTokenFlag() {
  static const std::string* flag = [] {
    const std::string file =
        absl::StrCat(MakeSuiteDir("loader-token"), "/token");
    std::ofstream out(file);
    out << TestToken(Principal{"palermo-load", Role::kAdministrator, ""},
                     absl::Hours(4));
    return new std::string("--bearer_token_file=" + file);
  }();
  return *flag;
}

std::shared_ptr<grpc::Channel> ServiceProcess::Channel() const {
  if (is_gateway_) return ChannelAs(TestAdministrator());
  return AnonymousChannel();
}

std::shared_ptr<grpc::Channel> ServiceProcess::AnonymousChannel() const {
  return grpc::CreateCustomChannel(address(), CredentialsFor(serves_tls_),
                                   ClientArgs());
}

std::shared_ptr<grpc::Channel> ServiceProcess::ChannelAs(
    const Principal& who) const {
  return ChannelWithAuthorization("Bearer " + TestToken(who));
}

std::shared_ptr<grpc::Channel> ServiceProcess::ChannelWithAuthorization(
    const std::string& authorization) const {
  return ChannelCarrying(address(), CredentialsFor(serves_tls_), ClientArgs(),
                         authorization);
}

std::shared_ptr<grpc::Channel> ServiceProcess::DefaultChannel() const {
  if (is_gateway_) {
    return ChannelCarrying(address(), CredentialsFor(serves_tls_),
                           grpc::ChannelArguments(),
                           "Bearer " + TestToken(TestAdministrator()));
  }
  return grpc::CreateChannel(address(), CredentialsFor(serves_tls_));
}

std::shared_ptr<grpc::ChannelCredentials> ServiceProcess::Credentials() const {
  return CredentialsFor(serves_tls_);
}

std::shared_ptr<grpc::Channel> ServiceProcess::PlaintextChannel() const {
  return grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
}

std::shared_ptr<grpc::Channel> ServiceProcess::ChannelWith(
    std::shared_ptr<grpc::ChannelCredentials> credentials) const {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address(), std::move(credentials), args);
}

std::shared_ptr<grpc::Channel> ServiceProcess::CaseRecordsChannel() const {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_MAX_METADATA_SIZE, 4 << 20);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", ports_.at(1)),
                                   CredentialsFor(serves_tls_), args);
}

std::unique_ptr<grpc::ClientContext> CaseWorkerContext() {
  auto context = Context();
  context->AddMetadata("authorization",
                       "Bearer " + TestToken(TestCaseWorker()));
  return context;
}

int ServiceProcess::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int code = WaitExit(pid_);
  pid_ = -1;
  return code;
}

void ServiceProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  WaitExit(pid_);
  pid_ = -1;
}

absl::StatusOr<std::unique_ptr<Suite>> Suite::Start(
    const std::string& data_dir, std::vector<std::string> gateway_args) {
  auto suite = std::make_unique<Suite>();
  auto legislation = ServiceProcess::Start(
      PALERMO_LEGISLATION_SERVER, {"--data_dir=" + data_dir + "/legislation"});
  if (!legislation.ok()) return legislation.status();
  suite->legislation = *std::move(legislation);
  auto enforcement = ServiceProcess::Start(
      PALERMO_ENFORCEMENT_SERVER, {"--data_dir=" + data_dir + "/enforcement"});
  if (!enforcement.ok()) return enforcement.status();
  suite->enforcement = *std::move(enforcement);
  auto assistance = ServiceProcess::Start(
      PALERMO_ASSISTANCE_SERVER, {"--data_dir=" + data_dir + "/assistance"});
  if (!assistance.ok()) return assistance.status();
  suite->assistance = *std::move(assistance);
  auto coordination =
      ServiceProcess::Start(PALERMO_COORDINATION_SERVER,
                            {"--data_dir=" + data_dir + "/coordination"});
  if (!coordination.ok()) return coordination.status();
  suite->coordination = *std::move(coordination);
  auto reporting = ServiceProcess::Start(
      PALERMO_REPORTING_SERVER,
      {"--data_dir=" + data_dir + "/reporting",
       "--legislation_address=" + suite->legislation->address(),
       "--enforcement_address=" + suite->enforcement->address(),
       "--assistance_address=" + suite->assistance->address(),
       "--coordination_address=" + suite->coordination->address()});
  if (!reporting.ok()) return reporting.status();
  suite->reporting = *std::move(reporting);
  gateway_args.push_back("--reporting_address=" + suite->reporting->address());
  gateway_args.push_back("--legislation_address=" +
                         suite->legislation->address());
  gateway_args.push_back("--enforcement_address=" +
                         suite->enforcement->address());
  gateway_args.push_back("--assistance_address=" +
                         suite->assistance->address());
  gateway_args.push_back("--coordination_address=" +
                         suite->coordination->address());
  gateway_args.push_back("--data_dir=" + data_dir + "/gateway");
  auto gateway = ServiceProcess::Start(PALERMO_GATEWAY_SERVER, gateway_args);
  if (!gateway.ok()) return gateway.status();
  suite->gateway = *std::move(gateway);
  return suite;
}

absl::StatusOr<CommandResult> RunCommand(const std::string& binary,
                                         const std::vector<std::string>& args) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError(strerror(errno));
  // Standard error goes to an unlinked file, read once the command is done:
  // two pipes read one after the other could fill and hang.
  FILE* errors = tmpfile();
  if (errors == nullptr) {
    close(fds[0]);
    close(fds[1]);
    return absl::InternalError(strerror(errno));
  }
  absl::StatusOr<pid_t> pid = Spawn(binary, args, fds[1], -1, fileno(errors));
  close(fds[1]);
  if (!pid.ok()) {
    close(fds[0]);
    fclose(errors);
    return pid.status();
  }
  CommandResult result;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof(buffer))) > 0) {
    result.output.append(buffer, n);
  }
  close(fds[0]);
  result.exit_code = WaitExit(*pid);
  rewind(errors);
  size_t got;
  while ((got = fread(buffer, 1, sizeof(buffer), errors)) > 0) {
    result.errors.append(buffer, got);
  }
  fclose(errors);
  return result;
}

std::string MakeTempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) /
      absl::StrCat("palermo_", getpid(), "_", info->test_suite_name(), "_",
                   info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string MakeSuiteDir(const std::string& suite) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                              absl::StrCat("palermo_", suite, "_", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> out;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return out;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (!any.UnpackTo(&bad)) continue;
    for (const auto& v : bad.field_violations()) out.push_back(v.field());
  }
  return out;
}

grpc::Status RawUnaryCall(grpc::Channel& channel, const std::string& method,
                          const std::string& request) {
  grpc::Slice slice(request);
  grpc::ByteBuffer in(&slice, 1), out;
  auto context = Context();
  return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      &channel,
      grpc::internal::RpcMethod(method.c_str(),
                                grpc::internal::RpcMethod::NORMAL_RPC),
      context.get(), in, &out);
}

grpc::Status RawClientStream(grpc::Channel& channel, const std::string& method,
                             const std::vector<std::string>& messages,
                             grpc::ClientContext* context) {
  grpc::ByteBuffer response;
  std::unique_ptr<grpc::ClientWriter<grpc::ByteBuffer>> writer(
      grpc::internal::ClientWriterFactory<grpc::ByteBuffer>::Create(
          &channel,
          grpc::internal::RpcMethod(
              method.c_str(), grpc::internal::RpcMethod::CLIENT_STREAMING),
          context, &response));
  for (const std::string& m : messages) {
    grpc::Slice slice(m);
    grpc::ByteBuffer buffer(&slice, 1);
    if (!writer->Write(buffer)) break;
  }
  writer->WritesDone();
  return writer->Finish();
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  return context;
}

}  // namespace palermo::test
