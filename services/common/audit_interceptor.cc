// Recording write calls in the audit log (audit_interceptor.h).
#include "services/common/audit_interceptor.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/support/byte_buffer.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/caller.h"
#include "services/common/overload.h"

namespace palermo {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

std::atomic<int64_t> append_failures{0};

// The RPC name of "/pkg.Service/Method".
absl::string_view RpcName(absl::string_view method) {
  const size_t slash = method.rfind('/');
  return slash == absl::string_view::npos ? method : method.substr(slash + 1);
}

// The request type of "/pkg.Service/Method", or null if the method is not in
// the generated descriptor pool.
const Descriptor* RequestType(absl::string_view method) {
  absl::ConsumePrefix(&method, "/");
  const size_t slash = method.rfind('/');
  if (slash == absl::string_view::npos) return nullptr;
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrCat(method.substr(0, slash), ".", method.substr(slash + 1)));
  return descriptor ? descriptor->input_type() : nullptr;
}

// A singular string field's value, "" if there is none.
std::string StringField(const Message& message, absl::string_view field) {
  const FieldDescriptor* f =
      message.GetDescriptor()->FindFieldByName(std::string(field));
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return message.GetReflection()->GetString(message, f);
}

// The resource of a client stream's first message, read raw (as bytes):
// parsed as the method's request type, without consuming `buffer`.
std::string ResourceOfRaw(absl::string_view method,
                          const grpc::ByteBuffer& buffer) {
  const Descriptor* type = RequestType(method);
  if (type == nullptr) return "";
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) return "";
  std::vector<grpc::Slice> slices;
  if (!grpc::ByteBuffer(buffer).Dump(&slices).ok()) return "";
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  std::unique_ptr<Message> request(prototype->New());
  if (!request->ParseFromString(bytes)) return "";
  return ResourceOf(*request);
}

class AuditInterceptor : public grpc::experimental::Interceptor {
 public:
  AuditInterceptor(ServerRpcInfo* info, AuditLog* log,
                   const AuditOptions* options)
      : info_(info), method_(info->method()), log_(log), options_(options) {}

  // Ended without a status: cancelled by its caller or past its deadline.
  // (The call's context may be going too: only what was captured is used.)
  ~AuditInterceptor() override {
    Record(grpc::Status(grpc::StatusCode::CANCELLED,
                        "the call ended before its answer was sent "
                        "(cancelled by the caller, or past its deadline)"));
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      TakeCaller();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      TakeResource(methods->GetRecvMessage());
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        shed_ = shed_ || WasShed(*info_->server_context());
      }
      Record(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  // Once the initial metadata arrived (as the interceptors before this one
  // left it): who calls, and whether the overload interceptor shed the call.
  void TakeCaller() {
    const grpc::ServerContextBase& context = *info_->server_context();
    AuditCaller caller = options_->caller(context);
    const bool shed = WasShed(context);
    std::lock_guard<std::mutex> lock(mu_);
    caller_ = std::move(caller);
    shed_ = shed;
  }

  // The first message's resource; later messages of a stream are ignored.
  void TakeResource(void* message) {
    std::string resource;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (saw_message_) return;
      saw_message_ = true;
    }
    // Null: the request did not parse (the status says so).
    if (message == nullptr) return;
    if (info_->type() == ServerRpcInfo::Type::CLIENT_STREAMING ||
        info_->type() == ServerRpcInfo::Type::BIDI_STREAMING) {
      // Palermo reads client streams raw (client_stream.h).
      resource =
          ResourceOfRaw(method_, *static_cast<grpc::ByteBuffer*>(message));
    } else {
      resource = ResourceOf(*static_cast<Message*>(message));
    }
    std::lock_guard<std::mutex> lock(mu_);
    resource_ = std::move(resource);
  }

  // Records the call once, with `status`, unless it was shed.
  void Record(const grpc::Status& status) {
    AuditEntry entry;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (recorded_ || shed_) return;
      recorded_ = true;
      entry.principal = caller_.subject;
      entry.role = caller_.role;
      entry.resource = resource_;
    }
    entry.method = method_;
    entry.code = static_cast<int>(status.error_code());
    entry.message = status.error_message();
    entry.time = options_->now();
    RecordAudit(*log_, entry);
  }

  ServerRpcInfo* info_;  // not in the destructor
  const std::string method_;
  AuditLog* log_;
  const AuditOptions* options_;
  std::mutex mu_;
  AuditCaller caller_;
  bool shed_ = false;
  bool saw_message_ = false;
  bool recorded_ = false;
  std::string resource_;
};

}  // namespace

AuditCaller CallerAsAudited(const grpc::ServerContextBase& context) {
  return {ActorOf(context), std::string(RoleName(CallerOf(context).role))};
}

WriteMethodPredicate WriteMethods(std::vector<std::string> also) {
  absl::flat_hash_set<std::string> listed(also.begin(), also.end());
  return [listed = std::move(listed)](absl::string_view method) {
    const absl::string_view rpc = RpcName(method);
    for (absl::string_view prefix :
         {"Create", "Update", "Delete", "Upsert", "Import", "Undelete"}) {
      if (absl::StartsWith(rpc, prefix)) return true;
    }
    return listed.contains(rpc) || listed.contains(method);
  };
}

std::string ResourceOf(const Message& request) {
  for (absl::string_view field : {"name", "parent"}) {
    if (std::string value = StringField(request, field); !value.empty()) {
      return value;
    }
  }
  const Descriptor* type = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
        !reflection->HasField(request, f)) {
      continue;
    }
    if (std::string value =
            StringField(reflection->GetMessage(request, f), "name");
        !value.empty()) {
      return value;
    }
  }
  return "";
}

void RecordAudit(AuditLog& log, const AuditEntry& entry) {
  absl::StatusOr<int64_t> appended = log.Append(entry);
  if (appended.ok()) return;
  const int64_t failures = append_failures.fetch_add(1) + 1;
  spdlog::error("audit: cannot record {} by {} on {} ({}): {} ({} failed)",
                entry.method, entry.principal, entry.resource, entry.code,
                appended.status().ToString(), failures);
}

int64_t AuditAppendFailures() { return append_failures.load(); }

void AuditRefusal(AuditLog& log, absl::string_view method,
                  const AuditCaller& caller, absl::string_view resource,
                  const absl::Status& status) {
  AuditEntry entry;
  entry.method = std::string(method);
  entry.principal = caller.subject;
  entry.role = caller.role;
  entry.resource = std::string(resource);
  entry.code = static_cast<int>(status.code());
  entry.message = std::string(status.message());
  entry.time = absl::Now();
  RecordAudit(log, entry);
}

AuditInterceptorFactory::AuditInterceptorFactory(AuditLog* log,
                                                 AuditOptions options)
    : log_(log), options_(std::move(options)) {}

grpc::experimental::Interceptor*
AuditInterceptorFactory::CreateServerInterceptor(ServerRpcInfo* info) {
  if (!options_.is_write(info->method())) return nullptr;
  return new AuditInterceptor(info, log_, &options_);
}

}  // namespace palermo
