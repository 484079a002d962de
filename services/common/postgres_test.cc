// The libpq wrapper on a real PostgreSQL server: DSN errors, parameters,
// transactions, error codes, COPY, migrations, LISTEN/NOTIFY, and a server
// restart in the middle.
#include "services/common/postgres.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "tests/support/postgres_for_test.h"

namespace palermo::postgres {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Notifications a listener got, awaited without sleeping.
class Inbox {
 public:
  void Add(const std::string& payload) {
    absl::MutexLock lock(&mu_);
    got_.push_back(payload);
  }
  // Waits until `payload` has arrived; false after 30 s.
  bool WaitFor(const std::string& payload) {
    absl::MutexLock lock(&mu_);
    auto arrived = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return std::find(got_.begin(), got_.end(), payload) != got_.end();
    };
    return mu_.AwaitWithTimeout(absl::Condition(&arrived), absl::Seconds(30));
  }
  std::vector<std::string> got() {
    absl::MutexLock lock(&mu_);
    return got_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> got_ ABSL_GUARDED_BY(mu_);
};

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dsn = test::FreshPostgresDatabase();
    ASSERT_TRUE(dsn.ok()) << dsn.status();
    dsn_ = *dsn;
  }

  std::unique_ptr<Pool> OpenPool(const std::string& schema = "svc",
                                 const std::vector<Migration>& migrations = {},
                                 int pool_size = 4) {
    absl::StatusOr<std::unique_ptr<Pool>> pool =
        Pool::Open({dsn_, schema, pool_size}, migrations);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? *std::move(pool) : nullptr;
  }

  int64_t Count(Pool& pool, const std::string& sql) {
    auto conn = pool.Acquire();
    EXPECT_TRUE(conn.ok()) << conn.status();
    absl::StatusOr<Result> r = (*conn)->Execute(sql);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->Int(0, 0) : -1;
  }

  std::string dsn_;
};

TEST(PostgresDsnTest, MalformedDsnIsInvalidArgumentNamingTheProblem) {
  for (const std::string dsn :
       {"", "host=/tmp port", "bogus_option=1", "postgresql://[::1"}) {
    absl::Status s = CheckDsn(dsn);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << dsn;
    EXPECT_THAT(s.message(), HasSubstr("malformed PostgreSQL DSN")) << dsn;
    absl::StatusOr<std::unique_ptr<Pool>> pool = Pool::Open({dsn, "svc"});
    EXPECT_EQ(pool.status().code(), absl::StatusCode::kInvalidArgument) << dsn;
  }
  EXPECT_THAT(CheckDsn("bogus_option=1").message(), HasSubstr("bogus_option"));
  EXPECT_TRUE(CheckDsn("host=/tmp dbname=x").ok());
  EXPECT_TRUE(CheckDsn("postgresql:///x?host=/tmp").ok());
}

TEST(PostgresDsnTest, UnreachableServerIsUnavailableNamingTheSocket) {
  absl::StatusOr<std::unique_ptr<Pool>> pool =
      Pool::Open({"host=/nonexistent/palermo dbname=x", "svc"});
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(pool.status().message(), HasSubstr("cannot connect"));
  EXPECT_THAT(pool.status().message(), HasSubstr("/nonexistent/palermo"));
}

