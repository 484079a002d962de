// libFuzzer target: the gateway's own logic for GetCountryProfile. An input
// is Parts (fuzz_support.h): the GetCountryProfileRequest, then per section
// (legislation, enforcement, assistance, coordination) what its backend
// answered: a status part (code byte, then the grpc-status-details-bin
// bytes) and a response part (Legislation, ListObservationsResponse,
// ListMeasuresResponse, EntityCoordination). The entity is resolved, each
// backend status goes through FromGrpcStatus as the gateway reads it, and
// the profile is composed and checked to hold every figure it was given.
#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_support.h"
#include "google/rpc/status.pb.h"
#include "services/common/entities.h"
#include "services/common/limits.h"
#include "services/common/status.h"
#include "services/gateway/profile.h"

namespace palermo::fuzz {
namespace {

namespace lv1 = legislation::v1;
namespace ev1 = enforcement::v1;
namespace av1 = assistance::v1;
namespace cv1 = coordination::v1;

template <typename Message>
bool Parse(absl::string_view bytes, Message* message) {
  return message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

// A backend's answer: OK with `response`, or its status as the gateway
// receives it (code, message, serialised google.rpc.Status details).
template <typename Response, typename Value>
absl::StatusOr<Value> Answer(absl::string_view status,
                             absl::string_view response,
                             Value (*value)(Response&)) {
  const int code = status.empty() ? 0 : static_cast<uint8_t>(status[0]) % 17;
  if (code != 0) {
    status.remove_prefix(1);
    return FromGrpcStatus(grpc::Status(static_cast<grpc::StatusCode>(code),
                                       "backend failed", std::string(status)));
  }
  Response parsed;
  if (!Parse(response, &parsed)) {
    return absl::UnavailableError("response does not parse");
  }
  return value(parsed);
}

lv1::Legislation Self(lv1::Legislation& l) { return std::move(l); }
std::vector<ev1::Observation> Items(ev1::ListObservationsResponse& page) {
  return {page.observations().begin(), page.observations().end()};
}
std::vector<av1::Measure> Items(av1::ListMeasuresResponse& page) {
  return {page.measures().begin(), page.measures().end()};
}
cv1::EntityCoordination Self(cv1::EntityCoordination& c) {
  return std::move(c);
}

std::string Ok() { return std::string(1, '\0'); }

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  std::map<std::string, std::string> observations, measures, coordination;
  for (auto& [stem, file] :
       ReadReference<ev1::ListObservationsResponse>("enforcement")) {
    observations[stem] = file.SerializeAsString();
  }
  for (auto& [stem, file] :
       ReadReference<av1::ListMeasuresResponse>("assistance")) {
    measures[stem] = file.SerializeAsString();
  }
  for (auto& [stem, file] :
       ReadReference<cv1::EntityCoordination>("coordination")) {
    coordination[stem] = file.SerializeAsString();
  }
  google::rpc::Status not_found;
  not_found.set_code(5);
  not_found.set_message("no record");
  const std::string not_found_status =
      std::string(1, '\5') + not_found.SerializeAsString();
  for (auto& [stem, legislation] :
       ReadReference<lv1::Legislation>("legislation")) {
    const std::string entity = legislation.name().substr(
        0, legislation.name().size() - std::string("/legislation").size());
    gateway::v1::GetCountryProfileRequest request;
    request.set_name(entity);
    seeds.push_back(
        JoinParts({request.SerializeAsString(), Ok(),
                   legislation.SerializeAsString(), Ok(), observations[stem],
                   Ok(), measures[stem], Ok(), coordination[stem]}));
  }
  // A missing legislation record, and a failing backend with details.
  gateway::v1::GetCountryProfileRequest request;
  request.set_name("countries/DEU");
  google::rpc::Status failed;
  failed.set_code(3);
  failed.set_message("bad");
  google::rpc::BadRequest bad;
  bad.add_field_violations()->set_field("entity");
  failed.add_details()->PackFrom(bad);
  seeds.push_back(JoinParts({request.SerializeAsString(), not_found_status, "",
                             Ok(), "", Ok(), "", Ok(), ""}));
  seeds.push_back(
      JoinParts({request.SerializeAsString(), Ok(), "",
                 std::string(1, '\3') + failed.SerializeAsString(), ""}));
  return seeds;
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace palermo::fuzz;
  Parts parts(data, size);
  palermo::gateway::v1::GetCountryProfileRequest request;
  if (!Parse(parts.Next(), &request)) return -1;
  auto entity = Entities().Resolve(request.name(), "name");
  Consume(entity.status());
  if (!entity.ok()) return 0;

  palermo::gateway::ProfileParts answers;
  absl::string_view status = parts.Next();
  answers.legislation = Answer<lv1::Legislation>(status, parts.Next(), Self);
  status = parts.Next();
  answers.observations =
      Answer<ev1::ListObservationsResponse>(status, parts.Next(), Items);
  status = parts.Next();
  answers.measures =
      Answer<av1::ListMeasuresResponse>(status, parts.Next(), Items);
  status = parts.Next();
  answers.coordination =
      Answer<cv1::EntityCoordination>(status, parts.Next(), Self);

  // A small bound too, so that cutting sections is fuzzed as well.
  const size_t bound = size % 2 == 0 ? palermo::kMaxResponseBytes : 4096;
  const palermo::gateway::v1::CountryProfile profile =
      palermo::gateway::ComposeProfile(*entity, answers, bound);
  if (profile.ByteSizeLong() > bound) {
    std::fprintf(stderr, "profile of %zu bytes passes its bound of %zu\n",
                 profile.ByteSizeLong(), bound);
    std::abort();
  }
  auto named = [&](palermo::gateway::v1::ProfileSection section) {
    for (const auto& o : profile.omitted_sections()) {
      if (o.section() == section) return true;
    }
    return false;
  };
  // A failing section is never served as an empty one.
  if ((!answers.observations.ok() &&
       !named(palermo::gateway::v1::PROFILE_SECTION_ENFORCEMENT)) ||
      (!answers.measures.ok() &&
       !named(palermo::gateway::v1::PROFILE_SECTION_ASSISTANCE)) ||
      (!answers.coordination.ok() &&
       !named(palermo::gateway::v1::PROFILE_SECTION_COORDINATION))) {
    std::fprintf(stderr, "a failing section is not named\n");
    std::abort();
  }
  if (answers.observations.ok() &&
      !named(palermo::gateway::v1::PROFILE_SECTION_ENFORCEMENT)) {
    // Uncut, every figure is in exactly one series.
    size_t figures = 0;
    for (const auto& s : profile.enforcement().series()) {
      figures += s.observations_size();
    }
    if (figures != answers.observations->size()) {
      std::fprintf(stderr, "profile holds %zu of %zu figures\n", figures,
                   answers.observations->size());
      std::abort();
    }
  }
  return 0;
}
