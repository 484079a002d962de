#include "services/common/logging.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <grpc/support/log.h>
#include <grpcpp/grpcpp.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/flags.h"

namespace palermo {
namespace {

bool json_logs = false;
// Starts an access-log line in JSON mode: its fields are merged into the
// line's object. No other message starts with this control character.
constexpr char kFieldsMarker = '\x1e';
std::string service_name;

// In JSON mode every line is an object built as a protobuf Struct, so quoting
// and escaping are protobuf's, not ours.
class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    google::protobuf::Struct line;
    auto& f = *line.mutable_fields();
    f["time"].set_string_value(absl::FormatTime(
        absl::RFC3339_full, absl::FromChrono(msg.time), absl::UTCTimeZone()));
    f["level"].set_string_value(
        std::string(spdlog::level::to_string_view(msg.level).data(),
                    spdlog::level::to_string_view(msg.level).size()));
    f["service"].set_string_value(service_name);
    std::string payload(msg.payload.data(), msg.payload.size());
    google::protobuf::Struct fields;
    if (!payload.empty() && payload.front() == kFieldsMarker &&
        google::protobuf::util::JsonStringToMessage(payload.substr(1), &fields)
            .ok()) {
      for (auto& [k, v] : fields.fields()) {
        if (!f.contains(k)) f[k] = v;
      }
    } else {
      f["message"].set_string_value(payload);
    }
    std::string out;
    (void)google::protobuf::util::MessageToJsonString(line, &out);
    out.push_back('\n');
    dest.append(out.data(), out.data() + out.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

// gRPC's own messages (gpr_log: a failed TLS handshake, say) go through the
// same logger, so that in JSON mode they are objects too. Which severities
// reach it stays gRPC's choice (GRPC_VERBOSITY, ERROR by default).
void LogGrpc(gpr_log_func_args* args) {
  spdlog::level::level_enum level = spdlog::level::debug;
  if (args->severity == GPR_LOG_SEVERITY_ERROR) level = spdlog::level::err;
  if (args->severity == GPR_LOG_SEVERITY_INFO) level = spdlog::level::info;
  spdlog::log(level, "grpc {}:{}: {}", args->file, args->line, args->message);
}

class RpcLogInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit RpcLogInterceptor(grpc::experimental::ServerRpcInfo* info)
      : info_(info), start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      LogRpc(info_->method(), info_->server_context()->peer(),
             status.error_code(), absl::Now() - start_);
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  absl::Time start_;
};

}  // namespace

absl::Status SetUpLogging(absl::string_view service) {
  service_name = std::string(service);
  const std::string format = absl::GetFlag(FLAGS_log_format);
  if (format != "text" && format != "json") {
    return absl::InvalidArgumentError(
        absl::StrCat("--log_format must be text or json, not ", format));
  }
  auto level = spdlog::level::from_str(absl::GetFlag(FLAGS_log_level));
  if (level == spdlog::level::off && absl::GetFlag(FLAGS_log_level) != "off") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown --log_level ", absl::GetFlag(FLAGS_log_level)));
  }
  // Logs go to stderr: stdout stays free for a command's own output.
  auto logger = std::make_shared<spdlog::logger>(
      service_name, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  json_logs = format == "json";
  if (json_logs) {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ [%n] %v",
                        spdlog::pattern_time_type::utc);
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
  gpr_set_log_function(&LogGrpc);
  return absl::OkStatus();
}

void LogRpc(absl::string_view method, absl::string_view peer, int code,
            absl::Duration duration) {
  const std::string code_name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  const double ms = absl::ToDoubleMilliseconds(duration);
  if (json_logs) {
    google::protobuf::Struct line;
    auto& f = *line.mutable_fields();
    f["message"].set_string_value("rpc");
    f["method"].set_string_value(std::string(method));
    f["peer"].set_string_value(std::string(peer));
    f["code"].set_string_value(code_name);
    f["duration_ms"].set_number_value(ms);
    std::string out;
    (void)google::protobuf::util::MessageToJsonString(line, &out);
    spdlog::info("{}{}", kFieldsMarker, out);
  } else {
    spdlog::info("rpc method={} peer={} code={} duration_ms={:.3f}",
                 std::string(method), std::string(peer), code_name, ms);
  }
}

grpc::experimental::Interceptor*
RpcLogInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcLogInterceptor(info);
}

}  // namespace palermo
