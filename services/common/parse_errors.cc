#include "services/common/parse_errors.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace palermo {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

// "/pkg.Service/Method" -> the full name of its request type, or "" if the
// method is not in the generated descriptor pool.
std::string RequestTypeOf(absl::string_view method) {
  absl::ConsumePrefix(&method, "/");
  const size_t slash = method.rfind('/');
  if (slash == absl::string_view::npos) return "";
  const std::string full_name =
      absl::StrCat(method.substr(0, slash), ".", method.substr(slash + 1));
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          full_name);
  return descriptor ? descriptor->input_type()->full_name() : "";
}

class ParseErrorInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ParseErrorInterceptor(ServerRpcInfo* info) : info_(info) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    // Only unary and server-streaming calls receive their request before the
    // handler runs; for them the server leaves the received message null
    // exactly when it did not deserialize. (Stream reads also report null
    // at their end, so client streams are not judged here.)
    const bool single_request =
        info_->type() == ServerRpcInfo::Type::UNARY ||
        info_->type() == ServerRpcInfo::Type::SERVER_STREAMING;
    if (single_request && !saw_request_ &&
        methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      saw_request_ = true;
      unparsed_ = methods->GetRecvMessage() == nullptr;
    }
    if (unparsed_ && methods->QueryInterceptionHookPoint(
                         InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::StatusCode code = methods->GetSendStatus().error_code();
      if (code == grpc::StatusCode::INTERNAL ||
          code == grpc::StatusCode::UNIMPLEMENTED) {
        methods->ModifySendStatus(UnparsedRequestStatus(info_->method()));
      }
    }
    methods->Proceed();
  }

 private:
  ServerRpcInfo* info_;
  bool saw_request_ = false;
  bool unparsed_ = false;
};

}  // namespace

grpc::Status UnparsedRequestStatus(absl::string_view method) {
  std::string type = RequestTypeOf(method);
  if (type.empty()) type = absl::StrCat("the request type of ", method);
  return grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      absl::StrCat("the request does not parse as ", type,
                   " (malformed protobuf, or a string field that is not "
                   "valid UTF-8); nothing was done"));
}

grpc::Status UnparsedStreamMessageStatus(int index, absl::string_view type) {
  return grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      absl::StrCat("message ", index, " of the stream does not parse as ", type,
                   " (malformed protobuf, or a string field that is not "
                   "valid UTF-8); the whole stream is refused, nothing "
                   "was written"));
}

grpc::experimental::Interceptor*
ParseErrorInterceptorFactory::CreateServerInterceptor(ServerRpcInfo* info) {
  return new ParseErrorInterceptor(info);
}

}  // namespace palermo
