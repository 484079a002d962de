// The indicator code list of the enforcement domain,
// on a real SQLite store in a temporary directory, without a server.
#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/periods.h"
#include "services/common/test_support.h"
#include "services/enforcement/enforcement_domain_test_fixture.h"
#include "services/enforcement/sdmx_csv.h"

namespace palermo::enforcement {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

TEST_F(EnforcementDomainTest, AnIndicatorCodeStartsWithALetter) {
  for (const char* code : {"1CASES", "_CASES"}) {
    v1::CreateIndicatorRequest request;
    request.mutable_indicator()->set_code(code);
    request.mutable_indicator()->set_display_name("Cases");
    request.mutable_indicator()->set_unit("cases");
    EXPECT_THAT(ViolatedFields(domain_->CreateIndicator(request).status()),
                ElementsAre("indicator.code"))
        << code;
  }
}

TEST_F(EnforcementDomainTest, IndicatorPagesNeitherRepeatNorSkip) {
  auto all = domain_->ListIndicators(v1::ListIndicatorsRequest());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_GT(all->indicators_size(), 3);
  v1::ListIndicatorsRequest request;
  request.set_page_size(3);
  std::vector<std::string> codes;
  do {
    auto page = domain_->ListIndicators(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& i : page->indicators()) codes.push_back(i.code());
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  std::vector<std::string> expected;
  for (const auto& i : all->indicators()) expected.push_back(i.code());
  EXPECT_EQ(codes, expected);
}

TEST_F(EnforcementDomainTest, IndicatorCodesUpTo64Characters) {
  v1::CreateIndicatorRequest create;
  create.mutable_indicator()->set_code("C" + std::string(63, 'X'));
  create.mutable_indicator()->set_display_name("Long");
  create.mutable_indicator()->set_unit("cases");
  EXPECT_TRUE(domain_->CreateIndicator(create).ok());
  create.mutable_indicator()->set_code("C" + std::string(64, 'Y'));
  EXPECT_THAT(ViolatedFields(domain_->CreateIndicator(create).status()),
              ElementsAre("indicator.code"));
}

TEST_F(EnforcementDomainTest, CreatedIndicatorsJoinTheCodeList) {
  v1::Observation convictions =
      Figure("countries/SLV", "VICTIMS_COMPENSATED", "2006", 3);
  EXPECT_THAT(ViolatedFields(Load({convictions}).status()),
              ElementsAre("observations[0].indicator"));
  v1::CreateIndicatorRequest create;
  create.mutable_indicator()->set_code("VICTIMS_COMPENSATED");
  create.mutable_indicator()->set_display_name("Victims compensated");
  create.mutable_indicator()->set_unit("persons");
  ASSERT_TRUE(domain_->CreateIndicator(create).ok());
  EXPECT_EQ(domain_->CreateIndicator(create).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(Load({convictions}).ok());
  create.mutable_indicator()->set_code("bad code");
  EXPECT_THAT(ViolatedFields(domain_->CreateIndicator(create).status()),
              ElementsAre("indicator.code"));
}

}  // namespace
}  // namespace palermo::enforcement
