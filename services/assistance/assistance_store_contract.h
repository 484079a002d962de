// The contract every victim assistance store (assistance_store.h) passes,
// whatever its database: a value-parameterised GoogleTest suite over a
// factory of fresh, empty databases. A store's test instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, AssistanceStoreContract,
//       ::testing::Values(AssistanceStoreImpl{"Sqlite", FreshSqlite}),
//       AssistanceStoreImpl::Name);
//
// It covers what is the assistance store's own: the seeded catalogue, new
// measure types, releases (round trip, latest, numbers taken), their
// idempotency keys in the requests table the records share, one change log
// for every write, and two stores (as two processes) on one database.
// RecordsOf() runs the common record store contract
// (record_store_contract.h) on the store's measures and cases.
#ifndef PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_CONTRACT_H_
#define PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_CONTRACT_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "services/assistance/assistance_store.h"
#include "services/common/record_store_contract.h"

namespace palermo::assistance {

// One implementation under test. `fresh` makes a fresh, empty database and
// returns what opens stores on it: each call another store over the same
// data, as another process would open (null: the test fails).
struct AssistanceStoreImpl {
  using Opener = std::function<std::unique_ptr<AssistanceStore>(
      const ChangeLogOptions& options)>;
  std::string name;
  std::function<Opener()> fresh;

  static std::string Name(
      const ::testing::TestParamInfo<AssistanceStoreImpl>& info) {
    return info.param.name;
  }
};

inline void PrintTo(const AssistanceStoreImpl& impl, std::ostream* os) {
  *os << impl.name;
}

// The record store contract's implementation over `impl`'s stores: its
// collections "things" and "secrets" (unlogged) are the store's measures
// and cases.
RecordStoreImpl RecordsOf(const AssistanceStoreImpl& impl);

class AssistanceStoreContract
    : public ::testing::TestWithParam<AssistanceStoreImpl> {
 protected:
  void SetUp() override;
  // Another store on the test's database.
  std::unique_ptr<AssistanceStore> Open(const ChangeLogOptions& options = {});

  AssistanceStoreImpl::Opener open_;
  std::unique_ptr<AssistanceStore> store_;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_CONTRACT_H_
