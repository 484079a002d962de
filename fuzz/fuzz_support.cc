#include "fuzz/fuzz_support.h"

#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/change_feed.h"
#include "services/common/status.h"

namespace palermo::fuzz {

MethodTable::MethodTable(const std::vector<std::string>& services,
                         std::map<std::string, Handler> handlers)
    : handlers_(std::move(handlers)) {
  for (const auto& service_name : services) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service_name);
    if (service == nullptr) {
      std::fprintf(stderr, "fuzz: no service %s\n", service_name.c_str());
      std::abort();
    }
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string& name = service->method(i)->name();
      if (handlers_.count(name) == 0) {
        std::fprintf(stderr, "fuzz: no handler for %s\n",
                     service->method(i)->full_name().c_str());
        std::abort();
      }
      methods_.push_back(name);
    }
  }
  if (methods_.size() != handlers_.size() || methods_.size() > 256) {
    std::fprintf(stderr, "fuzz: %zu handlers for %zu methods\n",
                 handlers_.size(), methods_.size());
    std::abort();
  }
}

uint8_t MethodTable::Selector(absl::string_view method) const {
  auto it = std::find(methods_.begin(), methods_.end(), method);
  if (it == methods_.end()) {
    std::fprintf(stderr, "fuzz: no method %s\n", std::string(method).c_str());
    std::abort();
  }
  return static_cast<uint8_t>(it - methods_.begin());
}

int MethodTable::Run(const uint8_t* data, size_t size) const {
  if (size == 0) return -1;
  const std::string& method = methods_[data[0] % methods_.size()];
  return Call(method, absl::string_view(reinterpret_cast<const char*>(data + 1),
                                        size - 1))
             ? 0
             : -1;
}

bool MethodTable::Call(absl::string_view method,
                       absl::string_view request) const {
  return handlers_.at(std::string(method))(request);
}

Handler WatchChangesHandler(std::function<ChangeLog&()> log) {
  return [log](absl::string_view bytes) {
    common::v1::WatchChangesRequest request;
    if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return false;
    }
    absl::StatusOr<ChangeBounds> bounds = log().Bounds();
    if (!bounds.ok()) std::abort();  // a fresh SQLite log always answers
    absl::StatusOr<WatchStart> start =
        ValidateWatch(request, *bounds, absl::Seconds(5));
    Consume(start.status());
    if (!start.ok()) return true;
    absl::StatusOr<std::vector<ChangeEntry>> entries =
        log().ReadChanges(start->after, 16);
    Consume(entries.status());
    if (entries.ok()) {
      for (const ChangeEntry& entry : *entries) {
        (void)ToProto(entry).SerializeAsString();
      }
    }
    return true;
  };
}

std::string Encode(const MethodTable& table, absl::string_view method,
                   const google::protobuf::Message& request) {
  return std::string(1, static_cast<char>(table.Selector(method))) +
         request.SerializeAsString();
}

absl::string_view Parts::Next() {
  if (rest_.size() < 2) {
    rest_ = {};
    return {};
  }
  const size_t length =
      static_cast<uint8_t>(rest_[0]) |
      (static_cast<size_t>(static_cast<uint8_t>(rest_[1])) << 8);
  rest_.remove_prefix(2);
  const absl::string_view part = rest_.substr(0, length);
  rest_.remove_prefix(part.size());
  return part;
}

std::string JoinParts(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    const size_t length = std::min<size_t>(part.size(), 0xffff);
    out += static_cast<char>(length & 0xff);
    out += static_cast<char>(length >> 8);
    out.append(part, 0, length);
  }
  return out;
}

namespace {
absl::Status* last_status = new absl::Status;
}  // namespace

void CheckLastCallOk(absl::string_view what) {
  if (!last_status->ok()) {
    std::fprintf(stderr, "fuzz: the reference data does not load: %s: %s\n",
                 std::string(what).c_str(), last_status->ToString().c_str());
    std::abort();
  }
}

