// The contract suite of LegislationStore (legislation_store.h), which every
// implementation passes: get, list, compare-and-swap (ABORTED), tombstones,
// revisions, idempotency keys (a taken id writes nothing; RecordRequest's
// ALREADY_EXISTS), the change log (an entry per write, contiguous sequences,
// compaction, listeners), durability across reopening, and writers in two
// store instances on one database, as two processes, directly and through
// LegislationDomain: no lost update, one write per request id, sequences
// contiguous.
//
// An implementation's test provides a harness and instantiates the suite:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, LegislationStoreContract,
//                            testing::Values(&MakeSqliteHarness));
#ifndef PALERMO_SERVICES_LEGISLATION_LEGISLATION_STORE_CONTRACT_H_
#define PALERMO_SERVICES_LEGISLATION_LEGISLATION_STORE_CONTRACT_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "services/legislation/legislation_store.h"

namespace palermo::legislation {

// One implementation under test, for one test: a fresh, empty database.
class LegislationStoreHarness {
 public:
  virtual ~LegislationStoreHarness() = default;
  // A store on the test's database, keeping at least `change_log_retain`
  // change log entries. Each call opens another instance on the same
  // database, as another process would (or the same one, restarted).
  virtual absl::StatusOr<std::unique_ptr<LegislationStore>> Open(
      int64_t change_log_retain = 1000000) = 0;
};

// Makes the harness of a test (in SetUp: it may ASSERT).
using LegislationStoreHarnessFactory =
    std::unique_ptr<LegislationStoreHarness> (*)();

class LegislationStoreContract
    : public testing::TestWithParam<LegislationStoreHarnessFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Another store instance on the same database.
  std::unique_ptr<LegislationStore> OpenAnother(
      int64_t change_log_retain = 1000000);

  std::unique_ptr<LegislationStoreHarness> harness_;
  std::unique_ptr<LegislationStore> store_;
};

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_LEGISLATION_STORE_CONTRACT_H_
