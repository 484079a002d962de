// The audit interceptor on an in-process server: writes recorded with
// their outcome, caller and resource whether they succeed, are refused by
// their handler or do not parse; reads not recorded; a failing log never
// failing a call; and what ResourceOf, WriteMethods and AuditRefusal do.
#include "services/common/audit_interceptor.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/client_unary_call.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/memory_audit_log.h"
#include "services/common/parse_errors.h"
#include "services/common/principal.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kCreate[] =
    "/palermo.legislation.v1.LegislationService/CreateLegislation";
constexpr char kUpdate[] =
    "/palermo.legislation.v1.LegislationService/UpdateLegislation";

TEST(ResourceOfTest, NameThenParentThenANestedMessagesName) {
  lv1::DeleteLegislationRequest del;
  del.set_name("countries/EST/legislation");
  EXPECT_EQ(ResourceOf(del), "countries/EST/legislation");
  lv1::CreateLegislationRequest create;
  create.set_parent("countries/EST");
  create.mutable_legislation()->set_name("ignored: the parent comes first");
  EXPECT_EQ(ResourceOf(create), "countries/EST");
  lv1::UpdateLegislationRequest update;
  update.mutable_legislation()->set_name("countries/LVA/legislation");
  EXPECT_EQ(ResourceOf(update), "countries/LVA/legislation");
  EXPECT_EQ(ResourceOf(lv1::UpdateLegislationRequest()), "");
}

TEST(WriteMethodsTest, ByPrefixOrListed) {
  WriteMethodPredicate is_write = WriteMethods({"GenerateReport"});
  for (const char* method :
       {kCreate, kUpdate, "/p.S/DeleteThing", "/p.S/UpsertObservation",
        "/p.S/ImportObservations", "/p.S/UndeleteThing",
        "/p.S/GenerateReport"}) {
    EXPECT_TRUE(is_write(method)) << method;
  }
  for (const char* method :
       {"/p.S/GetThing", "/p.S/ListThings", "/p.S/WatchChanges",
        "/grpc.health.v1.Health/Check", "/p.S/ExportSdmxCsv",
        "/p.Creator/GetThing"}) {
    EXPECT_FALSE(is_write(method)) << method;
  }
  EXPECT_TRUE(WriteMethods({"/p.S/Publish"})("/p.S/Publish"));
  EXPECT_FALSE(WriteMethods({"/p.S/Publish"})("/p.Other/Publish"));
}

TEST(AuditRefusalTest, RecordsTheRefusal) {
  MemoryAuditLog log;
  const absl::Time before = absl::Now();
  AuditRefusal(log, kCreate, {"bob", "reader"}, "countries/EST",
               absl::PermissionDeniedError("readers do not write"));
  std::vector<AuditEntry> entries = log.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method, kCreate);
  EXPECT_EQ(entries[0].principal, "bob");
  EXPECT_EQ(entries[0].role, "reader");
  EXPECT_EQ(entries[0].resource, "countries/EST");
  EXPECT_EQ(entries[0].code,
            static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(entries[0].message, "readers do not write");
  EXPECT_GE(entries[0].time, before);
}

// Create succeeds, Update is refused, Get reads.
class FakeLegislation final : public lv1::LegislationService::Service {
 public:
  grpc::Status CreateLegislation(grpc::ServerContext*,
                                 const lv1::CreateLegislationRequest* request,
                                 lv1::Legislation* response) override {
    response->set_name(request->parent() + "/legislation");
    return grpc::Status::OK;
  }
  grpc::Status UpdateLegislation(grpc::ServerContext*,
                                 const lv1::UpdateLegislationRequest*,
                                 lv1::Legislation*) override {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "stale etag");
  }
  grpc::Status GetLegislation(grpc::ServerContext*,
                              const lv1::GetLegislationRequest*,
                              lv1::Legislation*) override {
    return grpc::Status::OK;
  }
};

class AuditInterceptorTest : public ::testing::Test {
 protected:
  // The caller as a test names it (a "test-caller" header, role
  // "analyst"): how a principal reaches the log is CallerAsAudited's part,
  // tested on its own below.
  static AuditOptions TestCallers() {
    AuditOptions options;
    options.caller = [](const grpc::ServerContextBase& context) {
      auto it = context.client_metadata().find("test-caller");
      if (it == context.client_metadata().end()) return AuditCaller{};
      return AuditCaller{std::string(it->second.data(), it->second.size()),
                         "analyst"};
    };
    return options;
  }
  void SetUp() override { Start(TestCallers()); }

  void Start(AuditOptions options) {
    if (server_) server_->Shutdown();
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&service_);
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(std::make_unique<ParseErrorInterceptorFactory>());
    interceptors.push_back(
        std::make_unique<AuditInterceptorFactory>(&log_, std::move(options)));
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
    stub_ = lv1::LegislationService::NewStub(channel_);
  }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<grpc::ClientContext> As(const std::string& actor) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("test-caller", actor);
    return context;
  }

  MemoryAuditLog log_;
  FakeLegislation service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<lv1::LegislationService::Stub> stub_;
};

