// The main() of every Palermo test binary: GoogleTest's, plus a rule that
// no test is ever skipped. GoogleTest reports the tests of a suite whose
// SetUpTestSuite failed as SKIPPED, and CTest (gtest_discover_tests matches
// "[  SKIPPED ]") then counts them as skipped rather than failed. Here a
// failure outside any test (a suite's set-up or tear-down) or a skip ends
// the binary at once with status 1, before anything is printed as skipped.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

namespace {

class NeverSkip : public ::testing::EmptyTestEventListener {
 public:
  // Called with GoogleTest's lock held: the state is tracked here rather
  // than asked of UnitTest.
  void OnTestStart(const ::testing::TestInfo&) override { in_test_ = true; }
  void OnTestEnd(const ::testing::TestInfo&) override { in_test_ = false; }
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    const bool outside_test = !in_test_;
    if (result.skipped() || (result.failed() && outside_test)) {
      std::fprintf(stderr,
                   "palermo: %s at %s:%d: %s\npalermo: a Palermo test is "
                   "never skipped; this binary fails\n",
                   result.skipped() ? "a test asked to be skipped"
                                    : "a suite's set-up or tear-down failed",
                   result.file_name() ? result.file_name() : "?",
                   result.line_number(), result.message());
      std::fflush(stderr);
      std::_Exit(1);
    }
  }

 private:
  bool in_test_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(new NeverSkip);
  return RUN_ALL_TESTS();
}
