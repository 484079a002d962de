// The size limits on real processes: the hostile probe that stored records of
// megabytes is refused with the field named and writes nothing; records near
// the size limit are listed in several pages, each within kMaxPageBytes; an
// entity's coordination stays within kMaxResponseBytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/rpc/status.pb.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/bounds.h"
#include "services/common/limits.h"
#include "services/common/test_support.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace av1 = assistance::v1;
namespace cv1 = coordination::v1;
namespace lv1 = legislation::v1;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::ServiceProcess;
using ::testing::ElementsAre;

common::v1::Provenance Source() {
  common::v1::Provenance s;
  s.set_document_symbol("E/CN.15/2008/6");
  s.set_paragraph(5);
  return s;
}

// Records this close to kMaxRecordBytes (in bytes as sent; the service adds
// its names, etags and times).
constexpr size_t kNearLimit = kMaxRecordBytes - 4000;

// A gRPC status's violations, fields and descriptions.
std::vector<std::string> Violations(const grpc::Status& status) {
  google::rpc::Status rpc;
  rpc.ParseFromString(status.error_details());
  std::vector<std::string> out;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (!any.UnpackTo(&bad)) continue;
    for (const auto& v : bad.field_violations()) {
      out.push_back(absl::StrCat(v.field(), ": ", v.description()));
    }
  }
  return out;
}

// Pages through a List method; checks each page's records stay within
// kMaxPageBytes and returns every record's name and the number of pages.
template <typename Request, typename Response, typename Records>
std::pair<std::vector<std::string>, int> AllPages(
    Request request,
    const std::function<grpc::Status(const Request&, Response*)>& list,
    const std::function<const Records&(const Response&)>& records) {
  std::vector<std::string> names;
  int pages = 0;
  do {
    Response response;
    grpc::Status status = list(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    size_t bytes = 0;
    for (const auto& r : records(response)) {
      bytes += ElementBytes(r);
      names.push_back(r.name());
    }
    EXPECT_LE(bytes, kMaxPageBytes);
    EXPECT_LT(response.ByteSizeLong(), kMaxPageBytes + 1000);
    ++pages;
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return {names, pages};
}

class LimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite =
        palermo::test::Suite::Start(palermo::test::MakeSuiteDir("limits"));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
  }
  static void TearDownTestSuite() { delete suite_; }
  static palermo::test::Suite* suite_;
};
palermo::test::Suite* LimitsTest::suite_ = nullptr;

