#include "services/common/memory.h"

#include <dlfcn.h>
#include <malloc.h>

#include <utility>

namespace palermo {
namespace {

using ReleaseFn = void (*)();

// tcmalloc's C entry point, if tcmalloc is linked in (or preloaded).
ReleaseFn TcmallocRelease() {
  static ReleaseFn fn = reinterpret_cast<ReleaseFn>(
      dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory"));
  return fn;
}

}  // namespace

void ReleaseFreeMemory() {
  if (ReleaseFn fn = TcmallocRelease()) {
    fn();
  } else {
    malloc_trim(0);
  }
}

const char* AllocatorName() {
  return TcmallocRelease() != nullptr ? "tcmalloc" : "glibc";
}

PeriodicTask::PeriodicTask(absl::Duration interval, std::function<void()> tick)
    : thread_([this, interval, tick = std::move(tick)] {
        while (!stop_.WaitForNotificationWithTimeout(interval)) tick();
      }) {}

PeriodicTask::~PeriodicTask() {
  stop_.Notify();
  thread_.join();
}

}  // namespace palermo
