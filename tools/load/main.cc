// palermo-load: loads the reference dataset into a running suite through its
// public API (the gateway by default):
//   data/legislation/*.json   one palermo.legislation.v1.Legislation each;
//   data/enforcement/*.json   one
//   palermo.enforcement.v1.ImportObservationsRequest
//                             each, imported as one atomic batch;
//   data/assistance/*.json    one palermo.assistance.v1.ListMeasuresResponse
//                             each;
//   data/coordination/*.json  one palermo.coordination.v1.EntityCoordination
//                             each (its resource lists).
// Every write carries a request_id derived from the file's content, so a
// second run writes nothing; a legislation record that exists with other
// content (an analyst's correction, say) is kept, and reported.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <openssl/evp.h>

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
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/client.h"
#include "services/legislation/names.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051",
          "Gateway (or domain service) to load through.");
ABSL_FLAG(std::string, reference_dir, "data",
          "Folder holding legislation/, enforcement/, assistance/ and "
          "coordination/ with their *.json.");
ABSL_FLAG(std::vector<std::string>, wait_for, {},
          "Addresses to wait for until their health is SERVING (default: "
          "--target).");
ABSL_FLAG(absl::Duration, wait_timeout, absl::Seconds(60),
          "How long to wait for --wait_for.");

namespace {

namespace lv1 = palermo::legislation::v1;
namespace ev1 = palermo::enforcement::v1;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Streams the server's health until it says SERVING, connection retries
// included (wait_for_ready), within the deadline.
bool WaitServing(const std::string& address, absl::Time deadline) {
  auto stub = grpc::health::v1::Health::NewStub(palermo::MakeChannel(address));
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
  std::fprintf(stderr, "palermo-load: %s is not SERVING: %s\n", address.c_str(),
               status.error_message().c_str());
  return false;
}

std::unique_ptr<grpc::ClientContext> CallContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  context->AddMetadata(palermo::kActorMetadataKey, "palermo-load");
  return context;
}

std::string RequestId(const std::string& content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(content.data(), content.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    std::fprintf(stderr, "palermo-load: SHA-256 failed\n");
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

std::string Describe(const grpc::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(
                          static_cast<absl::StatusCode>(status.error_code())),
                      ": ", status.error_message());
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
    std::fprintf(stderr, "palermo-load: no *.json in %s %s\n", dir.c_str(),
                 error.message().c_str());
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
      std::fprintf(stderr, "palermo-load: cannot read %s\n", path.c_str());
      ok = false;
      continue;
    }
    file.text = text.str();
    if (auto s = google::protobuf::util::JsonStringToMessage(file.text,
                                                             &file.message);
        !s.ok()) {
      std::fprintf(stderr, "palermo-load: %s: %s\n", path.c_str(),
                   s.ToString().c_str());
      ok = false;
    }
  }
  return ok;
}

int LoadLegislation(const std::shared_ptr<grpc::Channel>& channel,
                    const std::filesystem::path& dir) {
  std::vector<DataFile<lv1::Legislation>> files;
  if (!ReadFolder(dir, &files)) return 1;
  auto stub = lv1::LegislationService::NewStub(channel);
  int created = 0, unchanged = 0, kept = 0, failed = 0;
  for (const auto& file : files) {
    const lv1::Legislation& legislation = file.message;
    absl::string_view parent;
    if (!palermo::legislation::EntityOfLegislationName(legislation.name(),
                                                       &parent)) {
      std::fprintf(stderr,
                   "palermo-load: %s: \"%s\" is not {entity}/legislation\n",
                   file.path.c_str(), legislation.name().c_str());
      ++failed;
      continue;
    }
    lv1::CreateLegislationRequest request;
    request.set_parent(std::string(parent));
    *request.mutable_legislation() = legislation;
    request.set_request_id(RequestId(file.text));
    // Whether the record was there before tells "created" from "already
    // loaded": a replayed create answers like the first one.
    lv1::GetLegislationRequest get;
    get.set_name(legislation.name());
    lv1::Legislation existing;
    const bool existed =
        stub->GetLegislation(CallContext().get(), get, &existing).ok();
    lv1::Legislation response;
    grpc::Status status =
        stub->CreateLegislation(CallContext().get(), request, &response);
    if (status.ok()) {
      ++(existed ? unchanged : created);
      std::printf("%-45s %s\n", legislation.name().c_str(),
                  existed ? "already loaded" : "created");
    } else if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      ++kept;
      std::printf("%-45s exists with other content: kept\n",
                  legislation.name().c_str());
    } else {
      ++failed;
      std::fprintf(stderr, "palermo-load: %s: %s\n", file.path.c_str(),
                   Describe(status).c_str());
    }
  }
  std::printf(
      "reference data: %d created, %d already loaded, %d kept, %d failed\n",
      created, unchanged, kept, failed);
  return failed == 0 ? 0 : 1;
}

