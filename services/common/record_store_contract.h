// The contract every record store (record_store.h) passes, whatever its
// database: a value-parameterised GoogleTest suite over a factory of fresh,
// empty stores. A store's test instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, RecordStoreContract,
//       ::testing::Values(RecordStoreImpl{"sqlite", MakeSqliteStore}),
//       RecordStoreImpl::Name);
//
// It covers records (create, get, list with prefixes, after_name and limit,
// compare-and-swap, tombstones and revisions), idempotency keys, error codes,
// the change log (contiguous sequences in commit order, types, revisions,
// bounds, compaction, listeners, unlogged collections) and concurrent
// writers.
#ifndef PALERMO_SERVICES_COMMON_RECORD_STORE_CONTRACT_H_
#define PALERMO_SERVICES_COMMON_RECORD_STORE_CONTRACT_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "services/common/change_log.h"
#include "services/common/record_schema.h"
#include "services/common/record_store.h"

namespace palermo {

// The schema the suite's stores have: collections "things" (logged) and
// "secrets" (unlogged: its writes append no change).
RecordSchema ContractSchema();

// One implementation under test. `make` returns a fresh, empty store with
// `schema`'s tables whose change log keeps `options` (null: the test fails).
// What the suite requires of compaction: with retain r, a store has
// compacted entries older than its newest r by the time it committed 8 r
// more. Listeners are called, after the commit, before the write returns.
struct RecordStoreImpl {
  using Factory = std::function<std::unique_ptr<RecordStore>(
      const RecordSchema& schema, const ChangeLogOptions& options)>;
  std::string name;
  Factory make;

  static std::string Name(
      const ::testing::TestParamInfo<RecordStoreImpl>& info) {
    return info.param.name;
  }
};

inline void PrintTo(const RecordStoreImpl& impl, std::ostream* os) {
  *os << impl.name;
}

class RecordStoreContract : public ::testing::TestWithParam<RecordStoreImpl> {
 protected:
  void SetUp() override;
  // A fresh store with ContractSchema(), as the parameter makes it.
  std::unique_ptr<RecordStore> Make(const ChangeLogOptions& options = {});

  std::unique_ptr<RecordStore> store_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_RECORD_STORE_CONTRACT_H_
