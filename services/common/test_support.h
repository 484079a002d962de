// Shared by unit tests: a fresh directory per test, the entity registry
// loaded once, the fields a status's BadRequest names, and records padded to
// an exact size.
#ifndef PALERMO_SERVICES_COMMON_TEST_SUPPORT_H_
#define PALERMO_SERVICES_COMMON_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "palermo/common/v1/common.pb.h"
#include "services/common/entities.h"
#include "services/common/status.h"

namespace palermo {

// Named after the test and the process, so parallel runs never share one.
inline std::filesystem::path FreshTestDir() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) /
      (std::string(test->test_suite_name()) + "_" + test->name() + "_" +
       std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// From Debian's iso-codes (--iso_codes_dir); a test binary that cannot load
// it aborts, failing every test.
inline const EntityRegistry& TestEntities() {
  static const EntityRegistry* registry = [] {
    auto loaded = EntityRegistry::LoadDefault();
    if (!loaded.ok()) {
      std::fprintf(stderr, "cannot load the entity registry: %s\n",
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return new EntityRegistry(*std::move(loaded));
  }();
  return *registry;
}

inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> out;
  const google::rpc::BadRequest bad = BadRequestOf(status);
  for (const auto& v : bad.field_violations()) out.push_back(v.field());
  return out;
}

// Adds valid sources with long excerpts to `sources` until `stored_bytes()`
// (the size of the record as it will be stored) is exactly `bytes`; every
// excerpt stays within kMaxStringBytes. `bytes` must be above 20,000.
inline void PadWithSources(
    google::protobuf::RepeatedPtrField<common::v1::Provenance>* sources,
    const std::function<size_t()>& stored_bytes, size_t bytes) {
  auto add = [sources](size_t excerpt) {
    common::v1::Provenance* p = sources->Add();
    p->set_document_symbol("E/CN.15/2008/6");
    p->set_paragraph(1);
    p->set_excerpt(std::string(excerpt, 'x'));
    return p;
  };
  while (stored_bytes() + 2 * 8100 <= bytes) add(8000);
  add((bytes - stored_bytes()) / 2);
  common::v1::Provenance* last = add(0);
  for (int i = 0; i < 10 && stored_bytes() != bytes; ++i) {
    const long diff =
        static_cast<long>(bytes) - static_cast<long>(stored_bytes());
    last->mutable_excerpt()->resize(last->excerpt().size() + diff, 'x');
  }
  ASSERT_EQ(stored_bytes(), bytes);
}

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_TEST_SUPPORT_H_
