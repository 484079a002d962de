// palermo-load: loads the reference dataset (data/legislation/*.json, one
// palermo.legislation.v1.Legislation in protobuf JSON per reporting entity)
// into a running suite through the public API.
//
// Each record is created with a request_id derived from its content, so a
// second run changes nothing; a record that exists with other content (an
// analyst's correction, say) is kept, and reported.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/client.h"
#include "services/legislation/names.h"

ABSL_FLAG(std::string, target, "localhost:50051",
          "Gateway (or legislation service) to load through.");
ABSL_FLAG(std::string, reference_dir, "data",
          "Folder holding legislation/*.json.");
ABSL_FLAG(std::vector<std::string>, wait_for, {},
          "Addresses to wait for until their health is SERVING (default: "
          "--target).");
ABSL_FLAG(absl::Duration, wait_timeout, absl::Seconds(60),
          "How long to wait for --wait_for.");

namespace {

namespace lv1 = palermo::legislation::v1;
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
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  context->AddMetadata(palermo::kActorMetadataKey, "palermo-load");
  return context;
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    std::fprintf(stderr, "palermo-load: SHA-256 failed\n");
    std::exit(1);
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<char*>(digest), size));
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

  const std::filesystem::path dir =
      std::filesystem::path(absl::GetFlag(FLAGS_reference_dir)) / "legislation";
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (error) {
    std::fprintf(stderr, "palermo-load: %s: %s\n", dir.c_str(),
                 error.message().c_str());
    return 1;
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "palermo-load: no *.json in %s\n", dir.c_str());
    return 1;
  }

  auto stub = lv1::LegislationService::NewStub(palermo::MakeChannel(target));
  int created = 0, unchanged = 0, kept = 0, failed = 0;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream text;
    if (!(in && text << in.rdbuf())) {
      std::fprintf(stderr, "palermo-load: cannot read %s\n", path.c_str());
      ++failed;
      continue;
    }
    lv1::Legislation legislation;
    if (auto s = google::protobuf::util::JsonStringToMessage(text.str(),
                                                             &legislation);
        !s.ok()) {
      std::fprintf(stderr, "palermo-load: %s: %s\n", path.c_str(),
                   s.ToString().c_str());
      ++failed;
      continue;
    }
    lv1::CreateLegislationRequest request;
    absl::string_view parent;
    if (!palermo::legislation::EntityOfLegislationName(legislation.name(),
                                                       &parent)) {
      std::fprintf(stderr,
                   "palermo-load: %s: \"%s\" is not {entity}/legislation\n",
                   path.c_str(), legislation.name().c_str());
      ++failed;
      continue;
    }
    request.set_parent(std::string(parent));
    *request.mutable_legislation() = legislation;
    request.set_request_id(
        absl::StrCat("reference-", Sha256Hex(text.str()).substr(0, 32)));

    // Whether the record was there before tells "created" from "already
    // loaded": a replayed create answers like the first one.
    lv1::GetLegislationRequest get;
    get.set_name(legislation.name());
    lv1::Legislation existing;
    grpc::Status status =
        stub->GetLegislation(CallContext().get(), get, &existing);
    const bool existed = status.ok();
    lv1::Legislation response;
    status = stub->CreateLegislation(CallContext().get(), request, &response);
    if (status.ok()) {
      ++(existed ? unchanged : created);
      std::printf("%-35s %s\n", legislation.name().c_str(),
                  existed ? "already loaded" : "created");
    } else if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      ++kept;
      std::printf("%-35s exists with other content: kept\n",
                  legislation.name().c_str());
    } else {
      ++failed;
      std::fprintf(stderr, "palermo-load: %s: %s: %s\n", path.c_str(),
                   absl::StatusCodeToString(
                       static_cast<absl::StatusCode>(status.error_code()))
                       .c_str(),
                   status.error_message().c_str());
    }
  }
  std::printf(
      "reference data: %d created, %d already loaded, %d kept, %d failed\n",
      created, unchanged, kept, failed);
  return failed == 0 ? 0 : 1;
}