void Consume(const absl::Status& status) {
  *last_status = status;
  const grpc::Status edge = ToGrpcStatus(status);
  // What a client does with it: the details come back as they left.
  (void)FromGrpcStatus(edge);
}

namespace {
std::string* scratch_dir = nullptr;
void RemoveScratchDir() {
  std::error_code ignored;
  if (scratch_dir != nullptr)
    std::filesystem::remove_all(*scratch_dir, ignored);
}
}  // namespace

const std::string& ScratchDir() {
  if (scratch_dir == nullptr) {
    std::string base = "/dev/shm";
    if (access(base.c_str(), W_OK) != 0) {
      const char* tmp = std::getenv("TMPDIR");
      base = tmp != nullptr ? tmp : "/tmp";
    }
    std::string pattern = base + "/palermo-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("fuzz: mkdtemp");
      std::abort();
    }
    scratch_dir = new std::string(pattern);
    std::atexit(RemoveScratchDir);
  }
  return *scratch_dir;
}

void ClearScratchDir() {
  for (const auto& entry : std::filesystem::directory_iterator(ScratchDir())) {
    std::filesystem::remove_all(entry.path());
  }
}

absl::Time FuzzClock() {
  static int64_t ticks = 0;
  return absl::FromUnixSeconds(1767225600) + absl::Milliseconds(++ticks);
}

void QuietLogging() {
  spdlog::set_level(spdlog::level::off);
  google::protobuf::SetLogHandler(nullptr);
}

std::string RequestIdFor(absl::string_view prefix, absl::string_view name) {
  return absl::StrCat(prefix, "-", absl::StrReplaceAll(name, {{"/", "."}}));
}

std::vector<std::pair<std::string, std::string>> ReadReferenceFiles(
    const std::string& folder) {
  const std::filesystem::path dir =
      std::filesystem::path(PALERMO_SOURCE_DIR) / "data" / folder;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& path : paths) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    out.emplace_back(path.stem().string(), text.str());
  }
  if (out.empty()) {
    std::fprintf(stderr, "fuzz: no reference data in %s\n", dir.c_str());
    std::abort();
  }
  return out;
}

void ParseJsonOrDie(const std::string& json, google::protobuf::Message* out) {
  const auto status = google::protobuf::util::JsonStringToMessage(json, out);
  if (!status.ok()) {
    std::fprintf(stderr, "fuzz: reference data is not a %s: %s\n",
                 out->GetTypeName().c_str(), status.ToString().c_str());
    std::abort();
  }
}

void WriteSeedsIfAsked(const std::function<std::vector<std::string>()>& seeds) {
  const char* dir = std::getenv("PALERMO_FUZZ_WRITE_SEEDS");
  if (dir == nullptr) return;
  std::filesystem::create_directories(dir);
  const std::vector<std::string> all = seeds();
  for (size_t i = 0; i < all.size(); ++i) {
    char file[32];
    std::snprintf(file, sizeof file, "seed-%04zu", i);
    std::ofstream(std::filesystem::path(dir) / file, std::ios::binary)
        << all[i];
  }
  std::printf("fuzz: %zu seeds written to %s\n", all.size(), dir);
  std::exit(0);
}

std::pair<std::string, std::string> ParentAndId(const std::string& name,
                                                const std::string& segment) {
  const std::string marker = "/" + segment + "/";
  const size_t at = name.find(marker);
  if (at != std::string::npos) {
    return {name.substr(0, at), name.substr(at + marker.size())};
  }
  if (name.rfind(segment + "/", 0) == 0) {
    return {"", name.substr(segment.size() + 1)};
  }
  return {"", name};
}

const EntityRegistry& Entities() {
  static const EntityRegistry* registry =
      new EntityRegistry(*EntityRegistry::LoadDefault());
  return *registry;
}

}  // namespace palermo::fuzz