TEST_F(LimitsTest, TheProbeIsRefusedAndListLegislationsKeepsWorking) {
  auto stub = lv1::LegislationService::NewStub(suite_->legislation->Channel());
  auto via_gateway =
      lv1::LegislationService::NewStub(suite_->gateway->Channel());
  for (const char* parent :
       {"countries/AUT", "countries/BEL", "countries/DNK"}) {
    lv1::CreateLegislationRequest request;
    request.set_parent(parent);
    auto* protocol = request.mutable_legislation()->mutable_protocol();
    protocol->set_status(lv1::TREATY_STATUS_RATIFIED);
    for (int i = 0; i < 100000; ++i) *protocol->add_sources() = Source();
    lv1::Legislation out;
    grpc::Status status =
        stub->CreateLegislation(Context().get(), request, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(Violations(status),
                ElementsAre("legislation.protocol.sources: 100000 elements, "
                            "at most 1000"));

    // 100,000 strings in a repeated string field.
    request.mutable_legislation()->clear_protocol();
    auto* offences =
        request.mutable_legislation()->mutable_associated_offences();
    for (int i = 0; i < 100000; ++i) offences->add_offences("fraud");
    *offences->add_sources() = Source();
    status = via_gateway->CreateLegislation(Context().get(), request, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(Violations(status),
                ElementsAre("legislation.associated_offences.offences: 100000 "
                            "elements, at most 1000"));
  }
  for (auto* s : {stub.get(), via_gateway.get()}) {
    lv1::ListLegislationsResponse list;
    grpc::Status status = s->ListLegislations(Context().get(), {}, &list);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const auto& l : list.legislations()) {
      EXPECT_THAT(l.name(),
                  ::testing::Not(::testing::AnyOf(
                      "countries/AUT/legislation", "countries/BEL/legislation",
                      "countries/DNK/legislation")));
    }
  }
}

TEST_F(LimitsTest, NearLimitLegislationsArePagedWithinThePageBytes) {
  auto stub = lv1::LegislationService::NewStub(suite_->gateway->Channel());
  const std::vector<std::string> parents = {
      "countries/FIN", "countries/ISL", "countries/IRL",
      "countries/ITA", "countries/LTU", "countries/LUX",
      "countries/MLT", "countries/NOR", "countries/PRT"};
  for (const std::string& parent : parents) {
    lv1::CreateLegislationRequest request;
    request.set_parent(parent);
    auto* l = request.mutable_legislation();
    l->mutable_protocol()->set_status(lv1::TREATY_STATUS_RATIFIED);
    PadWithSources(
        l->mutable_protocol()->mutable_sources(),
        [l] { return l->ByteSizeLong(); }, kNearLimit);
    lv1::Legislation out;
    grpc::Status status =
        stub->CreateLegislation(Context().get(), request, &out);
    ASSERT_TRUE(status.ok()) << parent << ": " << status.error_message();
    EXPECT_LE(out.ByteSizeLong(), kMaxRecordBytes);
  }
  // One more byte than the limit is refused, naming the record.
  lv1::CreateLegislationRequest over;
  over.set_parent("countries/SWE");
  auto* l = over.mutable_legislation();
  l->mutable_protocol()->set_status(lv1::TREATY_STATUS_RATIFIED);
  PadWithSources(
      l->mutable_protocol()->mutable_sources(),
      [l] { return l->ByteSizeLong(); }, kMaxRecordBytes + 1);
  lv1::Legislation out;
  grpc::Status refused = stub->CreateLegislation(Context().get(), over, &out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(palermo::test::ViolatedFields(refused),
              ElementsAre("legislation"));

  lv1::ListLegislationsRequest request;
  request.set_filter("protocol.status = TREATY_STATUS_RATIFIED");
  auto [names, pages] =
      AllPages<lv1::ListLegislationsRequest, lv1::ListLegislationsResponse,
               decltype(lv1::ListLegislationsResponse().legislations())>(
          request,
          [&stub](const lv1::ListLegislationsRequest& r,
                  lv1::ListLegislationsResponse* response) {
            return stub->ListLegislations(Context().get(), r, response);
          },
          [](const lv1::ListLegislationsResponse& r) -> const auto& {
            return r.legislations();
          });
  for (const std::string& parent : parents) {
    EXPECT_THAT(names, ::testing::Contains(parent + "/legislation"));
  }
  EXPECT_THAT(names,
              ::testing::Not(::testing::Contains("countries/SWE/legislation")));
  EXPECT_GE(pages, 3);  // four near-limit records fill a page
}

TEST_F(LimitsTest, NearLimitMeasuresArePagedWithinThePageBytes) {
  auto stub = av1::AssistanceService::NewStub(suite_->gateway->Channel());
  constexpr int kMeasures = 9;
  for (int i = 0; i < kMeasures; ++i) {
    av1::CreateMeasureRequest request;
    request.set_parent("countries/ESP");
    request.set_measure_id(absl::StrCat("shelter-", i));
    auto* m = request.mutable_measure();
    m->set_measure_type("SHELTER");
    PadWithSources(
        m->mutable_sources(), [m] { return m->ByteSizeLong(); }, kNearLimit);
    av1::Measure out;
    grpc::Status status = stub->CreateMeasure(Context().get(), request, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  av1::ListMeasuresRequest request;
  request.set_parent("countries/ESP");
  auto [names, pages] =
      AllPages<av1::ListMeasuresRequest, av1::ListMeasuresResponse,
               decltype(av1::ListMeasuresResponse().measures())>(
          request,
          [&stub](const av1::ListMeasuresRequest& r,
                  av1::ListMeasuresResponse* response) {
            return stub->ListMeasures(Context().get(), r, response);
          },
          [](const av1::ListMeasuresResponse& r) -> const auto& {
            return r.measures();
          });
  EXPECT_EQ(names.size(), static_cast<size_t>(kMeasures));
  EXPECT_EQ(pages, 3);

  // Compared, they are more than an answer holds: it stops and says so.
  av1::CompareEntitiesRequest compare;
  compare.add_entities("countries/ESP");
  av1::CompareEntitiesResponse compared;
  ASSERT_TRUE(stub->CompareEntities(Context().get(), compare, &compared).ok());
  EXPECT_TRUE(compared.truncated());
  EXPECT_LE(compared.ByteSizeLong(), kMaxResponseBytes);
  ASSERT_EQ(compared.rows_size(), 1);
  EXPECT_GT(compared.rows(0).cells(0).measures_size(), 0);
}

cv1::CreateCoordinationBodyRequest NearLimitBody(const std::string& parent,
                                                 int i) {
  cv1::CreateCoordinationBodyRequest request;
  request.set_parent(parent);
  request.set_coordination_body_id(absl::StrCat("body-", i));
  auto* b = request.mutable_coordination_body();
  b->set_display_name(absl::StrCat("Body ", i));
  b->set_kind(cv1::BODY_KIND_NATIONAL_RAPPORTEUR);
  PadWithSources(
      b->mutable_sources(), [b] { return b->ByteSizeLong(); }, kNearLimit);
  return request;
}

TEST_F(LimitsTest, AnEntitysCoordinationStaysWithinTheResponseBytes) {
  auto stub = cv1::CoordinationService::NewStub(suite_->gateway->Channel());
  auto get = [&stub](cv1::EntityCoordination* out) {
    cv1::GetEntityCoordinationRequest request;
    request.set_entity("countries/FRA");
    return stub->GetEntityCoordination(Context().get(), request, out);
  };
  // Six near-limit records: the probe's, and an answer of 1.5 MiB.
  for (int i = 0; i < 6; ++i) {
    cv1::CoordinationBody out;
    grpc::Status status = stub->CreateCoordinationBody(
        Context().get(), NearLimitBody("countries/FRA", i), &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  cv1::EntityCoordination six;
  grpc::Status status = get(&six);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(six.coordination_bodies_size(), 6);
  EXPECT_FALSE(six.truncated());
  EXPECT_LE(six.ByteSizeLong(), kMaxResponseBytes);
  // The profile these feed answers too (the probe made it fail).
  auto profiles =
      gateway::v1::GatewayService::NewStub(suite_->gateway->Channel());
  gateway::v1::GetCountryProfileRequest profile_request;
  profile_request.set_name("countries/FRA");
  gateway::v1::CountryProfile profile;
  status =
      profiles->GetCountryProfile(Context().get(), profile_request, &profile);
  EXPECT_TRUE(status.ok()) << status.error_message();

  // Four more make more than an answer holds: it stops and says so.
  for (int i = 6; i < 10; ++i) {
    cv1::CoordinationBody out;
    ASSERT_TRUE(stub->CreateCoordinationBody(Context().get(),
                                             NearLimitBody("countries/FRA", i),
                                             &out)
                    .ok());
  }
  cv1::EntityCoordination ten;
  status = get(&ten);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(ten.truncated());
  EXPECT_LE(ten.ByteSizeLong(), kMaxResponseBytes);
  EXPECT_GE(ten.coordination_bodies_size(), 7);
  EXPECT_LT(ten.coordination_bodies_size(), 10);

  // The paged List returns all ten, within the page bytes.
  cv1::ListCoordinationBodiesRequest request;
  request.set_parent("countries/FRA");
  auto [names, pages] = AllPages<
      cv1::ListCoordinationBodiesRequest, cv1::ListCoordinationBodiesResponse,
      decltype(cv1::ListCoordinationBodiesResponse().coordination_bodies())>(
      request,
      [&stub](const cv1::ListCoordinationBodiesRequest& r,
              cv1::ListCoordinationBodiesResponse* response) {
        return stub->ListCoordinationBodies(Context().get(), r, response);
      },
      [](const cv1::ListCoordinationBodiesResponse& r) -> const auto& {
        return r.coordination_bodies();
      });
  EXPECT_EQ(names.size(), 10u);
  EXPECT_EQ(pages, 3);
}

TEST_F(LimitsTest, ATooLargeCoordinationUpdateIsRefusedAfterTheMerge) {
  auto stub =
      cv1::CoordinationService::NewStub(suite_->coordination->Channel());
  cv1::CoordinationBody created;
  ASSERT_TRUE(stub->CreateCoordinationBody(Context().get(),
                                           NearLimitBody("countries/DEU", 0),
                                           &created)
                  .ok());
  // Small in itself, too large once merged with the stored sources.
  cv1::UpdateCoordinationBodyRequest update;
  update.mutable_coordination_body()->set_name(created.name());
  update.mutable_coordination_body()->set_notes(std::string(9000, 'n'));
  update.mutable_update_mask()->add_paths("notes");
  cv1::CoordinationBody out;
  grpc::Status status =
      stub->UpdateCoordinationBody(Context().get(), update, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(palermo::test::ViolatedFields(status),
              ElementsAre("coordination_body"));
  cv1::GetCoordinationBodyRequest get;
  get.set_name(created.name());
  cv1::CoordinationBody now;
  ASSERT_TRUE(stub->GetCoordinationBody(Context().get(), get, &now).ok());
  EXPECT_EQ(now.etag(), created.etag());
  EXPECT_TRUE(now.notes().empty());
}

}  // namespace
}  // namespace palermo