TEST_F(PostgresTest, BadSchemaOrPoolSizeIsInvalidArgument) {
  for (const std::string schema : {"", "Svc", "a-b", "1a", "x\"; DROP"}) {
    EXPECT_EQ(Pool::Open({dsn_, schema}).status().code(),
              absl::StatusCode::kInvalidArgument)
        << schema;
  }
  EXPECT_EQ(Pool::Open({dsn_, "svc", 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PostgresTest, ParametersAreNeverSplicedAndBytesKeepNul) {
  auto pool = OpenPool("svc", {{1, "CREATE TABLE t (name text PRIMARY KEY,"
                                   " data bytea, n bigint, at timestamptz)"}});
  ASSERT_NE(pool, nullptr);
  auto conn = pool->Acquire();
  ASSERT_TRUE(conn.ok()) << conn.status();
  const std::string name = "a'; DROP TABLE t; -- \xc3\xa9";
  const std::string bytes("\0a\0\xff'\\", 6);
  absl::StatusOr<Result> inserted = (*conn)->Execute(
      "INSERT INTO t VALUES ($1, $2, $3, $4)",
      {Param::Text(name), Param::Bytes(bytes), Param::Int(-5),
       Param::Text("2024-02-29T12:00:00.123456Z")});
  ASSERT_TRUE(inserted.ok()) << inserted.status();
  EXPECT_EQ(inserted->affected(), 1);
  const absl::Time later = absl::FromUnixMicros(1709208000123457);
  ASSERT_TRUE((*conn)
                  ->Execute("INSERT INTO t VALUES ('later', '', 0, $1)",
                            {Param::Time(later)})
                  .ok());
  absl::StatusOr<Result> r_later = (*conn)->Execute("SELECT at FROM t WHERE name = 'later'");
  ASSERT_TRUE(r_later.ok()) << r_later.status();
  EXPECT_EQ(r_later->Time(0, 0), later);
  ASSERT_TRUE((*conn)
                  ->Execute("INSERT INTO t VALUES ($1, $2, $3, $4)",
                            {Param::Text("null"), Param::Null(), Param::Null(),
                             Param::Null()})
                  .ok());

  absl::StatusOr<Result> r = (*conn)->Execute(
      "SELECT name, data, n, at FROM t WHERE name = $1", {Param::Text(name)});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows(), 1);
  EXPECT_EQ(r->Text(0, 0), name);
  EXPECT_EQ(r->Bytes(0, 1), bytes);
  EXPECT_EQ(r->Int(0, 2), -5);
  EXPECT_EQ(r->Time(0, 3), absl::FromUnixMicros(1709208000123456));

  r = (*conn)->Execute("SELECT data, n FROM t WHERE name = 'null'");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->IsNull(0, 0));
  EXPECT_TRUE(r->IsNull(0, 1));
  EXPECT_EQ(Count(*pool, "SELECT count(*) FROM t"), 3);
}

TEST_F(PostgresTest, UniqueViolationIsAlreadyExists) {
  auto pool = OpenPool("svc", {{1, "CREATE TABLE t (name text PRIMARY KEY)"}});
  ASSERT_NE(pool, nullptr);
  auto conn = pool->Acquire();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Execute("INSERT INTO t VALUES ('a')").ok());
  absl::Status again = (*conn)->Execute("INSERT INTO t VALUES ('a')").status();
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(SqlState(again), "23505");
  absl::Status bad = (*conn)->Execute("SELECT * FROM missing").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(bad.message(), HasSubstr("\"missing\" does not exist"));
  EXPECT_EQ(SqlState(bad), "42P01");
}

