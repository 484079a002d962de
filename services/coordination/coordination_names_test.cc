// How coordination resources are named (coordination_names.h).
#include "services/coordination/coordination_names.h"

#include <gtest/gtest.h>

namespace palermo::coordination {
namespace {

TEST(OwnerOfNameTest, TheEntityOfAFullName) {
  EXPECT_EQ(OwnerOfName("countries/CZE/coordinationBodies/rapporteur"),
            "countries/CZE");
  EXPECT_EQ(OwnerOfName("organizations/iom/trainingActivities/course"),
            "organizations/iom");
}

TEST(OwnerOfNameTest, NoEntityBeforeARecordIsNamedOrForAGroup) {
  EXPECT_EQ(OwnerOfName(""), "");
  EXPECT_EQ(OwnerOfName("interAgencyGroups/icat"), "");
  EXPECT_EQ(OwnerOfName("countries/CZE/coordinationBodies"), "");
}

}  // namespace
}  // namespace palermo::coordination
