// palermo-load: loads the reference dataset into a running suite through its
// public API (the gateway by default):
//   data/legislation/*.json   one palermo.legislation.v1.Legislation each;
//   data/enforcement/*.json   one
//   palermo.enforcement.v1.ImportObservationsRequest
//                             each, imported as one atomic batch;
//   data/assistance/*.json    one palermo.assistance.v1.ListMeasuresResponse
//                             each;
//   data/coordination/*.json  one palermo.coordination.v1.EntityCoordination
//                             each (its resource lists);
// and first data/reporting/: cycle.json (a CreateCycleRequest),
// responses.json ({"responses": [Response, ...]}, each under the cycle),
// blocks.fr.json and blocks.en.json ({"narrativeBlocks": [{
// "narrativeBlockId": ..., "narrativeBlock": {...}}, ...]}), in that order;
// a reporting folder or file that is absent is skipped, and said so.
// Every write carries a request_id derived from the file's content, so a
// second run writes nothing; a legislation record that exists with other
// content (an analyst's correction, say) is kept, and reported.
// With the --tls_* flags (services/common/tls.h) it calls over mutual TLS,
// presenting its certificate; --plaintext_target calls --target (the
// gateway's public port, plaintext in ./palermo up) without TLS. Its
// writes go through the gateway, so they need a bearer token: an
// administrator's (indicators and measure types are catalogue changes),
// read from --bearer_token_file; the gateway records its subject as the
// actor.
// It logs like the services (services/common/logging.h, service "load"):
// --log_format=text (the default) or json, one object a line, and
// --log_level, all on standard error: its progress, what it kept, what
// failed and why, and the summaries ("reference figures: 34 created, ...").
// Standard output stays empty: a run's report is its log.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/struct.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/assistance/client/assistance_client.h"
#include "services/common/client.h"
#include "services/common/logging.h"
#include "services/common/tls.h"
#include "services/coordination/client/coordination_client.h"
#include "services/enforcement/client/enforcement_client.h"
#include "services/legislation/client/legislation_client.h"
#include "services/reporting/client/reporting_client.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051",
          "Gateway (or domain service) to load through.");
ABSL_FLAG(std::string, reference_dir, "data",
          "Folder holding reporting/ (optional), legislation/, enforcement/, "
          "assistance/ and coordination/ with their *.json.");
ABSL_FLAG(std::vector<std::string>, wait_for, {},
          "Addresses to wait for until their health is SERVING (default: "
          "--target).");
ABSL_FLAG(absl::Duration, wait_timeout, absl::Seconds(60),
          "How long to wait for --wait_for.");
ABSL_FLAG(std::string, bearer_token_file, "",
          "File holding the bearer token every call carries (an "
          "administrator's, for the gateway); empty: none.");
ABSL_FLAG(bool, plaintext_target, false,
          "Call --target (and wait for it) without TLS even with the --tls_* "
          "flags, which then apply to the other --wait_for addresses: the "
          "gateway's public port is plaintext unless it is given a "
          "certificate.");

namespace {

namespace lv1 = palermo::legislation::v1;
namespace ev1 = palermo::enforcement::v1;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Streams the server's health until it says SERVING, connection retries
// included (wait_for_ready), within the deadline.
// A channel to `address`: plaintext for --target under --plaintext_target,
// else with the --tls_* flags' credentials.
std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address) {
  if (absl::GetFlag(FLAGS_plaintext_target) &&
      address == absl::GetFlag(FLAGS_target)) {
    return palermo::MakeChannel(address, grpc::InsecureChannelCredentials());
  }
  return palermo::MakeChannel(address);
}

bool WaitServing(const std::string& address, absl::Time deadline) {
  auto stub = grpc::health::v1::Health::NewStub(ChannelTo(address));
  grpc::ClientContext context;
  context.set_wait_for_ready(true);
  context.set_deadline(absl::ToChronoTime(deadline));
  auto stream = stub->Watch(&context, HealthCheckRequest());
  HealthCheckResponse response;
  while (stream->Read(&response)) {
    if (response.status() == HealthCheckResponse::SERVING) {
      context.TryCancel();
      stream->Finish().IgnoreError();
      return true;
    }
  }
  grpc::Status status = stream->Finish();
  spdlog::error("{} is not SERVING: {}", address, status.error_message());
  return false;
}

