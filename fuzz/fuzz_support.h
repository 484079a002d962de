// Shared by Palermo's libFuzzer targets: the input layout of a service
// fuzzer (a method selector byte, then that method's request as protobuf
// bytes), the table of a service's methods keyed by their RPC names, a
// scratch directory for SQLite stores made once per process, and a
// deterministic clock.
#ifndef PALERMO_FUZZ_FUZZ_SUPPORT_H_
#define PALERMO_FUZZ_FUZZ_SUPPORT_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/change_log.h"
#include "services/common/entities.h"

namespace palermo::fuzz {

// Runs one request, given as the bytes gRPC would have received; false if
// they do not parse as the method's request (gRPC would refuse them).
using Handler = std::function<bool(absl::string_view request)>;

// Every method of `services` (full names, e.g.
// LegislationService::service_full_name()), in their order: a fuzz input's
// first byte selects one (modulo their number), so seeds can name methods by
// RPC.
class MethodTable {
 public:
  // Aborts unless `handlers` has exactly one entry per RPC of `services`:
  // a new RPC must be fuzzed too.
  MethodTable(const std::vector<std::string>& services,
              std::map<std::string, Handler> handlers);

  // The selector byte of the RPC named `method`; aborts if there is none.
  uint8_t Selector(absl::string_view method) const;
  // Runs a fuzz input: selector byte, then request bytes. Returns -1 (do not
  // keep in the corpus) when the input is empty or does not parse.
  int Run(const uint8_t* data, size_t size) const;
  // Runs a request of the RPC named `method`; false if it does not parse.
  bool Call(absl::string_view method, absl::string_view request) const;

 private:
  std::vector<std::string> methods_;  // RPC names, in selector order
  std::map<std::string, Handler> handlers_;
};

// The handler of WatchChanges, the same on every service: the request
// checked against the bounds of the log `log()` returns (ValidateWatch, as
// the gRPC edge checks it), then the first changes it would stream.
Handler WatchChangesHandler(std::function<ChangeLog&()> log);

// A fuzz input for the RPC `method` of `table`.
std::string Encode(const MethodTable& table, absl::string_view method,
                   const google::protobuf::Message& request);

// The end of a domain call, as the gRPC edge ends it: the status into a
// grpc::Status with details, the response serialised.
void Consume(const absl::Status& status);
// Aborts, naming `what`, unless the last call Consume()d succeeded: the
// reference dataset must load into a fresh store.
void CheckLastCallOk(absl::string_view what);
template <typename Response>
void Consume(const absl::StatusOr<Response>& result) {
  Consume(result.status());
  if (result.ok()) (void)result->SerializeAsString();
}

// A directory for this process's stores, made on first use (under
// /dev/shm when there is one, so that SQLite's fsyncs cost nothing) and
// removed at exit.
const std::string& ScratchDir();
// Removes everything in ScratchDir().
void ClearScratchDir();

// A service fuzzer's store is made again (from the reference data) every
// kResetEvery inputs, so that it stays small and the fuzzer fast.
inline constexpr int kResetEvery = 500;

// A service under fuzzing: its store and domain class, made by the target's
// reset function.
template <typename Store, typename Domain>
struct FuzzedService {
  std::unique_ptr<Store> store;
  std::unique_ptr<Domain> domain;
  int calls = 0;

  static FuzzedService& Get() {
    static FuzzedService* service = new FuzzedService;
    return *service;
  }
  // Drops the store and its files, then opens a new one with `open_store`
  // (given a path under ScratchDir()) and builds the domain on it with
  // `make_domain`; aborts if the store cannot be opened.
  template <typename OpenStore, typename MakeDomain>
  void Renew(const std::string& file, OpenStore open_store,
             MakeDomain make_domain) {
    domain.reset();
    store.reset();
    ClearScratchDir();
    auto opened = open_store(ScratchDir() + "/" + file);
    if (!opened.ok()) std::abort();
    store = *std::move(opened);
    domain = make_domain(*store);
  }
  // Runs one fuzz input through `table`, calling `reset` first on the
  // first input and every kResetEvery inputs after it.
  int Run(const MethodTable& table, void (*reset)(), const uint8_t* data,
          size_t size) {
    if (calls++ % kResetEvery == 0) reset();
    return table.Run(data, size);
  }
};

// The reporting entities of Debian's iso-codes, loaded once.
const EntityRegistry& Entities();

// Defines LLVMFuzzerInitialize: logging silenced, and the seeds made by
// `seeds` written when PALERMO_FUZZ_WRITE_SEEDS asks for them.
#define PALERMO_FUZZ_INITIALIZE(seeds)                 \
  extern "C" int LLVMFuzzerInitialize(int*, char***) { \
    palermo::fuzz::QuietLogging();                     \
    palermo::fuzz::WriteSeedsIfAsked(seeds);           \
    return 0;                                          \
  }

// Inputs made of several parts: each a 2-byte little-endian length, then
// that many bytes (fewer if the input ends first); missing parts are empty.
class Parts {
 public:
  Parts(const uint8_t* data, size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}
  absl::string_view Next();
  // Everything not read yet, without a length.
  absl::string_view Rest() const { return rest_; }

 private:
  absl::string_view rest_;
};
std::string JoinParts(const std::vector<std::string>& parts);

// A handler parsing `Request` and running `call` on it.
template <typename Request, typename Call>
Handler Unary(Call call) {
  return [call](absl::string_view bytes) {
    Request request;
    if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      return false;
    Consume(call(request));
    return true;
  };
}

// A clock that advances one millisecond a reading from 2026-01-01: runs are
// reproducible, and time still moves forward as the stores expect.
absl::Time FuzzClock();

// Silences the services' and protobuf's logging (errors on bad input are
// the normal case).
void QuietLogging();

// A request id naming `name`: '/' is not allowed in ids.
std::string RequestIdFor(absl::string_view prefix, absl::string_view name);

// The reference dataset: every *.json of data/<folder>, in file-name order,
// as (file stem, parsed message). Aborts if one does not parse.
template <typename Message>
std::vector<std::pair<std::string, Message>> ReadReference(
    const std::string& folder);
std::vector<std::pair<std::string, std::string>> ReadReferenceFiles(
    const std::string& folder);
void ParseJsonOrDie(const std::string& json, google::protobuf::Message* out);

template <typename Message>
std::vector<std::pair<std::string, Message>> ReadReference(
    const std::string& folder) {
  std::vector<std::pair<std::string, Message>> out;
  for (auto& [stem, text] : ReadReferenceFiles(folder)) {
    Message message;
    ParseJsonOrDie(text, &message);
    out.emplace_back(stem, std::move(message));
  }
  return out;
}

// Seeds: when the environment names a folder in PALERMO_FUZZ_WRITE_SEEDS,
// writes `seeds` there (one file each) and exits; ./palermo fuzz runs each
// target so before fuzzing it, so seeds follow the dataset and the schemas.
void WriteSeedsIfAsked(const std::function<std::vector<std::string>()>& seeds);

// Splits "<name>/<segment>/<id>" (or "<segment>/<id>") into parent and id.
std::pair<std::string, std::string> ParentAndId(const std::string& name,
                                                const std::string& segment);

}  // namespace palermo::fuzz

#endif  // PALERMO_FUZZ_FUZZ_SUPPORT_H_
