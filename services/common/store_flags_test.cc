// Tests of the store flags' checks.
#include "services/common/store_flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/flags/flag.h"
#include "services/common/flags.h"

namespace palermo {
namespace {

class StoreFlagsTest : public ::testing::Test {
 protected:
  void TearDown() override {
    absl::SetFlag(&FLAGS_store, "sqlite");
    absl::SetFlag(&FLAGS_postgres_dsn, "");
    absl::SetFlag(&FLAGS_postgres_schema, "");
  }
};

TEST_F(StoreFlagsTest, SqliteIsTheDefaultAndNamesAFileInTheDataDir) {
  absl::SetFlag(&FLAGS_data_dir, ::testing::TempDir() + "/store_flags");
  absl::StatusOr<StoreChoice> choice = ChooseStore("legislation", "l.db");
  ASSERT_TRUE(choice.ok()) << choice.status();
  EXPECT_EQ(choice->kind, StoreKind::kSqlite);
  EXPECT_EQ(choice->sqlite_path, ::testing::TempDir() + "/store_flags/l.db");
}

TEST_F(StoreFlagsTest, PostgresTakesTheServiceNameAsSchema) {
  absl::SetFlag(&FLAGS_store, "postgres");
  absl::SetFlag(&FLAGS_postgres_dsn, "host=/tmp dbname=p");
  absl::StatusOr<StoreChoice> choice = ChooseStore("legislation", "l.db");
  ASSERT_TRUE(choice.ok()) << choice.status();
  EXPECT_EQ(choice->kind, StoreKind::kPostgres);
  EXPECT_EQ(choice->postgres_dsn, "host=/tmp dbname=p");
  EXPECT_EQ(choice->postgres_schema, "legislation");
  absl::SetFlag(&FLAGS_postgres_schema, "legislation_2");
  EXPECT_EQ(ChooseStore("legislation", "l.db")->postgres_schema,
            "legislation_2");
}

TEST_F(StoreFlagsTest, RefusesEachBadFlagNamingIt) {
  absl::SetFlag(&FLAGS_store, "mysql");
  EXPECT_THAT(ChooseStore("x", "x.db").status().message(),
              ::testing::HasSubstr("--store"));
  absl::SetFlag(&FLAGS_store, "postgres");
  EXPECT_THAT(ChooseStore("x", "x.db").status().message(),
              ::testing::HasSubstr("--postgres_dsn"));
  absl::SetFlag(&FLAGS_postgres_dsn, "host=/tmp no_such_option=1");
  EXPECT_THAT(ChooseStore("x", "x.db").status().message(),
              ::testing::HasSubstr("--postgres_dsn: malformed"));
  absl::SetFlag(&FLAGS_postgres_dsn, "host=/tmp");
  absl::SetFlag(&FLAGS_postgres_schema, "Bad-Schema; DROP");
  absl::Status bad = ChooseStore("x", "x.db").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), ::testing::HasSubstr("--postgres_schema"));
  for (const char* schema : {"1abc", "pg_x"}) {
    absl::SetFlag(&FLAGS_postgres_schema, schema);
    EXPECT_THAT(ChooseStore("x", "x.db").status().message(),
                ::testing::HasSubstr("--postgres_schema")) << schema;
  }
  absl::SetFlag(&FLAGS_postgres_schema, "");
  absl::SetFlag(&FLAGS_postgres_pool_size, 0);
  EXPECT_THAT(ChooseStore("x", "x.db").status().message(),
              ::testing::HasSubstr("--postgres_pool_size"));
  absl::SetFlag(&FLAGS_postgres_pool_size, 8);
}

}  // namespace
}  // namespace palermo
