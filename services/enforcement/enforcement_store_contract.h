// The contract every enforcement store (enforcement_store.h) passes,
// whatever its database: a value-parameterised GoogleTest suite over an
// implementation that makes fresh databases and opens stores on them. A
// store's test instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, EnforcementStoreContract,
//       ::testing::Values(EnforcementStoreImpl{"Sqlite", Fresh, Open}),
//       EnforcementStoreImpl::Name);
//
// It covers the indicator code list (ALREADY_EXISTS), batches (created,
// revised and unchanged counts, versions, as-of reads, revisions newest
// first), idempotency keys, every query filter, the change log (one entry
// per version written, sequences, commit times strictly increasing,
// listeners), reopening a database, and two store instances on one
// database writing at once, as two processes would.
#ifndef PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_STORE_CONTRACT_H_
#define PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_STORE_CONTRACT_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "services/common/change_log.h"
#include "services/enforcement/enforcement_store.h"

namespace palermo::enforcement {

// One implementation under test.
struct EnforcementStoreImpl {
  std::string name;
  // A new, empty database: where it is (a file path, a DSN); "" fails.
  std::function<std::string()> fresh;
  // A store on the database at `where`, whose change log keeps `options`
  // (null: the test fails). Two stores on one database are two processes.
  std::function<std::unique_ptr<EnforcementStore>(
      const std::string& where, const ChangeLogOptions& options)>
      open;

  static std::string Name(
      const ::testing::TestParamInfo<EnforcementStoreImpl>& info) {
    return info.param.name;
  }
};

inline void PrintTo(const EnforcementStoreImpl& impl, std::ostream* os) {
  *os << impl.name;
}

class EnforcementStoreContract
    : public ::testing::TestWithParam<EnforcementStoreImpl> {
 protected:
  void SetUp() override;
  // Another store on the test's database.
  std::unique_ptr<EnforcementStore> Open(const ChangeLogOptions& options = {});

  std::string where_;
  std::unique_ptr<EnforcementStore> store_;
};

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_STORE_CONTRACT_H_
