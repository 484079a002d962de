// Observation names in the enforcement domain (enforcement_domain.cc),
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

TEST_F(EnforcementDomainTest, MalformedNamesAreInvalidArgument) {
  v1::GetObservationRequest get;
  get.set_name("countries/SLV/figures/x");
  EXPECT_THAT(ViolatedFields(domain_->Get(get).status()), ElementsAre("name"));
  v1::ListObservationRevisionsRequest revisions;
  revisions.set_name("countries/XXX/observations/x");
  EXPECT_THAT(ViolatedFields(domain_->ListRevisions(revisions).status()),
              ElementsAre("name"));
}

TEST(EnforcementDomainNameOfTest, TheSeriesKeyNamesTheFigure) {
  v1::Observation o = Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32);
  EXPECT_EQ(EnforcementDomain::NameOf(o),
            "countries/SLV/observations/CASES_INVESTIGATED_2005_2005");
  o.set_value(33);
  o.set_notes("revised");
  EXPECT_EQ(EnforcementDomain::NameOf(o),
            "countries/SLV/observations/CASES_INVESTIGATED_2005_2005");
  o.set_sex(v1::SEX_FEMALE);
  o.set_citizenship("GTM");
  EXPECT_EQ(EnforcementDomain::NameOf(o),
            "countries/SLV/observations/"
            "CASES_INVESTIGATED_2005_2005_SEX_FEMALE_CITIZENSHIP_GTM");
}

}  // namespace
}  // namespace palermo::enforcement
