// WatchChanges: a reactor pumping one subscription into one stream.
#include "services/common/change_feed_service.h"

#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/common/overload.h"
#include "services/common/status.h"

namespace palermo {
namespace {

using common::v1::WatchChangesRequest;
using common::v1::WatchChangesResponse;

class WatchReactor final
    : public grpc::ServerWriteReactor<WatchChangesResponse> {
 public:
  WatchReactor(grpc::CallbackServerContext* context,
               const WatchChangesRequest& request, ChangeFeed& feed) {
    if (WasShed(*context)) {  // already answered
      Finish(grpc::Status::CANCELLED);
      finished_ = true;
      return;
    }
    absl::StatusOr<std::shared_ptr<ChangeSubscription>> subscription =
        feed.Subscribe(request, [this] { Pump(); });
    std::lock_guard<std::mutex> lock(mu_);
    if (!subscription.ok()) {
      Finish(ToGrpcStatus(subscription.status()));
      finished_ = true;
      return;
    }
    subscription_ = *std::move(subscription);
    PumpLocked();
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (!ok) {  // the stream is broken: the client has gone
      FinishLocked(grpc::Status::CANCELLED);
      return;
    }
    PumpLocked();
  }

  void OnCancel() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
      if (!writing_) FinishLocked(grpc::Status::CANCELLED);
    }
    // Outside mu_: the feed may be waking this reactor (holding the
    // subscription's wake lock, waiting for mu_).
    if (subscription_) subscription_->Cancel();
  }

  void OnDone() override {
    if (subscription_) subscription_->Cancel();
    delete this;
  }

 private:
  // Called by the feed when the subscription may have something.
  void Pump() {
    std::lock_guard<std::mutex> lock(mu_);
    PumpLocked();
  }

  void PumpLocked() {
    if (finished_ || writing_ || !subscription_) return;
    if (cancelled_) {
      FinishLocked(grpc::Status::CANCELLED);
      return;
    }
    absl::Status end;
    switch (subscription_->Take(&message_, &end)) {
      case ChangeSubscription::Poll::kEvent:
        writing_ = true;
        StartWrite(&message_);
        return;
      case ChangeSubscription::Poll::kEmpty:
        return;
      case ChangeSubscription::Poll::kEnded:
        FinishLocked(ToGrpcStatus(end));
        return;
    }
  }

  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  std::mutex mu_;
  // Set once, under mu_, before any Pump can use it.
  std::shared_ptr<ChangeSubscription> subscription_;
  WatchChangesResponse message_;
  bool writing_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
};

}  // namespace

grpc::ServerWriteReactor<WatchChangesResponse>* ServeWatchChanges(
    grpc::CallbackServerContext* context, const WatchChangesRequest* request,
    ChangeFeed& feed) {
  return new WatchReactor(context, *request, feed);
}

void SetChangeSequence(grpc::ServerContextBase& context, int64_t sequence) {
  context.AddTrailingMetadata(kChangeSequenceMetadataKey,
                              absl::StrCat(sequence));
}

}  // namespace palermo
