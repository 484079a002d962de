// Gives free heap memory back to the system, so that a process that grew
// under a burst of load shrinks again once it is over: tcmalloc's
// ReleaseFreeMemory when tcmalloc is the allocator, glibc's malloc_trim
// otherwise.
#ifndef PALERMO_SERVICES_COMMON_MEMORY_H_
#define PALERMO_SERVICES_COMMON_MEMORY_H_

#include <functional>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace palermo {

// Returns free heap memory to the system now.
void ReleaseFreeMemory();

// Which allocator ReleaseFreeMemory talks to: "tcmalloc" or "glibc".
const char* AllocatorName();

// Runs `tick` every `interval` on its own thread until destroyed.
class PeriodicTask {
 public:
  PeriodicTask(absl::Duration interval, std::function<void()> tick);
  ~PeriodicTask();

 private:
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_MEMORY_H_
