// The store flags: --store picks SQLite or PostgreSQL, a bad value or a
// PostgreSQL store without a DSN names the flag, and the schema defaults to
// the service's name.
#include "services/common/store_flags.h"

#include <gtest/gtest.h>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "services/common/flags.h"

namespace palermo {
namespace {

TEST(StoreFlagsTest, SqliteIsTheDefault) {
  absl::FlagSaver saver;
  auto kind = StoreKindFromFlags();
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_EQ(*kind, StoreKind::kSqlite);
}

TEST(StoreFlagsTest, PostgresNeedsADsn) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_store, "postgres");
  auto missing = StoreKindFromFlags();
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "--postgres_dsn"))
      << missing.status();
  absl::SetFlag(&FLAGS_postgres_dsn, "host=/run/postgresql dbname=palermo");
  auto kind = StoreKindFromFlags();
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_EQ(*kind, StoreKind::kPostgres);
}

TEST(StoreFlagsTest, AnUnknownStoreNamesTheFlag) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_store, "mysql");
  auto kind = StoreKindFromFlags();
  EXPECT_EQ(kind.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(kind.status().message(), "--store=mysql"))
      << kind.status();
}

TEST(StoreFlagsTest, TheSchemaIsTheServicesUnlessTheFlagNamesOne) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_postgres_dsn, "dbname=palermo");
  absl::SetFlag(&FLAGS_postgres_pool_size, 3);
  postgres::Options options = PostgresOptionsFromFlags("legislation");
  EXPECT_EQ(options.dsn, "dbname=palermo");
  EXPECT_EQ(options.schema, "legislation");
  EXPECT_EQ(options.pool_size, 3);
  absl::SetFlag(&FLAGS_postgres_schema, "legislation_replica");
  EXPECT_EQ(PostgresOptionsFromFlags("legislation").schema,
            "legislation_replica");
}

}  // namespace
}  // namespace palermo
