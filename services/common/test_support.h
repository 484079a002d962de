// Shared by unit tests: a fresh directory per test, the entity registry
// loaded once, and the fields a status's BadRequest names.
#ifndef PALERMO_SERVICES_COMMON_TEST_SUPPORT_H_
#define PALERMO_SERVICES_COMMON_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

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

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_TEST_SUPPORT_H_
