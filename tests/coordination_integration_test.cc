// The coordination service as real processes: the report's lists (paras 44,
// 66, 68) and facts through the gateway's queries and profiles, cooperation
// in both directions, validation, persistence after a crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace cv1 = coordination::v1;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::RunCommand;
using palermo::test::ServiceProcess;
using palermo::test::Suite;
using palermo::test::ViolatedFields;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Codes = std::vector<std::string>;

std::vector<int> Paragraphs(
    const google::protobuf::RepeatedPtrField<common::v1::Provenance>& sources) {
  std::set<int> out;
  for (const auto& s : sources) out.insert(s.paragraph());
  return {out.begin(), out.end()};
}

class CoordinationReferenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite = Suite::Start(palermo::test::MakeSuiteDir("coordination"));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
    auto load = Load();
    ASSERT_TRUE(load.ok());
    ASSERT_EQ(load->exit_code, 0) << load->errors;
  }
  static void TearDownTestSuite() { delete suite_; }

  static absl::StatusOr<palermo::test::CommandResult> Load() {
    return RunCommand(PALERMO_LOAD,
                      {"--target=" + suite_->gateway->address(),
                       "--reference_dir=" PALERMO_SOURCE_DIR "/data",
                            palermo::test::LoaderTokenFlag()});
  }
  static std::unique_ptr<cv1::CoordinationService::Stub> Stub() {
    return cv1::CoordinationService::NewStub(suite_->gateway->Channel());
  }

  // Alpha-3 codes (or organization ids) of the entities FindEntities
  // returns, through the gateway.
  static Codes Find(cv1::ResourceKind kind, const std::string& filter,
                    int year = 0) {
    cv1::FindEntitiesRequest request;
    request.set_kind(kind);
    request.set_filter(filter);
    request.set_in_force_year(year);
    cv1::FindEntitiesResponse response;
    grpc::Status status =
        Stub()->FindEntities(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << filter << ": " << status.error_message();
    Codes codes;
    for (const auto& m : response.entities()) {
      codes.push_back(m.entity().substr(m.entity().find('/') + 1));
    }
    return codes;
  }

  static cv1::ListCooperationPartnersResponse Partners(
      const std::string& entity, const std::string& filter = "") {
    cv1::ListCooperationPartnersRequest request;
    request.set_entity(entity);
    request.set_filter(filter);
    cv1::ListCooperationPartnersResponse response;
    grpc::Status status =
        Stub()->ListCooperationPartners(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  static gateway::v1::CountryProfile Profile(const std::string& name) {
    auto stub =
        gateway::v1::GatewayService::NewStub(suite_->gateway->Channel());
    gateway::v1::GetCountryProfileRequest request;
    request.set_name(name);
    gateway::v1::CountryProfile profile;
    grpc::Status status =
        stub->GetCountryProfile(Context().get(), request, &profile);
    EXPECT_TRUE(status.ok()) << name << ": " << status.error_message();
    return profile;
  }

  static Suite* suite_;
};
Suite* CoordinationReferenceTest::suite_ = nullptr;

TEST_F(CoordinationReferenceTest, Para66SpecialNationalMechanisms) {
  // "Bulgarie, Croatie, El Salvador, Estonie, Liechtenstein et République
  // tchèque", sorted by code.
  EXPECT_THAT(Find(cv1::RESOURCE_KIND_COORDINATION_BODY,
                   "special_national_mechanism = true"),
              ElementsAre("BGR", "CZE", "EST", "HRV", "LIE", "SLV"));
}

TEST_F(CoordinationReferenceTest, Para44AwarenessForActorsAndAgainstDemand) {
  // "El Salvador, Estonie, Japon, Niger, Philippines et Qatar".
  EXPECT_THAT(Find(cv1::RESOURCE_KIND_AWARENESS_CAMPAIGN,
                   "audiences:ANTI_TRAFFICKING_ACTORS"),
              ElementsAre("EST", "JPN", "NER", "PHL", "QAT", "SLV"));
  // "Estonie et Pays-Bas".
  EXPECT_THAT(
      Find(cv1::RESOURCE_KIND_AWARENESS_CAMPAIGN, "demand_reduction = true"),
      ElementsAre("EST", "NLD"));
}

TEST_F(CoordinationReferenceTest, Paras45And46HotlinesAndSchoolCurricula) {
  // "au Bélarus, en Estonie, en Roumanie et en Ukraine".
  EXPECT_THAT(Find(cv1::RESOURCE_KIND_AWARENESS_CAMPAIGN, "channels:HOTLINE"),
              ElementsAre("BLR", "EST", "ROU", "UKR"));
  // "La Croatie et l'Estonie ... dans les programmes scolaires".
  EXPECT_THAT(
      Find(cv1::RESOURCE_KIND_AWARENESS_CAMPAIGN, "channels:SCHOOL_CURRICULA"),
      ElementsAre("EST", "HRV"));
}

TEST_F(CoordinationReferenceTest, Para68NationalActionPlans) {
  // "Le Japon et la Lettonie ont signalé avoir adopté des plans d'action
  // nationaux".
  EXPECT_THAT(Find(cv1::RESOURCE_KIND_ACTION_PLAN,
                   "kind = NATIONAL_ACTION_PLAN AND scope = ALL_FORMS AND "
                   "status = ADOPTED"),
              ElementsAre("JPN", "LVA"));
  // "Maurice et le Niger ... protéger les enfants".
  EXPECT_THAT(Find(cv1::RESOURCE_KIND_ACTION_PLAN,
                   "kind = NATIONAL_ACTION_PLAN AND scope = CHILDREN"),
              ElementsAre("MUS", "NER"));
  // Of the four, only Japan's and Latvia's are said to be adopted.
  EXPECT_THAT(Find(cv1::RESOURCE_KIND_ACTION_PLAN,
                   "kind = NATIONAL_ACTION_PLAN AND status = ADOPTED"),
              ElementsAre("JPN", "LVA"));
}

TEST_F(CoordinationReferenceTest, OnlyTheCzechRepublicHasANationalRapporteur) {
  EXPECT_THAT(
      Find(cv1::RESOURCE_KIND_COORDINATION_BODY, "kind = NATIONAL_RAPPORTEUR"),
      ElementsAre("CZE"));
  const auto profile = Profile("countries/CZE");
  bool found = false;
  for (const auto& b : profile.coordination().coordination_bodies()) {
    if (b.kind() != cv1::BODY_KIND_NATIONAL_RAPPORTEUR) continue;
    found = true;
    EXPECT_THAT(Paragraphs(b.sources()), ElementsAre(66, 72));
  }
  EXPECT_TRUE(found);
}

TEST_F(CoordinationReferenceTest, HungarysJointInvestigationsBothWays) {
  const Codes eight = {"countries/AUT", "countries/CHE", "countries/DEU",
                       "countries/DNK", "countries/FRA", "countries/GBR",
                       "countries/ITA", "countries/NOR"};
  const auto hungary = Partners("countries/HUN", "kind = JOINT_INVESTIGATION");
  Codes partners;
  for (const auto& p : hungary.partners()) {
    EXPECT_EQ(p.direction(), cv1::DIRECTION_REPORTED_BY_ENTITY);
    partners.push_back(p.partner());
  }
  EXPECT_EQ(partners, eight);
  for (const std::string& state : eight) {
    const auto reverse = Partners(state, "kind = JOINT_INVESTIGATION");
    ASSERT_EQ(reverse.partners_size(), 1) << state;
    EXPECT_EQ(reverse.partners(0).partner(), "countries/HUN");
    EXPECT_EQ(reverse.partners(0).direction(),
              cv1::DIRECTION_REPORTED_BY_PARTNER);
  }
  // In Hungary's profile, with its paragraph; in Germany's, the other way.
  const auto profile = Profile("countries/HUN");
  bool found = false;
  for (const auto& a : profile.coordination().cooperation_activities()) {
    if (a.kind() != cv1::COOPERATION_KIND_JOINT_INVESTIGATION) continue;
    found = true;
    EXPECT_EQ(Codes(a.partners().begin(), a.partners().end()).size(), 8u);
    EXPECT_THAT(Paragraphs(a.sources()), ElementsAre(17));
  }
  EXPECT_TRUE(found);
  Codes reporters;
  const auto germany = Profile("countries/DEU");
  for (const auto& p : germany.coordination().cooperation_partners()) {
    reporters.push_back(p.partner());
  }
  EXPECT_THAT(reporters, Contains("countries/HUN"));
}

TEST_F(CoordinationReferenceTest, LatviasTrainedSpecialistsIn2006) {
  const auto profile = Profile("countries/LVA");
  bool found = false;
  for (const auto& t : profile.coordination().training_activities()) {
    if (!t.has_number_trained() || t.number_trained() != 769) continue;
    found = true;
    EXPECT_EQ(t.number_trained_qualifier(), cv1::COUNT_QUALIFIER_EXACT);
    EXPECT_EQ(t.period().start().year(), 2006);
    EXPECT_EQ(t.period().end().year(), 2006);
    EXPECT_THAT(Paragraphs(t.sources()), ElementsAre(37));
  }
  EXPECT_TRUE(found);
  cv1::SummarizeTrainingRequest request;
  request.set_parent("countries/LVA");
  request.set_year(2006);
  cv1::SummarizeTrainingResponse summary;
  ASSERT_TRUE(
      Stub()->SummarizeTraining(Context().get(), request, &summary).ok());
  EXPECT_EQ(summary.number_trained(), 769);
  EXPECT_FALSE(summary.lower_bound());
}

TEST_F(CoordinationReferenceTest, MyanmarsPeopleReached) {
  const auto profile = Profile("countries/MMR");
  bool found = false;
  for (const auto& c : profile.coordination().awareness_campaigns()) {
    if (!c.has_people_reached()) continue;
    found = true;
    EXPECT_EQ(c.people_reached(), 980700);
    EXPECT_EQ(c.period().start().year(), 2001);
    EXPECT_EQ(c.period().start().month(), 9);
    EXPECT_THAT(Paragraphs(c.sources()), ElementsAre(55));
  }
  EXPECT_TRUE(found);
}

TEST_F(CoordinationReferenceTest, IcatAndItsMembers) {
  cv1::GetInterAgencyGroupRequest request;
  request.set_name("interAgencyGroups/icat");
  cv1::InterAgencyGroup icat;
  ASSERT_TRUE(
      Stub()->GetInterAgencyGroup(Context().get(), request, &icat).ok());
  EXPECT_EQ(icat.acronym(), "ICAT");
  EXPECT_EQ(icat.members_size(), 14);  // para 86's list
  EXPECT_THAT(icat.members(), Contains("organizations/UNODC"));
  EXPECT_EQ(icat.meeting_count(), 3);
  // Only the two meetings of 2007 are dated; the third is the report's count.
  ASSERT_EQ(icat.meetings_size(), 2);
  EXPECT_EQ(icat.meetings(0).date().year(), 2007);
  // A member's profile lists the group.
  Codes groups;
  const auto unodc = Profile("organizations/UNODC");
  for (const auto& g : unodc.coordination().inter_agency_groups()) {
    groups.push_back(g.name());
  }
  EXPECT_THAT(groups, ElementsAre("interAgencyGroups/icat"));
  // Japan hosted the meeting that led to the group (paras 85-86).
  bool hosted = false;
  const auto japan = Profile("countries/JPN");
  for (const auto& a : japan.coordination().cooperation_activities()) {
    if (a.kind() != cv1::COOPERATION_KIND_MEETING) continue;
    hosted = true;
    EXPECT_EQ(a.role(), cv1::COOPERATION_ROLE_ORGANIZER);
    EXPECT_THAT(Paragraphs(a.sources()), ElementsAre(85, 86));
  }
  EXPECT_TRUE(hosted);
}

TEST_F(CoordinationReferenceTest, APageTokenBelongsToItsParent) {
  cv1::ListCoordinationBodiesRequest request;
  request.set_parent("-");
  request.set_page_size(1);
  cv1::ListCoordinationBodiesResponse first;
  ASSERT_TRUE(
      Stub()->ListCoordinationBodies(Context().get(), request, &first).ok());
  ASSERT_EQ(first.coordination_bodies_size(), 1);
  ASSERT_FALSE(first.next_page_token().empty());
  const std::string& name = first.coordination_bodies(0).name();
  request.set_parent(name.substr(0, name.find("/coordinationBodies/")));
  request.set_page_token(first.next_page_token());
  cv1::ListCoordinationBodiesResponse other;
  grpc::Status status =
      Stub()->ListCoordinationBodies(Context().get(), request, &other);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_token"));
  request.set_parent("-");
  cv1::ListCoordinationBodiesResponse second;
  ASSERT_TRUE(
      Stub()->ListCoordinationBodies(Context().get(), request, &second).ok());
  ASSERT_EQ(second.coordination_bodies_size(), 1);
  EXPECT_NE(second.coordination_bodies(0).name(), name);
}

TEST_F(CoordinationReferenceTest, LoadingAgainChangesNothing) {
  cv1::GetCooperationActivityRequest get;
  get.set_name("countries/HUN/cooperationActivities/joint-investigations");
  cv1::CooperationActivity before, after;
  ASSERT_TRUE(
      Stub()->GetCooperationActivity(Context().get(), get, &before).ok());
  auto load = Load();
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(load->exit_code, 0) << load->errors;
  // Every record's retry was answered from its key: none found "with other
  // content" (which the loader would keep, and count).
  EXPECT_THAT(load->errors,
              ::testing::HasSubstr("reference coordination records: 109 "
                                   "loaded or already there, 0 kept, 0 failed"))
      << load->errors;
  ASSERT_TRUE(
      Stub()->GetCooperationActivity(Context().get(), get, &after).ok());
  EXPECT_EQ(after.etag(), before.etag());
  EXPECT_EQ(after.update_time().seconds(), before.update_time().seconds());
}

TEST(CoordinationServiceTest, BadInputIsRefusedThroughTheGatewayUnchanged) {
  auto suite = Suite::Start(MakeTempDir());
  ASSERT_TRUE(suite.ok()) << suite.status();
  auto stub = cv1::CoordinationService::NewStub((*suite)->gateway->Channel());
  cv1::CreateCooperationActivityRequest request;
  request.set_parent("countries/HUN");
  request.set_cooperation_activity_id("joint-investigations");
  auto* a = request.mutable_cooperation_activity();
  a->set_display_name("Joint investigations");
  a->set_kind(cv1::COOPERATION_KIND_JOINT_INVESTIGATION);
  a->add_partners("countries/DEU");
  a->add_partners("countries/ATLANTIS");
  a->mutable_period()->mutable_start()->set_year(2007);  // no precision
  cv1::CooperationActivity out;
  grpc::Status status =
      stub->CreateCooperationActivity(Context().get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status),
              ::testing::IsSupersetOf({"cooperation_activity.partners[1]",
                                       "cooperation_activity.sources"}));
  EXPECT_THAT(ViolatedFields(status),
              Contains(::testing::StartsWith("cooperation_activity.period")));
  cv1::ListCooperationActivitiesRequest list;
  list.set_parent("-");
  cv1::ListCooperationActivitiesResponse listed;
  ASSERT_TRUE(
      stub->ListCooperationActivities(Context().get(), list, &listed).ok());
  EXPECT_THAT(listed.cooperation_activities(), IsEmpty());
  // Unknown entity in a query: INVALID_ARGUMENT naming the field.
  cv1::ListCooperationPartnersRequest partners;
  partners.set_entity("countries/XYZ");
  cv1::ListCooperationPartnersResponse partners_out;
  status =
      stub->ListCooperationPartners(Context().get(), partners, &partners_out);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("entity"));
  cv1::GetCoordinationBodyRequest get;
  get.set_name("countries/HUN/coordinationBodies/none");
  cv1::CoordinationBody body;
  EXPECT_EQ(stub->GetCoordinationBody(Context().get(), get, &body).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A profile of an entity with nothing recorded has an empty section.
  auto profiles =
      gateway::v1::GatewayService::NewStub((*suite)->gateway->Channel());
  gateway::v1::GetCountryProfileRequest profile_request;
  profile_request.set_name("countries/HUN");
  gateway::v1::CountryProfile profile;
  ASSERT_TRUE(
      profiles->GetCountryProfile(Context().get(), profile_request, &profile)
          .ok());
  EXPECT_EQ(profile.coordination().entity(), "countries/HUN");
  EXPECT_THAT(profile.coordination().cooperation_activities(), IsEmpty());
  stub.reset();
  profiles.reset();
}

TEST(CoordinationServiceTest, AcknowledgedWritesSurviveACrash) {
  const std::string dir = MakeTempDir();
  auto server =
      ServiceProcess::Start(PALERMO_COORDINATION_SERVER, {"--data_dir=" + dir});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = cv1::CoordinationService::NewStub((*server)->Channel());
  cv1::CreateCoordinationBodyRequest request;
  request.set_parent("countries/CZE");
  request.set_coordination_body_id("national-rapporteur");
  auto* b = request.mutable_coordination_body();
  b->set_display_name("National rapporteur");
  b->set_kind(cv1::BODY_KIND_NATIONAL_RAPPORTEUR);
  auto* source = b->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(72);
  request.set_request_id("cze-rapporteur-1");
  cv1::CoordinationBody created;
  ASSERT_TRUE(
      stub->CreateCoordinationBody(Context().get(), request, &created).ok());
  stub.reset();
  (*server)->Kill();  // SIGKILL: no clean shutdown
  auto restarted =
      ServiceProcess::Start(PALERMO_COORDINATION_SERVER, {"--data_dir=" + dir});
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  stub = cv1::CoordinationService::NewStub((*restarted)->Channel());
  cv1::GetCoordinationBodyRequest get;
  get.set_name(created.name());
  cv1::CoordinationBody read;
  ASSERT_TRUE(stub->GetCoordinationBody(Context().get(), get, &read).ok());
  EXPECT_EQ(read.kind(), cv1::BODY_KIND_NATIONAL_RAPPORTEUR);
  EXPECT_EQ(read.etag(), created.etag());
  // The retry after the crash is answered from its key, not duplicated.
  cv1::CoordinationBody retried;
  ASSERT_TRUE(
      stub->CreateCoordinationBody(Context().get(), request, &retried).ok());
  EXPECT_EQ(retried.etag(), created.etag());
  // So are an update's and a delete's.
  cv1::UpdateCoordinationBodyRequest update;
  update.mutable_coordination_body()->set_name(created.name());
  update.mutable_coordination_body()->set_etag(created.etag());
  update.mutable_coordination_body()->set_meeting_frequency(
      cv1::RECURRENCE_TWICE_A_YEAR);
  update.mutable_update_mask()->add_paths("meeting_frequency");
  update.set_request_id("cze-rapporteur-2");
  cv1::CoordinationBody updated, updated_again;
  ASSERT_TRUE(
      stub->UpdateCoordinationBody(Context().get(), update, &updated).ok());
  ASSERT_TRUE(
      stub->UpdateCoordinationBody(Context().get(), update, &updated_again)
          .ok());
  EXPECT_EQ(updated_again.etag(), updated.etag());
  cv1::DeleteCoordinationBodyRequest del;
  del.set_name(created.name());
  del.set_request_id("cze-rapporteur-3");
  google::protobuf::Empty empty;
  ASSERT_TRUE(stub->DeleteCoordinationBody(Context().get(), del, &empty).ok());
  EXPECT_TRUE(stub->DeleteCoordinationBody(Context().get(), del, &empty).ok());
  del.clear_request_id();
  EXPECT_EQ(
      stub->DeleteCoordinationBody(Context().get(), del, &empty).error_code(),
      grpc::StatusCode::NOT_FOUND);
  stub.reset();
}

}  // namespace
}  // namespace palermo
