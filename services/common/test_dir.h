// For unit tests: a fresh, empty directory per test, named after the test
// and the process so that parallel runs never share one.
#ifndef PALERMO_SERVICES_COMMON_TEST_DIR_H_
#define PALERMO_SERVICES_COMMON_TEST_DIR_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace palermo {

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

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_TEST_DIR_H_