// The token of --bearer_token_file, read once; exits when it cannot be.
const std::string& BearerToken() {
  static const std::string* token = [] {
    auto* text = new std::string();
    const std::string file = absl::GetFlag(FLAGS_bearer_token_file);
    if (file.empty()) return text;
    std::ifstream in(file);
    std::stringstream content;
    content << in.rdbuf();
    if (!in) {
      spdlog::error("--bearer_token_file={}: cannot read it", file);
      std::exit(2);
    }
    *text = std::string(absl::StripAsciiWhitespace(content.str()));
    return text;
  }();
  return *token;
}

// Every call: 60 s, with the bearer token.
palermo::CallOptions Options() {
  palermo::CallOptions options;
  options.timeout = absl::Seconds(60);
  options.bearer_token = BearerToken();
  return options;
}

std::string RequestId(const std::string& content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(content.data(), content.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    spdlog::critical("SHA-256 failed");
    std::exit(1);
  }
  return absl::StrCat(
      "reference-",
      absl::BytesToHexString(
          absl::string_view(reinterpret_cast<char*>(digest), size))
          .substr(0, 32));
}

// The request id of a record: a hash of its deterministic serialisation, so
// that the same record gets the same id whatever the protobuf version.
std::string RequestIdOf(const google::protobuf::Message& record) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    record.SerializeToCodedStream(&coded);
  }
  return RequestId(bytes);
}

std::string Describe(const absl::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ",
                      status.message());
}

// A file of the dataset: its path, text and parsed message.
template <typename Message>
struct DataFile {
  std::filesystem::path path;
  std::string text;
  Message message;
};

// Reads and parses every *.json of a folder; false if any cannot be.
template <typename Message>
bool ReadFolder(const std::filesystem::path& dir,
                std::vector<DataFile<Message>>* files) {
  std::vector<std::filesystem::path> paths;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  if (error || paths.empty()) {
    spdlog::error("no *.json in {} {}", dir.string(), error.message());
    return false;
  }
  std::sort(paths.begin(), paths.end());
  bool ok = true;
  for (const auto& path : paths) {
    DataFile<Message>& file = files->emplace_back();
    file.path = path;
    std::ifstream in(path);
    std::stringstream text;
    if (!(in && text << in.rdbuf())) {
      spdlog::error("cannot read {}", path.string());
      ok = false;
      continue;
    }
    file.text = text.str();
    if (auto s = google::protobuf::util::JsonStringToMessage(file.text,
                                                             &file.message);
        !s.ok()) {
      spdlog::error("{}: {}", path.string(), s.ToString());
      ok = false;
    }
  }
  return ok;
}

int LoadLegislation(const std::shared_ptr<grpc::Channel>& channel,
                    const std::filesystem::path& dir) {
  std::vector<DataFile<lv1::Legislation>> files;
  if (!ReadFolder(dir, &files)) return 1;
  palermo::legislation::LegislationClient client(channel, Options());
  int created = 0, unchanged = 0, kept = 0, failed = 0;
  for (const auto& file : files) {
    const lv1::Legislation& legislation = file.message;
    absl::string_view parent;
    if (!palermo::legislation::EntityOfLegislationName(legislation.name(),
                                                       &parent)) {
      spdlog::error("{}: \"{}\" is not {{entity}}/legislation",
                    file.path.string(), legislation.name());
      ++failed;
      continue;
    }
    lv1::CreateLegislationRequest request;
    request.set_parent(std::string(parent));
    *request.mutable_legislation() = legislation;
    request.set_request_id(RequestId(file.text));
    // Whether the record was there before tells "created" from "already
    // loaded": a replayed create answers like the first one.
    const bool existed = client.GetLegislation(legislation.name()).ok();
    absl::Status status = client.CreateLegislation(request).status();
    if (status.ok()) {
      ++(existed ? unchanged : created);
      spdlog::info("{:<45} {}", legislation.name(),
                   existed ? "already loaded" : "created");
    } else if (absl::IsAlreadyExists(status)) {
      ++kept;
      spdlog::warn("{:<45} exists with other content: kept",
                   legislation.name());
    } else {
      ++failed;
      spdlog::error("{}: {}", file.path.string(), Describe(status));
    }
  }
  spdlog::info(
      "reference data: {} created, {} already loaded, {} kept, {} failed",
      created, unchanged, kept, failed);
  return failed == 0 ? 0 : 1;
}

