// Test support: PostgreSQL servers and databases for tests, from Debian's
// postgresql-15 through tools/postgres/test-server (initdb in a temporary
// folder, the Unix socket in it, no TCP port).
//
// Under ctest, one server serves the whole run: the `postgres` fixture
// (CMakeLists.txt) starts it and hands its DSN to the tests that need it in
// PALERMO_TEST_POSTGRES. A test binary run directly, without that variable,
// starts a private server of its own on first use, stopped at exit.
#ifndef PALERMO_TESTS_SUPPORT_POSTGRES_FOR_TEST_H_
#define PALERMO_TESTS_SUPPORT_POSTGRES_FOR_TEST_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace palermo::test {

// The environment variable holding the run's server DSN.
inline constexpr char kTestPostgresEnv[] = "PALERMO_TEST_POSTGRES";

// A server of the caller's own in a temporary folder, which it may stop and
// start again (a server restart mid-test).
class PostgresServer {
 public:
  // initdb, then starts the server; returns once it accepts connections.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start();
  ~PostgresServer();  // stops the server and removes its folder

  // The DSN of its `postgres` database.
  const std::string& dsn() const { return dsn_; }
  // Stops it (fast shutdown: sessions are cut), keeping its data.
  absl::Status Stop();
  // Starts it again over the same data and socket; returns once it accepts
  // connections.
  absl::Status StartAgain();

 private:
  explicit PostgresServer(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  std::string dsn_;
};

// A new, uniquely named, empty database on the run's server (or this
// process's private one) and its DSN. Safe from several threads and from
// tests running in parallel.
absl::StatusOr<std::string> FreshPostgresDatabase();

// A new database on `server_dsn`'s server and its DSN.
absl::StatusOr<std::string> FreshPostgresDatabase(
    const std::string& server_dsn);

// `dsn` naming database `database` instead (a conninfo string).
absl::StatusOr<std::string> WithDatabase(const std::string& dsn,
                                         const std::string& database);

}  // namespace palermo::test

#endif  // PALERMO_TESTS_SUPPORT_POSTGRES_FOR_TEST_H_