TEST_F(PostgresTest, TransactionsRollBackOnError) {
  auto pool = OpenPool("svc", {{1, "CREATE TABLE t (name text PRIMARY KEY)"}});
  ASSERT_NE(pool, nullptr);
  absl::Status s = pool->InTransaction([](Connection& conn) -> absl::Status {
    if (auto r = conn.Execute("INSERT INTO t VALUES ('a')"); !r.ok()) {
      return r.status();
    }
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  // A statement failing inside: the whole transaction goes.
  s = pool->InTransaction([](Connection& conn) -> absl::Status {
    if (auto r = conn.Execute("INSERT INTO t VALUES ('b')"); !r.ok()) {
      return r.status();
    }
    conn.Execute("INSERT INTO t VALUES ('b')").IgnoreError();
    return absl::OkStatus();  // and Commit refuses
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  {
    auto conn = pool->Acquire();
    ASSERT_TRUE(conn.ok());
    auto txn = Transaction::Begin(**conn);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*conn)->Execute("INSERT INTO t VALUES ('c')").ok());
  }  // no Commit
  EXPECT_EQ(Count(*pool, "SELECT count(*) FROM t"), 0);
  ASSERT_TRUE(pool->InTransaction([](Connection& conn) {
                    return conn.Execute("INSERT INTO t VALUES ('d')").status();
                  })
                  .ok());
  EXPECT_EQ(Count(*pool, "SELECT count(*) FROM t"), 1);
}

TEST_F(PostgresTest, SerializationFailureIsRetried) {
  auto pool = OpenPool("svc", {{1, "CREATE TABLE t (n integer)"}});
  ASSERT_NE(pool, nullptr);
  int attempts = 0;
  absl::Status s = pool->InTransaction([&](Connection& conn) -> absl::Status {
    ++attempts;
    if (auto r = conn.Execute("INSERT INTO t VALUES (1)"); !r.ok()) {
      return r.status();
    }
    if (attempts == 1) {
      return conn.Exec(
          "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40001',"
          " MESSAGE = 'forced'; END $$");
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(Count(*pool, "SELECT count(*) FROM t"), 1);

  attempts = 0;
  s = pool->InTransaction(
      [&](Connection& conn) {
        ++attempts;
        return conn.Exec(
            "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01',"
            " MESSAGE = 'forced'; END $$");
      },
      3);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(IsRetryable(s));
  EXPECT_EQ(attempts, 3);
}

TEST_F(PostgresTest, PoolSharedByThreadsLosesNoUpdate) {
  auto pool =
      OpenPool("svc",
               {{1, "CREATE TABLE c (n bigint NOT NULL);"
                    "INSERT INTO c VALUES (0)"}},
               3);
  ASSERT_NE(pool, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        EXPECT_TRUE(pool->InTransaction([](Connection& conn) {
                          return conn.Execute("UPDATE c SET n = n + 1").status();
                        })
                        .ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Count(*pool, "SELECT n FROM c"), 200);
  EXPECT_LE(Count(*pool,
                  "SELECT count(*) FROM pg_stat_activity WHERE"
                  " datname = current_database() AND application_name ="
                  " 'palermo'"),
            3);
}

TEST_F(PostgresTest, ExhaustedPoolIsUnavailableAfterTheTimeout) {
  absl::StatusOr<std::unique_ptr<Pool>> pool =
      Pool::Open({dsn_, "svc", 1, absl::Milliseconds(50)});
  ASSERT_TRUE(pool.ok()) << pool.status();
  auto held = (*pool)->Acquire();
  ASSERT_TRUE(held.ok());
  EXPECT_EQ((*pool)->Acquire().status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(PostgresTest, CopyLoadsRowsInBinaryAndAFailedCopyLoadsNone) {
  auto pool = OpenPool("svc", {{1, "CREATE TABLE t (id bigint PRIMARY KEY,"
                                   " name text, data bytea, at timestamptz,"
                                   " small integer)"}});
  ASSERT_NE(pool, nullptr);
  auto conn = pool->Acquire();
  ASSERT_TRUE(conn.ok());
  const absl::Time at = absl::FromUnixMicros(1700000000123456);
  {
    auto copy = CopyIn::Begin(**conn,
                              "COPY t (id, name, data, at, small) FROM STDIN"
                              " (FORMAT binary)");
    ASSERT_TRUE(copy.ok()) << copy.status();
    for (int i = 0; i < 100000; ++i) {
      copy->Row(5).Int64(i).Text(absl::StrCat("name ", i));
      if (i % 2) {
        copy->Bytes(std::string("\0\x01", 2)).Time(at).Int32(-i);
      } else {
        copy->Null().Null().Null();
      }
    }
    absl::StatusOr<int64_t> rows = copy->Finish();
    ASSERT_TRUE(rows.ok()) << rows.status();
    EXPECT_EQ(*rows, 100000);
  }
  absl::StatusOr<Result> r = (*conn)->Execute(
      "SELECT name, data, at, small FROM t WHERE id = $1", {Param::Int(777)});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->Text(0, 0), "name 777");
  EXPECT_EQ(r->Bytes(0, 1), std::string("\0\x01", 2));
  EXPECT_EQ(r->Time(0, 2), at);
  EXPECT_EQ(r->Int(0, 3), -777);

  {
    // A duplicate key: the COPY fails as a whole.
    auto copy = CopyIn::Begin(**conn, "COPY t (id) FROM STDIN (FORMAT binary)");
    ASSERT_TRUE(copy.ok()) << copy.status();
    copy->Row(1).Int64(-1).Row(1).Int64(5);
    absl::StatusOr<int64_t> rows = copy->Finish();
    EXPECT_EQ(rows.status().code(), absl::StatusCode::kAlreadyExists);
  }
  {
    auto copy = CopyIn::Begin(**conn, "COPY t (id) FROM STDIN (FORMAT binary)");
    ASSERT_TRUE(copy.ok()) << copy.status();
    copy->Row(1).Int64(-2);
  }  // abandoned
  EXPECT_EQ(Count(*pool, "SELECT count(*) FROM t"), 100000);
  EXPECT_EQ(CopyIn::Begin(**conn, "SELECT 1").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_TRUE((*conn)->Execute("SELECT 1").ok());  // still usable
}

TEST_F(PostgresTest, MigrationsApplyOnceWithTwoConcurrentOpeners) {
  // Not idempotent: applied twice, the CREATE fails and the INSERT counts 2.
  const std::vector<Migration> migrations = {
      {2, "INSERT INTO applied VALUES (2)"},
      {1, "CREATE TABLE applied (version integer)"},
  };
  std::vector<absl::StatusOr<std::unique_ptr<Pool>>> pools(4);
  {
    std::vector<std::thread> threads;
    for (auto& pool : pools) {
      threads.emplace_back(
          [&] { pool = Pool::Open({dsn_, "svc", 2}, migrations); });
    }
    for (auto& t : threads) t.join();
  }
  for (auto& pool : pools) ASSERT_TRUE(pool.ok()) << pool.status();
  Pool& pool = **pools[0];
  EXPECT_EQ(Count(pool, "SELECT count(*) FROM applied"), 1);
  EXPECT_EQ(*pool.SchemaVersion(), 2);

  // A later binary's migration: only it runs.
  std::vector<Migration> more = migrations;
  more.push_back({3, "INSERT INTO applied VALUES (3)"});
  auto newer = OpenPool("svc", more);
  ASSERT_NE(newer, nullptr);
  EXPECT_EQ(Count(*newer, "SELECT count(*) FROM applied"), 2);
  // An older binary refuses a newer schema.
  EXPECT_EQ(Pool::Open({dsn_, "svc"}, migrations).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The tables are the schema's.
  EXPECT_EQ(Count(pool,
                  "SELECT count(*) FROM information_schema.tables WHERE"
                  " table_schema = 'svc' AND table_name IN"
                  " ('applied', 'schema_version')"),
            2);
}

TEST_F(PostgresTest, EachServiceHasItsOwnSchema) {
  const std::vector<Migration> migrations = {
      {1, "CREATE TABLE t (v text); INSERT INTO t VALUES (current_schema())"}};
  auto one = OpenPool("one", migrations);
  auto two = OpenPool("two", migrations);
  ASSERT_NE(one, nullptr);
  ASSERT_NE(two, nullptr);
  auto conn = one->Acquire();
  ASSERT_TRUE(conn.ok());
  auto r = (*conn)->Execute("SELECT v FROM t");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows(), 1);
  EXPECT_EQ(r->Text(0, 0), "one");
}

TEST_F(PostgresTest, NotifyWakesTheListenerAtCommitOnly) {
  Inbox inbox;
  auto listener = Listener::Start(dsn_, "Palermo changes",
                                  [&](const std::string& p) { inbox.Add(p); });
  ASSERT_TRUE(listener.ok()) << listener.status();
  auto pool = OpenPool();
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->InTransaction([](Connection& conn) -> absl::Status {
                  if (absl::Status s = Notify(conn, "Palermo changes",
                                              "rolled back");
                      !s.ok()) {
                    return s;
                  }
                  return absl::CancelledError("no");
                }).code(),
            absl::StatusCode::kCancelled);
  ASSERT_TRUE(pool->InTransaction([](Connection& conn) {
                    return Notify(conn, "Palermo changes", "committed");
                  })
                  .ok());
  ASSERT_TRUE(inbox.WaitFor("committed"));
  // In commit order: a rolled-back notification would have come first.
  EXPECT_THAT(inbox.got(), ElementsAre("committed"));
}

TEST(PostgresRestartTest, QueriesFailUnavailableThenWorkWhenTheServerReturns) {
  absl::StatusOr<std::unique_ptr<test::PostgresServer>> server =
      test::PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::string> dsn =
      test::FreshPostgresDatabase((*server)->dsn());
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  absl::StatusOr<std::unique_ptr<Pool>> pool = Pool::Open(
      {*dsn, "svc", 3},
      {{1, "CREATE TABLE t (n integer)"}});
  ASSERT_TRUE(pool.ok()) << pool.status();
  Inbox inbox;
  auto listener = Listener::Start(*dsn, "changes",
                                  [&](const std::string& p) { inbox.Add(p); });
  ASSERT_TRUE(listener.ok()) << listener.status();
  auto insert = [&](int n) {
    return (*pool)->InTransaction([n](Connection& conn) {
      return conn.Execute("INSERT INTO t VALUES ($1)", {Param::Int(n)})
          .status();
    });
  };
  {
    // Three connections open and idle in the pool when the server goes.
    auto a = (*pool)->Acquire(), b = (*pool)->Acquire(), c = (*pool)->Acquire();
    ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  }
  ASSERT_TRUE(insert(1).ok());

  ASSERT_TRUE((*server)->Stop().ok());
  absl::Status down = insert(2);
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable) << down;
  EXPECT_EQ((*pool)->Ping().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ((*pool)->Ping().code(), absl::StatusCode::kUnavailable);

  ASSERT_TRUE((*server)->StartAgain().ok());
  // The first query after the return works: no stale connection is kept.
  EXPECT_TRUE((*pool)->Ping().ok());
  ASSERT_TRUE(insert(3).ok());
  auto conn = (*pool)->Acquire();
  ASSERT_TRUE(conn.ok());
  auto r = (*conn)->Execute("SELECT string_agg(n::text, ',' ORDER BY n) FROM t");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->Text(0, 0), "1,3");

  // The listener is back (it says so with an empty payload) and hears again.
  ASSERT_TRUE(inbox.WaitFor(""));
  EXPECT_GE((*listener)->reconnects(), 1);
  ASSERT_TRUE(Notify(**conn, "changes", "after restart").ok());
  EXPECT_TRUE(inbox.WaitFor("after restart"));
}

}  // namespace
}  // namespace palermo::postgres
