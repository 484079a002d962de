#include "services/common/overload.h"

#include <grpc/grpc.h>
#include <grpcpp/server_context.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/flags.h"

namespace palermo {

bool InflightLimiter::TryAcquire() {
  int current = in_flight_.load(std::memory_order_relaxed);
  while (current < limit_) {
    if (in_flight_.compare_exchange_weak(current, current + 1,
                                         std::memory_order_acquire)) {
      return true;
    }
  }
  shed_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void InflightLimiter::Release() {
  in_flight_.fetch_sub(1, std::memory_order_release);
}

std::string OverloadMessage(absl::string_view process, int limit) {
  return absl::StrCat(process, " is overloaded: ", limit,
                      " calls are in flight, the most it takes "
                      "(--max_inflight_calls); retry after a backoff");
}

namespace {

using grpc::experimental::InterceptionHookPoints;

class OverloadInterceptor : public grpc::experimental::Interceptor {
 public:
  OverloadInterceptor(grpc::experimental::ServerRpcInfo* info,
                      InflightLimiter* limiter, const std::string* message)
      : info_(info), limiter_(limiter), message_(message) {
    if (absl::StartsWith(info->method(), kHealthMethodPrefix)) {
      state_ = State::kExempt;
    } else {
      state_ = limiter->TryAcquire() ? State::kHolding : State::kShed;
    }
  }
  ~OverloadInterceptor() override { Release(); }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (state_ == State::kShed &&
        methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      // Ends the call at once with this status: the transport sends it as
      // the call's trailers. The handler may still run, on a cancelled call.
      grpc_call_cancel_with_status(info_->server_context()->c_call(),
                                   GRPC_STATUS_RESOURCE_EXHAUSTED,
                                   message_->c_str(), nullptr);
    }
    // The slot is free before the caller can learn the call is over.
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Release();
    }
    methods->Proceed();
  }

 private:
  enum class State { kExempt, kHolding, kShed, kReleased };

  // A streaming call's hooks may run on several threads.
  void Release() {
    State holding = State::kHolding;
    if (state_.compare_exchange_strong(holding, State::kReleased)) {
      limiter_->Release();
    }
  }

  grpc::experimental::ServerRpcInfo* info_;
  InflightLimiter* limiter_;
  const std::string* message_;
  std::atomic<State> state_;
};

}  // namespace

OverloadInterceptorFactory::OverloadInterceptorFactory(
    InflightLimiter* limiter, absl::string_view process)
    : limiter_(limiter), message_(OverloadMessage(process, limiter->limit())) {}

grpc::experimental::Interceptor*
OverloadInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new OverloadInterceptor(info, limiter_, &message_);
}

grpc::ResourceQuota& ProcessResourceQuota() {
  static grpc::ResourceQuota* quota = [] {
    auto* q = new grpc::ResourceQuota("palermo");
    q->Resize(static_cast<size_t>(absl::GetFlag(FLAGS_grpc_memory_bytes)));
    int threads = absl::GetFlag(FLAGS_max_threads);
    if (threads <= 0) threads = absl::GetFlag(FLAGS_max_inflight_calls) + 16;
    q->SetMaxThreads(threads);
    return q;
  }();
  return *quota;
}

}  // namespace palermo
