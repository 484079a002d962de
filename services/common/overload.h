// What overload may take from a Palermo process: a bound on the calls in
// flight, enforced by a server interceptor that answers any call beyond it
// RESOURCE_EXHAUSTED at once (health checks are never shed), and the gRPC
// resource quota (threads, buffer memory) shared by the server and its
// outgoing channels.
#ifndef PALERMO_SERVICES_COMMON_OVERLOAD_H_
#define PALERMO_SERVICES_COMMON_OVERLOAD_H_

#include <grpcpp/resource_quota.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace palermo {

// Counts calls in flight against a limit. Thread-safe.
class InflightLimiter {
 public:
  explicit InflightLimiter(int limit) : limit_(limit) {}

  // Takes a slot if fewer than `limit` are taken; otherwise counts a shed
  // call and returns false.
  bool TryAcquire();
  // Gives back a slot taken by TryAcquire.
  void Release();

  int limit() const { return limit_; }
  int in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  // Calls refused since the last call of TakeShedCount.
  int64_t TakeShedCount() { return shed_.exchange(0); }

 private:
  const int limit_;
  std::atomic<int> in_flight_{0};
  std::atomic<int64_t> shed_{0};
};

// Calls whose method starts with this are never shed.
inline constexpr absl::string_view kHealthMethodPrefix =
    "/grpc.health.v1.Health/";
// Nor those whose method ends with this: a watch lasts as long as its
// client wants, so watches are bounded on their own (--max_watches), not
// counted as calls in flight.
inline constexpr absl::string_view kWatchMethodSuffix = "/WatchChanges";

// Whether the overload interceptor shed this call. The call is already
// answered RESOURCE_EXHAUSTED: a handler seeing this should do no work and
// just finish (its status is ignored), so that shedding stays cheap.
bool WasShed(const grpc::ServerContextBase& context);

// The message a shed call gets, naming the process and the flag.
std::string OverloadMessage(absl::string_view process, int limit);

// Server interceptor: each call takes a slot of `limiter` from its start
// until its status is sent (or it is cancelled); a call finding none is
// answered RESOURCE_EXHAUSTED with OverloadMessage(). `limiter` must outlive
// the server.
class OverloadInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  OverloadInterceptorFactory(InflightLimiter* limiter,
                             absl::string_view process);
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  InflightLimiter* limiter_;
  std::string message_;
};

// The process's gRPC resource quota, sized from --grpc_memory_bytes and
// --max_threads (or --max_inflight_calls) on first use.
grpc::ResourceQuota& ProcessResourceQuota();

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_OVERLOAD_H_