int LoadEnforcement(const std::shared_ptr<grpc::Channel>& channel,
                    const std::filesystem::path& dir) {
  std::vector<DataFile<ev1::ImportObservationsRequest>> files;
  if (!ReadFolder(dir, &files)) return 1;
  palermo::enforcement::EnforcementClient client(channel, Options());
  int64_t created = 0, revised = 0, unchanged = 0;
  int failed = 0;
  for (auto& file : files) {
    file.message.set_request_id(RequestId(file.text));
    absl::StatusOr<ev1::ImportObservationsResponse> response =
        client.ImportObservations({file.message});
    if (!response.ok()) {
      ++failed;
      spdlog::error("{}: {}", file.path.string(), Describe(response.status()));
      continue;
    }
    created += response->created();
    revised += response->revised();
    unchanged += response->unchanged();
    spdlog::info("{:<45} {} observations", file.path.filename().string(),
                 response->received());
  }
  spdlog::info(
      "reference figures: {} created, {} revised, {} unchanged, {} files "
      "failed",
      created, revised, unchanged, failed);
  return failed == 0 ? 0 : 1;
}

// Creates each record of a list through `create(parent, id, record,
// request_id)`, the parent and id taken from the record's name
// around `/{segment}/` (or after `{segment}/` for top-level resources).
struct Tally {
  int written = 0, kept = 0, failed = 0;
};
template <typename Record, typename Create>
void CreateEach(const std::filesystem::path& path,
                const google::protobuf::RepeatedPtrField<Record>& records,
                const std::string& segment, Create create, Tally& tally) {
  for (const Record& record : records) {
    std::string parent, id;
    const std::string marker = "/" + segment + "/";
    const size_t at = record.name().find(marker);
    if (at != std::string::npos) {
      parent = record.name().substr(0, at);
      id = record.name().substr(at + marker.size());
    } else if (record.name().rfind(segment + "/", 0) == 0) {
      id = record.name().substr(segment.size() + 1);
    } else {
      spdlog::error("{}: bad name {}", path.string(), record.name());
      ++tally.failed;
      continue;
    }
    // A file holds its entity's records only (`HUN.json`: countries/HUN).
    const std::string stem = path.stem().string();
    if (!parent.empty() && parent != "countries/" + stem &&
        parent != "organizations/" + stem) {
      spdlog::error("{}: {} belongs to another file", path.string(),
                    record.name());
      ++tally.failed;
      continue;
    }
    Record body = record;
    body.clear_name();
    // Derived from the record itself: loading twice writes nothing, and
    // editing one record leaves the others' ids alone.
    absl::Status status = create(parent, id, body, RequestIdOf(record));
    if (status.ok()) {
      ++tally.written;
    } else if (absl::IsAlreadyExists(status)) {
      ++tally.kept;  // an analyst's version stands
      spdlog::warn("{:<60} exists with other content: kept", record.name());
    } else {
      ++tally.failed;
      spdlog::error("{}: {}: {}", path.string(), record.name(),
                    Describe(status));
    }
  }
}

int LoadAssistance(const std::shared_ptr<grpc::Channel>& channel,
                   const std::filesystem::path& dir) {
  namespace av1 = palermo::assistance::v1;
  std::vector<DataFile<av1::ListMeasuresResponse>> files;
  if (!ReadFolder(dir, &files)) return 1;
  palermo::assistance::AssistanceClient client(channel, Options());
  Tally tally;
  for (const auto& file : files) {
    CreateEach(
        file.path, file.message.measures(),
        palermo::assistance::kMeasuresCollection,
        [&client](const std::string& parent, const std::string& id,
                  const av1::Measure& record, const std::string& request_id) {
          av1::CreateMeasureRequest request;
          request.set_parent(parent);
          request.set_measure_id(id);
          *request.mutable_measure() = record;
          request.set_request_id(request_id);
          return client.CreateMeasure(request).status();
        },
        tally);
  }
  spdlog::info(
      "reference measures: {} loaded or already there, {} kept, {} failed",
      tally.written, tally.kept, tally.failed);
  return tally.failed == 0 ? 0 : 1;
}