int LoadEnforcement(const std::shared_ptr<grpc::Channel>& channel,
                    const std::filesystem::path& dir) {
  std::vector<DataFile<ev1::ImportObservationsRequest>> files;
  if (!ReadFolder(dir, &files)) return 1;
  auto stub = ev1::EnforcementService::NewStub(channel);
  int64_t created = 0, revised = 0, unchanged = 0;
  int failed = 0;
  for (auto& file : files) {
    file.message.set_request_id(RequestId(file.text));
    ev1::ImportObservationsResponse response;
    auto context = CallContext();
    auto writer = stub->ImportObservations(context.get(), &response);
    writer->Write(file.message);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    if (!status.ok()) {
      ++failed;
      std::fprintf(stderr, "palermo-load: %s: %s\n", file.path.c_str(),
                   Describe(status).c_str());
      continue;
    }
    created += response.created();
    revised += response.revised();
    unchanged += response.unchanged();
    std::printf("%-45s %lld observations\n", file.path.filename().c_str(),
                static_cast<long long>(response.received()));
  }
  std::printf(
      "reference figures: %lld created, %lld revised, %lld unchanged, %d "
      "files failed\n",
      static_cast<long long>(created), static_cast<long long>(revised),
      static_cast<long long>(unchanged), failed);
  return failed == 0 ? 0 : 1;
}

// Creates each record of a list through `create(parent, id, record,
// request_id, response)`, the parent and id taken from the record's name
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
      std::fprintf(stderr, "palermo-load: %s: bad name %s\n", path.c_str(),
                   record.name().c_str());
      ++tally.failed;
      continue;
    }
    // A file holds its entity's records only (`HUN.json`: countries/HUN).
    const std::string stem = path.stem().string();
    if (!parent.empty() && parent != "countries/" + stem &&
        parent != "organizations/" + stem) {
      std::fprintf(stderr, "palermo-load: %s: %s belongs to another file\n",
                   path.c_str(), record.name().c_str());
      ++tally.failed;
      continue;
    }
    Record body = record;
    body.clear_name();
    Record response;
    // Derived from the record itself: loading twice writes nothing, and
    // editing one record leaves the others' ids alone.
    grpc::Status status =
        create(parent, id, body, RequestIdOf(record), &response);
    if (status.ok()) {
      ++tally.written;
    } else if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      ++tally.kept;  // an analyst's version stands
      std::printf("%-60s exists with other content: kept\n",
                  record.name().c_str());
    } else {
      ++tally.failed;
      std::fprintf(stderr, "palermo-load: %s: %s: %s\n", path.c_str(),
                   record.name().c_str(), Describe(status).c_str());
    }
  }
}

int LoadAssistance(const std::shared_ptr<grpc::Channel>& channel,
                   const std::filesystem::path& dir) {
  namespace av1 = palermo::assistance::v1;
  std::vector<DataFile<av1::ListMeasuresResponse>> files;
  if (!ReadFolder(dir, &files)) return 1;
  auto stub = av1::AssistanceService::NewStub(channel);
  Tally tally;
  for (const auto& file : files) {
    CreateEach(
        file.path, file.message.measures(), "measures",
        [&stub](const std::string& parent, const std::string& id,
                const av1::Measure& record, const std::string& request_id,
                av1::Measure* response) {
          av1::CreateMeasureRequest request;
          request.set_parent(parent);
          request.set_measure_id(id);
          *request.mutable_measure() = record;
          request.set_request_id(request_id);
          return stub->CreateMeasure(CallContext().get(), request, response);
        },
        tally);
  }
  std::printf(
      "reference measures: %d loaded or already there, %d kept, %d failed\n",
      tally.written, tally.kept, tally.failed);
  return tally.failed == 0 ? 0 : 1;
}