TEST_F(AuditInterceptorTest, RecordsAWriteWithItsCallerResourceAndOutcome) {
  lv1::CreateLegislationRequest request;
  request.set_parent("countries/EST");
  lv1::Legislation response;
  const absl::Time before = absl::Now();
  ASSERT_TRUE(
      stub_->CreateLegislation(As("alice").get(), request, &response).ok());
  // Recorded before the answer was sent.
  std::vector<AuditEntry> entries = log_.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method, kCreate);
  EXPECT_EQ(entries[0].principal, "alice");
  EXPECT_EQ(entries[0].role, "analyst");
  EXPECT_EQ(entries[0].resource, "countries/EST");
  EXPECT_EQ(entries[0].code, 0);
  EXPECT_EQ(entries[0].message, "");
  EXPECT_GE(entries[0].time, before);
  EXPECT_LE(entries[0].time, absl::Now());
}

TEST_F(AuditInterceptorTest, ByDefaultAPlaintextCallerIsAnAnonymousReader) {
  // CallerAsAudited: a peer that proved no identity (plaintext, no
  // certificate) is recorded by its address, as a reader, whatever it says.
  Start(AuditOptions{});
  lv1::CreateLegislationRequest request;
  request.set_parent("countries/EST");
  lv1::Legislation response;
  auto context = As("alice");
  context->AddMetadata("palermo-actor", "alice");
  context->AddMetadata(kPrincipalMetadataKey,
                       EncodePrincipal({"alice", Role::kAdministrator, ""}));
  ASSERT_TRUE(stub_->CreateLegislation(context.get(), request, &response).ok());
  std::vector<AuditEntry> entries = log_.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_THAT(entries[0].principal, ::testing::StartsWith("ipv4:127.0.0.1:"));
  EXPECT_EQ(entries[0].role, "reader");
}

TEST_F(AuditInterceptorTest, RecordsAWriteItsHandlerRefused) {
  lv1::UpdateLegislationRequest request;
  request.mutable_legislation()->set_name("countries/LVA/legislation");
  lv1::Legislation response;
  grpc::Status status =
      stub_->UpdateLegislation(As("bob").get(), request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  std::vector<AuditEntry> entries = log_.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method, kUpdate);
  EXPECT_EQ(entries[0].principal, "bob");
  EXPECT_EQ(entries[0].resource, "countries/LVA/legislation");
  EXPECT_EQ(entries[0].code,
            static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(entries[0].message, "stale etag");
}

TEST_F(AuditInterceptorTest, RecordsAWriteThatDoesNotParse) {
  grpc::Slice slice(std::string("\xff\xff\xff", 3));
  grpc::ByteBuffer in(&slice, 1), out;
  grpc::ClientContext context;
  grpc::Status status =
      grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
          channel_.get(),
          grpc::internal::RpcMethod(kCreate,
                                    grpc::internal::RpcMethod::NORMAL_RPC),
          &context, in, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<AuditEntry> entries = log_.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method, kCreate);
  EXPECT_EQ(entries[0].resource, "");
  EXPECT_EQ(entries[0].code,
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  // The status as the parse-error interceptor rewrote it.
  EXPECT_THAT(entries[0].message, HasSubstr("does not parse"));
}

TEST_F(AuditInterceptorTest, DoesNotRecordReads) {
  lv1::GetLegislationRequest request;
  request.set_name("countries/EST/legislation");
  lv1::Legislation response;
  ASSERT_TRUE(
      stub_->GetLegislation(As("alice").get(), request, &response).ok());
  EXPECT_THAT(log_.entries(), IsEmpty());
}

TEST_F(AuditInterceptorTest, AFailingLogFailsNoCallAndIsCounted) {
  log_.set_failing(true);
  const int64_t failures = AuditAppendFailures();
  lv1::CreateLegislationRequest request;
  request.set_parent("countries/EST");
  lv1::Legislation response;
  EXPECT_TRUE(
      stub_->CreateLegislation(As("alice").get(), request, &response).ok());
  EXPECT_EQ(AuditAppendFailures(), failures + 1);
  log_.set_failing(false);
}

TEST_F(AuditInterceptorTest, UsesTheInjectedCallerAndPredicate) {
  AuditOptions options;
  options.caller = [](const grpc::ServerContextBase&) {
    return AuditCaller{"subject-7", "administrator"};
  };
  options.is_write = [](absl::string_view method) {
    return absl::EndsWith(method, "/GetLegislation");
  };
  Start(std::move(options));
  lv1::GetLegislationRequest get;
  get.set_name("countries/EST/legislation");
  lv1::Legislation response;
  ASSERT_TRUE(stub_->GetLegislation(As("alice").get(), get, &response).ok());
  lv1::CreateLegislationRequest create;
  create.set_parent("countries/EST");
  ASSERT_TRUE(
      stub_->CreateLegislation(As("alice").get(), create, &response).ok());
  std::vector<AuditEntry> entries = log_.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].principal, "subject-7");
  EXPECT_EQ(entries[0].role, "administrator");
  EXPECT_EQ(entries[0].resource, "countries/EST/legislation");
}

}  // namespace
}  // namespace palermo
