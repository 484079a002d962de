// PeriodicTask, the housekeeping thread that gives free memory back.
#include "services/common/memory.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace palermo {
namespace {

TEST(PeriodicTaskTest, TicksAgainAndAgainNotJustOnce) {
  std::atomic<int> ticks{0};
  absl::Notification third;
  {
    PeriodicTask task(absl::Milliseconds(1), [&] {
      if (++ticks == 3) third.Notify();
    });
    // A bound on a wait, not a sleep: it returns at the third tick.
    EXPECT_TRUE(third.WaitForNotificationWithTimeout(absl::Seconds(30)));
  }
  EXPECT_GE(ticks.load(), 3);
}

TEST(PeriodicTaskTest, DestroyingItStopsItWithoutWaitingForTheInterval) {
  std::atomic<int> ticks{0};
  // With an hour's interval, the destructor returns only if it wakes the
  // thread (ctest's timeout would otherwise fail the test).
  auto task = std::make_unique<PeriodicTask>(absl::Hours(1), [&] { ++ticks; });
  task.reset();
  EXPECT_EQ(ticks.load(), 0);
}

}  // namespace
}  // namespace palermo
