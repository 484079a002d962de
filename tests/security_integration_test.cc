// Identity and access through the gateway, on real processes over mutual
// TLS: readers read without a token; every write needs one; a token that is
// malformed, expired, not yet valid, wrongly signed or wrongly addressed is
// UNAUTHENTICATED without echoing it; a valid token without the role or the
// entity is PERMISSION_DENIED; a refused call writes nothing and is in the
// gateway's audit log; the actor of a revision is the token's subject; a
// service believes a principal only from the gateway; the rate limit per
// principal answers RESOURCE_EXHAUSTED with a retry delay.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "palermo/common/v1/audit.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/periods.h"
#include "services/common/principal.h"
#include "services/common/test_keys.h"
#include "services/common/token_signer.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;
namespace ev1 = enforcement::v1;
using common::v1::AuditService;
using common::v1::ListAuditRecordsRequest;
using common::v1::ListAuditRecordsResponse;
using test::Context;
using test::MakeSuiteDir;
using test::ServiceProcess;
using test::Suite;
using test::TestToken;
using ::testing::HasSubstr;
using ::testing::Not;

const Principal kAnalyst{"analyst-1", Role::kAnalyst, ""};
const Principal kEstonia{"focal-est", Role::kFocalPoint, "countries/EST"};
const Principal kReader{"reader-1", Role::kReader, ""};
const Principal kCaseWorker{"case-worker-1", Role::kCaseWorker, ""};

lv1::CreateLegislationRequest NewLegislation(const std::string& entity) {
  lv1::CreateLegislationRequest request;
  request.set_parent(entity);
  request.mutable_legislation()->mutable_protocol()->set_status(
      lv1::TREATY_STATUS_RATIFIED);
  auto* source = request.mutable_legislation()->mutable_protocol()->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(5);
  return request;
}

ev1::Observation Figure(const std::string& entity, int year) {
  ev1::Observation o;
  o.set_entity(entity);
  o.set_indicator("CASES_INVESTIGATED");
  *o.mutable_period() = *ParseTimePeriod(absl::StrCat(year));
  o.set_value(3);
  auto* s = o.add_sources();
  s->set_document_symbol("TEST/1");
  s->set_paragraph(1);
  return o;
}

std::unique_ptr<lv1::LegislationService::Stub> Legislation(
    std::shared_ptr<grpc::Channel> channel) {
  return lv1::LegislationService::NewStub(std::move(channel));
}

// Claims of a token that is valid now, for `who`.
TokenClaims ValidClaims(const Principal& who) {
  TokenClaims claims;
  claims.subject = who.subject;
  claims.role = who.role;
  claims.entity = who.entity;
  const absl::Time now =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  claims.issued_at = now - absl::Minutes(1);
  claims.not_before = now - absl::Minutes(1);
  claims.expires = now + absl::Hours(1);
  return claims;
}

class SecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite = Suite::Start(MakeSuiteDir("security"));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  static std::shared_ptr<grpc::Channel> As(const Principal& who) {
    return suite_->gateway->ChannelAs(who);
  }
  static std::shared_ptr<grpc::Channel> WithToken(const std::string& token) {
    return suite_->gateway->ChannelWithAuthorization("Bearer " + token);
  }

  // Whether `entity` has a legislation record (read anonymously).
  static bool HasLegislation(const std::string& entity) {
    lv1::GetLegislationRequest get;
    get.set_name(entity + "/legislation");
    lv1::Legislation out;
    grpc::Status status =
        Legislation(suite_->gateway->AnonymousChannel())
            ->GetLegislation(Context().get(), get, &out);
    EXPECT_TRUE(status.ok() ||
                status.error_code() == grpc::StatusCode::NOT_FOUND)
        << status.error_message();
    return status.ok();
  }

  // The gateway's audit records of `method`'s refusals, newest first.
  static std::vector<common::v1::AuditRecord> GatewayAudit(
      const std::string& service = "gateway") {
    auto stub = AuditService::NewStub(suite_->gateway->Channel());
    ListAuditRecordsRequest request;
    request.set_parent("services/" + service);
    request.set_page_size(1000);
    ListAuditRecordsResponse response;
    grpc::Status status =
        stub->ListAuditRecords(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.audit_records().begin(), response.audit_records().end()};
  }

  // Whether the gateway's audit log holds a refusal of CreateLegislation
  // for `parent` with `code`, by `principal`.
  static bool Audited(const std::string& parent, grpc::StatusCode code,
                      const std::string& principal) {
    for (const auto& record : GatewayAudit()) {
      if (absl::EndsWith(record.method(), "/CreateLegislation") &&
          record.resource() == parent && record.outcome().code() == code &&
          (record.principal() == principal ||
           absl::StartsWith(record.principal(), principal + " (ipv4:"))) {
        return true;
      }
    }
    return false;
  }

  static Suite* suite_;
};