int LoadCoordination(const std::shared_ptr<grpc::Channel>& channel,
                     const std::filesystem::path& dir) {
  namespace cv1 = palermo::coordination::v1;
  std::vector<DataFile<cv1::EntityCoordination>> files;
  if (!ReadFolder(dir, &files)) return 1;
  namespace coordination = palermo::coordination;
  coordination::CoordinationClient client(channel, Options());
  Tally tally;
#define PALERMO_CREATE_EACH(list, segment, T, field)                \
  CreateEach(                                                       \
      file.path, file.message.list(), coordination::segment,        \
      [&client](const std::string& parent, const std::string& id,   \
                const cv1::T& record, const std::string& request_id) { \
        cv1::Create##T##Request request;                            \
        request.set_parent(parent);                                 \
        request.set_##field##_id(id);                               \
        *request.mutable_##field() = record;                        \
        request.set_request_id(request_id);                         \
        return client.Create##T(request).status();                  \
      },                                                            \
      tally)
  for (const auto& file : files) {
    PALERMO_CREATE_EACH(coordination_bodies, kCoordinationBodies,
                        CoordinationBody, coordination_body);
    PALERMO_CREATE_EACH(action_plans, kActionPlans, ActionPlan, action_plan);
    PALERMO_CREATE_EACH(referral_mechanisms, kReferralMechanisms,
                        ReferralMechanism, referral_mechanism);
    PALERMO_CREATE_EACH(training_activities, kTrainingActivities,
                        TrainingActivity, training_activity);
    PALERMO_CREATE_EACH(awareness_campaigns, kAwarenessCampaigns,
                        AwarenessCampaign, awareness_campaign);
    PALERMO_CREATE_EACH(cooperation_activities, kCooperationActivities,
                        CooperationActivity, cooperation_activity);
    CreateEach(
        file.path, file.message.inter_agency_groups(),
        coordination::kInterAgencyGroups,
        [&client](const std::string&, const std::string& id,
                  const cv1::InterAgencyGroup& record,
                  const std::string& request_id) {
          cv1::CreateInterAgencyGroupRequest request;
          request.set_inter_agency_group_id(id);
          *request.mutable_inter_agency_group() = record;
          request.set_request_id(request_id);
          return client.CreateInterAgencyGroup(request).status();
        },
        tally);
  }
#undef PALERMO_CREATE_EACH
  spdlog::info(
      "reference coordination records: {} loaded or already there, {} kept, "
      "{} failed",
      tally.written, tally.kept, tally.failed);
  return tally.failed == 0 ? 0 : 1;
}

// Counts a write of `what` (from `path`) in `tally`.
void Count(const std::filesystem::path& path, const std::string& what,
           const absl::Status& status, Tally& tally) {
  if (status.ok()) {
    ++tally.written;
  } else if (absl::IsAlreadyExists(status)) {
    ++tally.kept;  // an analyst's version stands
    spdlog::warn("{:<60} exists with other content: kept", what);
  } else {
    ++tally.failed;
    spdlog::error("{}: {}: {}", path.string(), what, Describe(status));
  }
}

// Reads a JSON file of the reporting folder into `message`: false if it
// cannot be (said), and `*absent` if it is not there (said: skipped).
bool ReadJsonFile(const std::filesystem::path& path,
                  google::protobuf::Message* message, bool* absent) {
  *absent = !std::filesystem::exists(path);
  if (*absent) {
    spdlog::info("no {}: skipped", path.string());
    return false;
  }
  std::ifstream in(path);
  std::stringstream text;
  if (!(in && text << in.rdbuf())) {
    spdlog::error("cannot read {}", path.string());
    return false;
  }
  if (auto s = google::protobuf::util::JsonStringToMessage(text.str(), message);
      !s.ok()) {
    spdlog::error("{}: {}", path.string(), s.ToString());
    return false;
  }
  return true;
}

// The CreateNarrativeBlockRequests of a blocks file: {"narrativeBlocks":
// [{"narrativeBlockId": ..., "narrativeBlock": {...}}, ...]}.
bool ReadBlocks(const std::filesystem::path& path,
                std::vector<palermo::reporting::v1::CreateNarrativeBlockRequest>*
                    blocks,
                bool* absent) {
  google::protobuf::Struct file;
  if (!ReadJsonFile(path, &file, absent)) return false;
  auto list = file.fields().find("narrativeBlocks");
  if (file.fields_size() != 1 || list == file.fields().end() ||
      !list->second.has_list_value()) {
    spdlog::error("{}: expected {{\"narrativeBlocks\": [...]}}", path.string());
    return false;
  }
  for (const auto& item : list->second.list_value().values()) {
    std::string json;
    auto& block = blocks->emplace_back();
    if (auto s = google::protobuf::util::MessageToJsonString(item, &json);
        !s.ok() ||
        !(s = google::protobuf::util::JsonStringToMessage(json, &block))
             .ok()) {
      spdlog::error("{}: block {}: {}", path.string(), blocks->size(),
                    s.ToString());
      return false;
    }
  }
  return true;
}