int LoadCoordination(const std::shared_ptr<grpc::Channel>& channel,
                     const std::filesystem::path& dir) {
  namespace cv1 = palermo::coordination::v1;
  std::vector<DataFile<cv1::EntityCoordination>> files;
  if (!ReadFolder(dir, &files)) return 1;
  auto stub = cv1::CoordinationService::NewStub(channel);
  Tally tally;
#define PALERMO_CREATE_EACH(list, segment, T, field)                    \
  CreateEach(                                                           \
      file.path, file.message.list(), segment,                          \
      [&stub](const std::string& parent, const std::string& id,         \
              const cv1::T& record, const std::string& request_id,      \
              cv1::T* response) {                                       \
        cv1::Create##T##Request request;                                \
        request.set_parent(parent);                                     \
        request.set_##field##_id(id);                                   \
        *request.mutable_##field() = record;                            \
        request.set_request_id(request_id);                             \
        return stub->Create##T(CallContext().get(), request, response); \
      },                                                                \
      tally)
  for (const auto& file : files) {
    PALERMO_CREATE_EACH(coordination_bodies, "coordinationBodies",
                        CoordinationBody, coordination_body);
    PALERMO_CREATE_EACH(action_plans, "actionPlans", ActionPlan, action_plan);
    PALERMO_CREATE_EACH(referral_mechanisms, "referralMechanisms",
                        ReferralMechanism, referral_mechanism);
    PALERMO_CREATE_EACH(training_activities, "trainingActivities",
                        TrainingActivity, training_activity);
    PALERMO_CREATE_EACH(awareness_campaigns, "awarenessCampaigns",
                        AwarenessCampaign, awareness_campaign);
    PALERMO_CREATE_EACH(cooperation_activities, "cooperationActivities",
                        CooperationActivity, cooperation_activity);
    CreateEach(
        file.path, file.message.inter_agency_groups(), "interAgencyGroups",
        [&stub](const std::string&, const std::string& id,
                const cv1::InterAgencyGroup& record,
                const std::string& request_id,
                cv1::InterAgencyGroup* response) {
          cv1::CreateInterAgencyGroupRequest request;
          request.set_inter_agency_group_id(id);
          *request.mutable_inter_agency_group() = record;
          request.set_request_id(request_id);
          return stub->CreateInterAgencyGroup(CallContext().get(), request,
                                              response);
        },
        tally);
  }
#undef PALERMO_CREATE_EACH
  std::printf(
      "reference coordination records: %d loaded or already there, %d kept, "
      "%d failed\n",
      tally.written, tally.kept, tally.failed);
  return tally.failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string target = absl::GetFlag(FLAGS_target);
  std::vector<std::string> wait_for = absl::GetFlag(FLAGS_wait_for);
  if (wait_for.empty()) wait_for.push_back(target);
  const absl::Time deadline = absl::Now() + absl::GetFlag(FLAGS_wait_timeout);
  for (const std::string& address : wait_for) {
    if (!WaitServing(address, deadline)) return 1;
  }
  const std::filesystem::path root = absl::GetFlag(FLAGS_reference_dir);
  auto channel = palermo::MakeChannel(target);
  const int legislation = LoadLegislation(channel, root / "legislation");
  const int enforcement = LoadEnforcement(channel, root / "enforcement");
  const int assistance = LoadAssistance(channel, root / "assistance");
  const int coordination = LoadCoordination(channel, root / "coordination");
  return legislation == 0 && enforcement == 0 && assistance == 0 &&
                 coordination == 0
             ? 0
             : 1;
}
