// PostgreSQL servers and databases for tests: postgres_for_test.h.
#include "tests/support/postgres_for_test.h"

#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "services/common/postgres.h"

#ifndef PALERMO_TEST_SERVER_SCRIPT
#error "PALERMO_TEST_SERVER_SCRIPT names tools/postgres/test-server"
#endif

namespace palermo::test {
namespace {

// Runs the test-server script; its output (the DSN on start) or an error
// quoting it.
absl::StatusOr<std::string> RunScript(const std::string& command,
                                      const std::string& dir) {
  // `dir` comes from mkdtemp and the script's path from the build: neither
  // holds a quote.
  const std::string line = absl::StrCat("'", PALERMO_TEST_SERVER_SCRIPT, "' ",
                                        command, " '", dir, "' 2>&1");
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) return absl::InternalError("popen " + line);
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output.append(buffer, n);
  }
  const int status = pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat("tools/postgres/test-server ", command, " failed: ",
                     output));
  }
  return std::string(absl::StripAsciiWhitespace(output));
}

// Quotes a conninfo value.
std::string Quoted(const std::string& value) {
  return absl::StrCat(
      "'", absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"'", "\\'"}}), "'");
}

// The DSN of the run's server, or of this process's private one.
absl::StatusOr<std::string> ServerDsn() {
  if (const char* dsn = std::getenv(kTestPostgresEnv); dsn && *dsn) {
    return std::string(dsn);
  }
  static std::mutex mu;
  static std::unique_ptr<PostgresServer> server;  // stopped at exit
  std::lock_guard<std::mutex> lock(mu);
  if (server == nullptr) {
    absl::StatusOr<std::unique_ptr<PostgresServer>> started =
        PostgresServer::Start();
    if (!started.ok()) return started.status();
    server = *std::move(started);
  }
  return server->dsn();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  std::string dir = "/tmp/palermo-pg.XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    return absl::InternalError("mkdtemp " + dir);
  }
  std::unique_ptr<PostgresServer> server(new PostgresServer(dir));
  absl::StatusOr<std::string> dsn = RunScript("start", dir);
  if (!dsn.ok()) return dsn.status();
  server->dsn_ = *dsn;
  return server;
}

PostgresServer::~PostgresServer() {
  RunScript("destroy", dir_).IgnoreError();
}

absl::Status PostgresServer::Stop() { return RunScript("stop", dir_).status(); }

absl::Status PostgresServer::StartAgain() {
  return RunScript("start", dir_).status();
}

absl::StatusOr<std::string> WithDatabase(const std::string& dsn,
                                         const std::string& database) {
  if (absl::Status s = postgres::CheckDsn(dsn); !s.ok()) return s;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), nullptr);
  std::string out;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string(o->keyword) == "dbname") continue;
    absl::StrAppend(&out, o->keyword, "=", Quoted(o->val), " ");
  }
  PQconninfoFree(options);
  absl::StrAppend(&out, "dbname=", Quoted(database));
  return out;
}

absl::StatusOr<std::string> FreshPostgresDatabase(
    const std::string& server_dsn) {
  static std::atomic<int> counter{0};
  const std::string name =
      absl::StrCat("palermo_test_", getpid(), "_", counter.fetch_add(1), "_",
                   absl::ToUnixMicros(absl::Now()) % 1000000);
  absl::StatusOr<std::unique_ptr<postgres::Connection>> conn =
      postgres::Connection::Open(server_dsn);
  if (!conn.ok()) return conn.status();
  if (absl::Status s = (*conn)->Exec(
          absl::StrCat("CREATE DATABASE ", (*conn)->QuoteIdentifier(name)));
      !s.ok()) {
    return s;
  }
  return WithDatabase(server_dsn, name);
}

absl::StatusOr<std::string> FreshPostgresDatabase() {
  absl::StatusOr<std::string> server = ServerDsn();
  if (!server.ok()) return server.status();
  return FreshPostgresDatabase(*server);
}

}  // namespace palermo::test