// data/reporting/: the cycle, its responses, then its narrative blocks in
// French and English. Without cycle.json there is no cycle to put the rest
// under: the folder is skipped.
int LoadReporting(const std::shared_ptr<grpc::Channel>& channel,
                  const std::filesystem::path& dir) {
  namespace reporting = palermo::reporting;
  namespace rv1 = palermo::reporting::v1;
  if (!std::filesystem::is_directory(dir)) {
    spdlog::info("no {}: reporting skipped", dir.string());
    return 0;
  }
  reporting::ReportingClient client(channel, Options());
  Tally tally;
  bool absent = false;
  rv1::CreateCycleRequest cycle;
  if (!ReadJsonFile(dir / "cycle.json", &cycle, &absent)) {
    if (!absent) return 1;
    spdlog::info("no cycle: responses and blocks skipped");
    return 0;
  }
  const std::string cycle_name = reporting::CycleName(cycle.cycle_id());
  cycle.clear_request_id();
  cycle.set_request_id(RequestIdOf(cycle));
  Count(dir / "cycle.json", cycle_name, client.CreateCycle(cycle).status(),
        tally);

  rv1::ListResponsesResponse responses;
  if (ReadJsonFile(dir / "responses.json", &responses, &absent)) {
    for (const rv1::Response& response : responses.responses()) {
      rv1::CreateResponseRequest request;
      request.set_parent(cycle_name);
      *request.mutable_response() = response;
      request.set_request_id(RequestIdOf(request));
      Count(dir / "responses.json", cycle_name + " " + response.entity(),
            client.CreateResponse(request).status(), tally);
    }
  } else if (!absent) {
    ++tally.failed;
  }

  for (const char* language : {"fr", "en"}) {
    const std::filesystem::path path =
        dir / absl::StrCat("blocks.", language, ".json");
    std::vector<rv1::CreateNarrativeBlockRequest> blocks;
    if (!ReadBlocks(path, &blocks, &absent)) {
      if (!absent) ++tally.failed;
      continue;
    }
    for (rv1::CreateNarrativeBlockRequest& request : blocks) {
      request.set_parent(cycle_name);
      request.clear_request_id();
      request.set_request_id(RequestIdOf(request));
      Count(path,
            reporting::NarrativeBlockName(cycle_name,
                                          request.narrative_block_id()),
            client.CreateNarrativeBlock(request).status(), tally);
    }
  }
  spdlog::info(
      "reference reporting records: {} loaded or already there, {} kept, {} "
      "failed",
      tally.written, tally.kept, tally.failed);
  return tally.failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // Before any other message: a bad --log_format cannot be written in it.
  if (absl::Status s = palermo::SetUpLogging("load"); !s.ok()) {
    std::fprintf(stderr, "palermo-load: %s\n",
                 std::string(s.message()).c_str());
    return 2;
  }
  if (absl::Status s = palermo::ValidateTlsConfig(palermo::TlsConfigFromFlags());
      !s.ok()) {
    spdlog::error("{}", std::string(s.message()));
    return 2;
  }
  const std::string target = absl::GetFlag(FLAGS_target);
  std::vector<std::string> wait_for = absl::GetFlag(FLAGS_wait_for);
  if (wait_for.empty()) wait_for.push_back(target);
  const absl::Time deadline = absl::Now() + absl::GetFlag(FLAGS_wait_timeout);
  for (const std::string& address : wait_for) {
    if (!WaitServing(address, deadline)) return 1;
  }
  const std::filesystem::path root = absl::GetFlag(FLAGS_reference_dir);
  auto channel = ChannelTo(target);
  const int reporting = LoadReporting(channel, root / "reporting");
  const int legislation = LoadLegislation(channel, root / "legislation");
  const int enforcement = LoadEnforcement(channel, root / "enforcement");
  const int assistance = LoadAssistance(channel, root / "assistance");
  const int coordination = LoadCoordination(channel, root / "coordination");
  return reporting == 0 && legislation == 0 && enforcement == 0 && assistance == 0 &&
                 coordination == 0
             ? 0
             : 1;
}
