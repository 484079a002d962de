// The runtime of the domains' client libraries (services/<domain>/client/):
// typed unary calls with a deadline whose grpc::Status becomes an
// absl::Status (code, message and details kept), and "list the whole
// collection" paging that follows next_page_token to the last page, the
// sequence a write's change got (ChangeSequenceOf) and WatchChanges calls
// (ChangeWatch).
#ifndef PALERMO_SERVICES_COMMON_CLIENT_CALL_H_
#define PALERMO_SERVICES_COMMON_CLIENT_CALL_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/sync_stream.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "palermo/common/v1/changes.pb.h"
#include "services/common/pagination.h"
#include "services/common/status.h"

namespace palermo {

// How a client library makes its calls.
struct CallOptions {
  // Deadline of each call (each page of a ListAll is one call).
  absl::Duration timeout = absl::Seconds(30);
  // Sent as `authorization: Bearer <token>` when not empty: the caller's
  // token, for calls through the gateway (a suite process calling a service
  // directly is named by its TLS certificate instead).
  std::string bearer_token;
};

// A client context with `options`' deadline and token.
std::unique_ptr<grpc::ClientContext> CallContext(const CallOptions& options);

// The sequence the service's change log gave the change of the call made
// with `context` (palermo-change-sequence, trailing metadata of a finished
// write), if it said.
std::optional<int64_t> ChangeSequenceOf(const grpc::ClientContext& context);

// Sets `*sequence`, if not null, to ChangeSequenceOf(context), 0 if the
// service did not say. A client library's write methods take an optional
// `int64_t* sequence` last, set so once the write succeeded: a reader asked
// for data at least that fresh sees the write.
void ReadChangeSequence(const grpc::ClientContext& context, int64_t* sequence);

// A WatchChanges call (server streaming), read blocking. The call has no
// deadline: it lasts until the service ends it, Cancel() or destruction.
class ChangeWatch {
 public:
  // Calls `stub.WatchChanges` (any service's: they share the messages).
  template <typename Stub>
  ChangeWatch(Stub& stub, const common::v1::WatchChangesRequest& request,
              const CallOptions& options)
      : context_(WatchContext(options)),
        reader_(stub.WatchChanges(context_.get(), request)) {}
  // Cancels the call if still open.
  ~ChangeWatch();

  // The next event; false once the stream has ended (Finish says why).
  bool Read(common::v1::WatchChangesResponse* event) {
    return reader_->Read(event);
  }
  // After Read returned false: how the call ended.
  absl::Status Finish();
  // Ends the call from any thread: a blocked Read returns false.
  void Cancel() { context_->TryCancel(); }

 private:
  static std::unique_ptr<grpc::ClientContext> WatchContext(
      const CallOptions& options);

  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReader<common::v1::WatchChangesResponse>> reader_;
  bool finished_ = false;
};

// Calls `method` of `stub` (e.g. &Stub::GetLegislation) with `request`;
// for a write, sets `*sequence` (if not null) to the sequence its change
// got (ReadChangeSequence).
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> CallUnary(
    Stub& stub,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const Request& request, const CallOptions& options,
    int64_t* sequence = nullptr) {
  Response response;
  std::unique_ptr<grpc::ClientContext> context = CallContext(options);
  grpc::Status status = (stub.*method)(context.get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  ReadChangeSequence(*context, sequence);
  return response;
}

// The same for a method whose response is empty.
template <typename Stub, typename Request, typename Response>
absl::Status CallEmpty(Stub& stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                    const Request&, Response*),
                       const Request& request, const CallOptions& options,
                       int64_t* sequence = nullptr) {
  return CallUnary(stub, method, request, options, sequence).status();
}

// Every item of a List method, from the first page (request's page_token
// is replaced) to the last: pages of kMaxPageSize, each one call of
// `method`; `items(page)` names the page's repeated field. A page token
// that repeats the one sent is INTERNAL, not a loop forever.
template <typename Stub, typename Request, typename Response, typename Items>
auto ListAll(Stub& stub,
             grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                          Response*),
             Request request, Items items, const CallOptions& options)
    -> absl::StatusOr<std::vector<typename std::decay_t<
        decltype(*items(std::declval<Response&>()))>::value_type>> {
  using Item = typename std::decay_t<decltype(*items(
      std::declval<Response&>()))>::value_type;
  std::vector<Item> all;
  request.set_page_size(kMaxPageSize);
  request.clear_page_token();
  while (true) {
    absl::StatusOr<Response> page = CallUnary(stub, method, request, options);
    if (!page.ok()) return page.status();
    for (Item& item : *items(*page)) all.push_back(std::move(item));
    if (page->next_page_token().empty()) return all;
    if (page->next_page_token() == request.page_token()) {
      return absl::InternalError(
          "the server answered the page token it was sent");
    }
    request.set_page_token(page->next_page_token());
  }
}

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_CLIENT_CALL_H_
