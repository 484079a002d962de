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

namespace {
// Set by the interceptor in a shed call's client metadata (after removing
// any the client sent), read by WasShed.
constexpr char kShedKey[] = "palermo-internal-shed";
}  // namespace

bool WasShed(const grpc::ServerContextBase& context) {
  return context.client_metadata().count(kShedKey) > 0;
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
    if (absl::StartsWith(info->method(), kHealthMethodPrefix) ||
        absl::EndsWith(info->method(), kWatchMethodSuffix)) {
      state_ = State::kExempt;
    } else {
      state_ = limiter->TryAcquire() ? State::kHolding : State::kShed;
    }
  }
  ~OverloadInterceptor() override { Release(); }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      metadata->erase(kShedKey);
      if (state_ == State::kShed) Shed(metadata);
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

  void Shed(std::multimap<grpc::string_ref, grpc::string_ref>* metadata) {
    metadata->emplace(kShedKey, "1");
    // Ends the call at once with this status: the transport sends it as the
    // call's trailers. The handler still runs, on a cancelled call.
    grpc_call_cancel_with_status(info_->server_context()->c_call(),
                                 GRPC_STATUS_RESOURCE_EXHAUSTED,
                                 message_->c_str(), nullptr);
  }

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