Suite* SecurityTest::suite_ = nullptr;

TEST_F(SecurityTest, ReadersReadWithoutAToken) {
  lv1::ListLegislationsResponse page;
  grpc::Status status = Legislation(suite_->gateway->AnonymousChannel())
                            ->ListLegislations(Context().get(), {}, &page);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(SecurityTest, AWriteWithoutATokenIsUnauthenticatedAndWritesNothing) {
  lv1::Legislation out;
  grpc::Status status = Legislation(suite_->gateway->AnonymousChannel())
                            ->CreateLegislation(Context().get(),
                                                NewLegislation("countries/BOL"),
                                                &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("token"));
  EXPECT_FALSE(HasLegislation("countries/BOL"));
  EXPECT_TRUE(Audited("countries/BOL", grpc::StatusCode::UNAUTHENTICATED,
                      "anonymous"));
}

TEST_F(SecurityTest, EveryBadTokenIsUnauthenticatedWithoutEchoingIt) {
  const Principal who = kAnalyst;
  struct Case {
    std::string what;
    std::string token;
  };
  std::vector<Case> cases;
  cases.push_back({"malformed", "not.a.token"});
  cases.push_back({"garbage", std::string(300, 'x')});
  {
    TokenClaims c = ValidClaims(who);
    c.issued_at = c.not_before = absl::Now() - absl::Hours(3);
    c.issued_at = absl::FromUnixSeconds(absl::ToUnixSeconds(c.issued_at));
    c.not_before = c.issued_at;
    c.expires = c.issued_at + absl::Hours(1);
    cases.push_back({"expired", TestToken(c)});
  }
  {
    TokenClaims c = ValidClaims(who);
    c.not_before = c.issued_at + absl::Hours(1);
    c.expires = c.issued_at + absl::Hours(2);
    cases.push_back({"not yet valid", TestToken(c)});
  }
  cases.push_back(
      {"signed by another key",
       TestToken(ValidClaims(who), test_keys::kEcKey2Private)});
  {
    TokenClaims c = ValidClaims(who);
    c.issuer = "someone-else";
    cases.push_back({"wrong issuer", TestToken(c)});
  }
  {
    TokenClaims c = ValidClaims(who);
    c.audience = "another-service";
    cases.push_back({"wrong audience", TestToken(c)});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    ASSERT_FALSE(c.token.empty());
    lv1::Legislation out;
    grpc::Status status =
        Legislation(WithToken(c.token))
            ->CreateLegislation(Context().get(),
                                NewLegislation("countries/CHL"), &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_THAT(status.error_message(), Not(HasSubstr(c.token)));
    // Nor any of its parts.
    for (absl::string_view part : absl::StrSplit(c.token, '.')) {
      if (part.size() >= 8) {
        EXPECT_THAT(status.error_message(), Not(HasSubstr(std::string(part))));
      }
    }
    // A read with a bad token is refused too: a token is never ignored.
    lv1::ListLegislationsResponse page;
    EXPECT_EQ(Legislation(WithToken(c.token))
                  ->ListLegislations(Context().get(), {}, &page)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_FALSE(HasLegislation("countries/CHL"));
  EXPECT_TRUE(Audited("countries/CHL", grpc::StatusCode::UNAUTHENTICATED,
                      "anonymous"));
}

TEST_F(SecurityTest, AnAnalystWritesAnyEntityAndIsTheActor) {
  lv1::Legislation created;
  grpc::Status status =
      Legislation(As(kAnalyst))
          ->CreateLegislation(Context().get(), NewLegislation("countries/PER"),
                              &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  lv1::ListLegislationRevisionsRequest history;
  history.set_name(created.name());
  lv1::ListLegislationRevisionsResponse revisions;
  ASSERT_TRUE(Legislation(suite_->gateway->AnonymousChannel())
                  ->ListLegislationRevisions(Context().get(), history,
                                             &revisions)
                  .ok());
  ASSERT_EQ(revisions.revisions_size(), 1);
  EXPECT_EQ(revisions.revisions(0).actor(), kAnalyst.subject);

  // The service's own audit log names the principal the gateway sent.
  bool found = false;
  for (const auto& record : GatewayAudit("legislation")) {
    if (absl::EndsWith(record.method(), "/CreateLegislation") &&
        record.resource() == "countries/PER") {
      found = true;
      EXPECT_EQ(record.principal(), kAnalyst.subject);
      EXPECT_EQ(record.role(), "analyst");
      EXPECT_EQ(record.outcome().code(), 0);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(SecurityTest, AFocalPointWritesItsOwnStateAndNoOther) {
  auto stub = Legislation(As(kEstonia));
  lv1::Legislation created;
  grpc::Status own = stub->CreateLegislation(
      Context().get(), NewLegislation("countries/EST"), &created);
  ASSERT_TRUE(own.ok()) << own.error_message();

  lv1::Legislation other;
  grpc::Status refused = stub->CreateLegislation(
      Context().get(), NewLegislation("countries/FRA"), &other);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(refused.error_message(), HasSubstr("countries/FRA"));
  EXPECT_FALSE(HasLegislation("countries/FRA"));
  EXPECT_TRUE(Audited("countries/FRA", grpc::StatusCode::PERMISSION_DENIED,
                      kEstonia.subject));

  // An update of another State's record, by name, is refused as well.
  lv1::Legislation peru;
  ASSERT_TRUE(Legislation(As(kAnalyst))
                  ->CreateLegislation(Context().get(),
                                      NewLegislation("countries/ECU"), &peru)
                  .ok());
  lv1::UpdateLegislationRequest update;
  update.mutable_legislation()->set_name(peru.name());
  update.mutable_legislation()->set_notes("not mine to change");
  update.mutable_update_mask()->add_paths("notes");
  lv1::Legislation updated;
  EXPECT_EQ(stub->UpdateLegislation(Context().get(), update, &updated)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SecurityTest, AFocalPointCannotImportAnotherStatesFigures) {
  auto stub = ev1::EnforcementService::NewStub(As(kEstonia));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  ev1::ImportObservationsResponse response;
  auto writer = stub->ImportObservations(&context, &response);
  ev1::ImportObservationsRequest message;
  message.set_request_id("focal-import");
  *message.add_observations() = Figure("countries/EST", 2005);
  *message.add_observations() = Figure("countries/LVA", 2005);
  writer->Write(message);
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("countries/LVA"));

  // Nothing was imported, not even Estonia's row.
  ev1::ListObservationsRequest list;
  list.set_parent("countries/EST");
  ev1::ListObservationsResponse page;
  ASSERT_TRUE(ev1::EnforcementService::NewStub(
                  suite_->gateway->AnonymousChannel())
                  ->ListObservations(Context().get(), list, &page)
                  .ok());
  EXPECT_EQ(page.observations_size(), 0);
}

TEST_F(SecurityTest, ReadersAndCaseWorkersCannotWrite) {
  for (const Principal& who : {kReader, kCaseWorker}) {
    SCOPED_TRACE(who.subject);
    lv1::Legislation out;
    grpc::Status status =
        Legislation(As(who))->CreateLegislation(
            Context().get(), NewLegislation("countries/URY"), &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    // Their reads are a reader's.
    lv1::ListLegislationsResponse page;
    EXPECT_TRUE(
        Legislation(As(who))->ListLegislations(Context().get(), {}, &page).ok());
  }
  EXPECT_FALSE(HasLegislation("countries/URY"));
}

TEST_F(SecurityTest, CatalogueChangesNeedAnAdministrator) {
  ev1::CreateIndicatorRequest request;
  request.mutable_indicator()->set_code("VICTIMS_REPATRIATED_SEC");
  request.mutable_indicator()->set_display_name("Victims repatriated");
  request.mutable_indicator()->set_unit("persons");
  request.mutable_indicator()->set_kind(ev1::INDICATOR_KIND_FLOW);
  ev1::Indicator out;
  grpc::Status analyst = ev1::EnforcementService::NewStub(As(kAnalyst))
                             ->CreateIndicator(Context().get(), request, &out);
  EXPECT_EQ(analyst.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status admin =
      ev1::EnforcementService::NewStub(suite_->gateway->Channel())
          ->CreateIndicator(Context().get(), request, &out);
  EXPECT_TRUE(admin.ok()) << admin.error_message();
}

TEST_F(SecurityTest, OnlyAdministratorsReadAuditLogs) {
  for (const std::string& service : {"gateway", "legislation"}) {
    SCOPED_TRACE(service);
    ListAuditRecordsRequest request;
    request.set_parent("services/" + service);
    ListAuditRecordsResponse response;
    EXPECT_EQ(AuditService::NewStub(As(kAnalyst))
                  ->ListAuditRecords(Context().get(), request, &response)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(AuditService::NewStub(suite_->gateway->AnonymousChannel())
                  ->ListAuditRecords(Context().get(), request, &response)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_TRUE(AuditService::NewStub(suite_->gateway->Channel())
                    ->ListAuditRecords(Context().get(), request, &response)
                    .ok());
  }
}

TEST_F(SecurityTest, AServiceBelievesAPrincipalOnlyFromTheGateway) {
  // A suite peer that is not the gateway (the test client's certificate)
  // claims to speak for an administrator: the claim is ignored.
  auto context = Context();
  context->AddMetadata(kPrincipalMetadataKey,
                       EncodePrincipal(test::TestAdministrator()));
  ListAuditRecordsRequest request;
  request.set_parent("services/legislation");
  ListAuditRecordsResponse response;
  grpc::Status status =
      AuditService::NewStub(suite_->legislation->Channel())
          ->ListAuditRecords(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  auto write = Context();
  write->AddMetadata(kPrincipalMetadataKey, EncodePrincipal(kAnalyst));
  lv1::Legislation created;
  ASSERT_TRUE(Legislation(suite_->legislation->Channel())
                  ->CreateLegislation(write.get(),
                                      NewLegislation("countries/PRY"), &created)
                  .ok());
  lv1::ListLegislationRevisionsRequest history;
  history.set_name(created.name());
  lv1::ListLegislationRevisionsResponse revisions;
  ASSERT_TRUE(Legislation(suite_->legislation->Channel())
                  ->ListLegislationRevisions(Context().get(), history,
                                             &revisions)
                  .ok());
  ASSERT_EQ(revisions.revisions_size(), 1);
  EXPECT_EQ(revisions.revisions(0).actor(), "client");
}

TEST(ServiceWritersTest, AServiceTakesWritesFromTheGatewayOnly) {
  // As deployed: no --writer_identities, so only the gateway writes.
  auto legislation = ServiceProcess::Start(
      PALERMO_LEGISLATION_SERVER,
      {"--data_dir=" + test::MakeTempDir(), "--writer_identities="});
  ASSERT_TRUE(legislation.ok()) << legislation.status();
  auto gateway = ServiceProcess::Start(
      PALERMO_GATEWAY_SERVER,
      {"--legislation_address=" + (*legislation)->address()});
  ASSERT_TRUE(gateway.ok()) << gateway.status();

  // A suite certificate (the tests' "client") is no licence to write.
  lv1::Legislation out;
  grpc::Status direct =
      Legislation((*legislation)->Channel())
          ->CreateLegislation(Context().get(), NewLegislation("countries/MEX"),
                              &out);
  EXPECT_EQ(direct.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(direct.error_message(), HasSubstr("through the gateway"));
  lv1::GetLegislationRequest get;
  get.set_name("countries/MEX/legislation");
  EXPECT_EQ(Legislation((*legislation)->Channel())
                ->GetLegislation(Context().get(), get, &out)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Through the gateway, with a token, it is written.
  ASSERT_TRUE(Legislation((*gateway)->ChannelAs(kAnalyst))
                  ->CreateLegislation(Context().get(),
                                      NewLegislation("countries/MEX"), &out)
                  .ok());
  EXPECT_TRUE(Legislation((*legislation)->Channel())
                  ->GetLegislation(Context().get(), get, &out)
                  .ok());
}

TEST(GatewayRateLimitTest, APrincipalOverItsRateIsToldWhenToRetry) {
  auto suite = Suite::Start(MakeSuiteDir("rate-limit"),
                            {"--rate_limit_per_second=0.5",
                             "--rate_limit_burst=2"});
  ASSERT_TRUE(suite.ok()) << suite.status();
  auto limited = Legislation((*suite)->gateway->ChannelAs(kAnalyst));
  lv1::ListLegislationsResponse page;
  ASSERT_TRUE(limited->ListLegislations(Context().get(), {}, &page).ok());
  ASSERT_TRUE(limited->ListLegislations(Context().get(), {}, &page).ok());
  grpc::Status refused = limited->ListLegislations(Context().get(), {}, &page);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr(kAnalyst.subject));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details()));
  bool has_retry = false;
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo retry;
    if (any.UnpackTo(&retry)) {
      has_retry = true;
      EXPECT_GT(retry.retry_delay().seconds() * 1000 +
                    retry.retry_delay().nanos() / 1000000,
                0);
    }
  }
  EXPECT_TRUE(has_retry);
  // Another principal has a bucket of its own.
  EXPECT_TRUE(Legislation((*suite)->gateway->ChannelAs(kEstonia))
                  ->ListLegislations(Context().get(), {}, &page)
                  .ok());
}

}  // namespace
}  // namespace palermo
