// The gRPC edge of the change feed: WatchChanges served from a ChangeFeed
// by a callback-API server-streaming reactor (one write in flight at a
// time; it ends when the client cancels, when the feed ends the
// subscription, and when the feed shuts down with the server), and the
// trailing metadata by which a write tells its sequence.
//
// A synchronous service adds WatchChanges, a callback method, with
//   class FooServiceImpl final
//       : public
//       WithChangeFeed<v1::FooService::WithCallbackMethod_WatchChanges<
//             v1::FooService::Service>> {
//    public:
//     FooServiceImpl(FooDomain& domain, ChangeLog& changes)
//         : WithChangeFeed(changes), domain_(domain) {}
//   ...
// and main() hosts it with {&service, name, service.EndWatches()}. Its
// write handlers answer through RespondToWrite.
#ifndef PALERMO_SERVICES_COMMON_CHANGE_FEED_SERVICE_H_
#define PALERMO_SERVICES_COMMON_CHANGE_FEED_SERVICE_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include <cstdint>
#include <functional>
#include <utility>

#include "palermo/common/v1/changes.pb.h"
#include "services/common/caller.h"
#include "services/common/change_feed.h"
#include "services/common/status.h"

namespace palermo {

// Serves one WatchChanges call from `feed`, which must outlive the call.
// A request the feed refuses (ValidateWatch) ends the call with its status.
grpc::ServerWriteReactor<common::v1::WatchChangesResponse>* ServeWatchChanges(
    grpc::CallbackServerContext* context,
    const common::v1::WatchChangesRequest* request, ChangeFeed& feed);

// Puts `sequence` in the call's trailing metadata (palermo-change-sequence).
void SetChangeSequence(grpc::ServerContextBase& context, int64_t sequence);

// Answers a write as Respond (status.h) does: `write(&sequence)` calls the
// domain's write method, which sets the sequence of its change (of a
// replay or a no-op: the latest); once it succeeded, that sequence goes in
// the trailers (SetChangeSequence). Every write handler answers through
// this, e.g.
//   return RespondToWrite(*context, response, [&](int64_t* sequence) {
//     return domain_.CreateFoo(*request, sequence);
//   });
//
// The caller must be one that may write here (MayWrite, caller.h: the
// gateway); otherwise nothing is written and the answer is
// PERMISSION_DENIED.
template <typename Response, typename Write>
grpc::Status RespondToCheckedWrite(grpc::ServerContextBase& context,
                                   Response* response, Write&& write);

template <typename Response, typename Write>
grpc::Status RespondToWrite(grpc::ServerContextBase& context,
                            Response* response, Write&& write) {
  if (absl::Status allowed = MayWrite(context); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return RespondToCheckedWrite(context, response, std::forward<Write>(write));
}

// RespondToWrite for a write whose caller was checked otherwise (a case
// worker's token, on the case-records listener).
template <typename Response, typename Write>
grpc::Status RespondToCheckedWrite(grpc::ServerContextBase& context,
                                   Response* response, Write&& write) {
  int64_t sequence = 0;
  grpc::Status status = Respond(write(&sequence), response);
  if (status.ok()) SetChangeSequence(context, sequence);
  return status;
}

// The WatchChanges method of a generated service base `Base` (one with
// WithCallbackMethod_WatchChanges), served from a feed of `log` started at
// construction with the flags' options.
template <typename Base>
class WithChangeFeed : public Base {
 public:
  explicit WithChangeFeed(ChangeLog& log)
      : feed_(log, ChangeFeedOptionsFromFlags()) {
    feed_.Start();
  }

  grpc::ServerWriteReactor<common::v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context,
      const common::v1::WatchChangesRequest* request) override {
    return ServeWatchChanges(context, request, feed_);
  }

  // For HostedService::on_shutdown: ends the open watches.
  std::function<void()> EndWatches() {
    return [this] { feed_.Shutdown(); };
  }

  ChangeFeed& change_feed() { return feed_; }

 private:
  ChangeFeed feed_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_CHANGE_FEED_SERVICE_H_
