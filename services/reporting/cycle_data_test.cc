// RestrictToCycle keeps exactly the parts of a record reported in a cycle.
#include "services/reporting/cycle_data.h"

#include <gtest/gtest.h>

namespace palermo::reporting {
namespace {

void Cite(google::protobuf::RepeatedPtrField<common::v1::Provenance>* sources,
          const std::string& cycle) {
  auto* p = sources->Add();
  p->set_document_symbol("X");
  p->set_paragraph(1);
  p->set_cycle(cycle);
}

TEST(CycleDataTest, KeepsTheFactsOfTheCycleOnly) {
  legislation::v1::Legislation l;
  l.set_name("countries/EST/legislation");
  l.mutable_entity()->set_name("countries/EST");
  Cite(l.mutable_protocol()->mutable_sources(), "cycles/a");
  l.mutable_protocol()->mutable_consent_date()->set_year(2004);
  Cite(l.mutable_specific_law()->mutable_sources(), "cycles/b");
  Cite(l.add_protection_laws()->mutable_sources(), "cycles/b");
  Cite(l.add_protection_laws()->mutable_sources(), "cycles/a");
  l.mutable_protection_laws(1)->set_title("kept");
  EXPECT_TRUE(RestrictToCycle(l, "cycles/a"));
  EXPECT_TRUE(l.has_protocol());
  EXPECT_EQ(l.protocol().consent_date().year(), 2004);  // plain values stay
  EXPECT_FALSE(l.has_specific_law());
  ASSERT_EQ(l.protection_laws_size(), 1);
  EXPECT_EQ(l.protection_laws(0).title(), "kept");
  EXPECT_EQ(l.entity().name(), "countries/EST");
}

TEST(CycleDataTest, ARecordOfAnotherCycleIsNotOfTheCycle) {
  enforcement::v1::Observation o;
  o.set_entity("countries/HRV");
  o.set_value(65);
  Cite(o.mutable_sources(), "cycles/b");
  o.mutable_period()->mutable_start()->set_year(2002);
  EXPECT_FALSE(RestrictToCycle(o, "cycles/a"));
  EXPECT_TRUE(RestrictToCycle(o, "cycles/b"));
  EXPECT_EQ(o.period().start().year(), 2002);
  legislation::v1::Legislation empty;
  empty.set_name("countries/EST/legislation");
  EXPECT_FALSE(RestrictToCycle(empty, "cycles/a"));
}

TEST(CycleDataTest, EntityOfRecordName) {
  EXPECT_EQ(EntityOfRecordName("countries/EST/measures/shelter"),
            "countries/EST");
  EXPECT_EQ(EntityOfRecordName("organizations/LAS/legislation"),
            "organizations/LAS");
  EXPECT_EQ(EntityOfRecordName("interAgencyGroups/icat"), "");
}

}  // namespace
}  // namespace palermo::reporting
