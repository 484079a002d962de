// Page budgets and trimmed answers, at their byte limits.
#include "services/common/bounds.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/coordination/v1/coordination.pb.h"

namespace palermo {
namespace {

using assistance::v1::Measure;

Measure OfBytes(size_t notes) {
  Measure m;
  m.set_name("countries/ROU/measures/m");
  m.set_notes(std::string(notes, 'x'));
  return m;
}

TEST(PageBudgetTest, EndsAtItsItemCount) {
  PageBudget page(2);
  EXPECT_TRUE(page.Admit(OfBytes(1)));
  EXPECT_TRUE(page.Admit(OfBytes(1)));
  EXPECT_FALSE(page.Admit(OfBytes(1)));
  EXPECT_EQ(page.items(), 2);
}

TEST(PageBudgetTest, EndsBeforeItsBytesAreExceededAndStaysFull) {
  const Measure big = OfBytes(1000);
  PageBudget page(100, 3 * ElementBytes(big));
  EXPECT_TRUE(page.Admit(big));
  EXPECT_TRUE(page.Admit(big));
  EXPECT_TRUE(page.Admit(big));  // exactly at the limit
  EXPECT_EQ(page.bytes(), 3 * ElementBytes(big));
  EXPECT_FALSE(page.Admit(OfBytes(0)));
  // Full means full: a smaller record after a refused one is refused too,
  // so that a page never skips a record.
  EXPECT_FALSE(page.Admit(OfBytes(0)));
  EXPECT_EQ(page.items(), 3);
}

TEST(PageBudgetTest, ARecordThatDoesNotFitEndsThePageEvenIfASmallerOneWould) {
  const Measure small = OfBytes(10);
  PageBudget page(100, 2 * ElementBytes(small));
  EXPECT_TRUE(page.Admit(small));
  EXPECT_FALSE(page.Admit(OfBytes(1000)));
  // There is room for `small`, but taking it would skip the refused record.
  EXPECT_FALSE(page.Admit(small));
  EXPECT_EQ(page.items(), 1);
}

TEST(PageBudgetTest, AdmitsOneRecordBiggerThanThePage) {
  PageBudget page(10, 100);
  EXPECT_TRUE(page.Admit(OfBytes(1000)));
  EXPECT_FALSE(page.Admit(OfBytes(1)));
}

TEST(PageBudgetTest, ElementBytesCountsTagAndLength) {
  const Measure m = OfBytes(200);
  assistance::v1::ListMeasuresResponse response;
  *response.add_measures() = m;
  EXPECT_EQ(ElementBytes(m), response.ByteSizeLong());
}

TEST(TrimToBytesTest, LeavesAnAnswerWithinTheLimitAlone) {
  coordination::v1::EntityCoordination answer;
  answer.set_entity("countries/FRA");
  answer.add_coordination_bodies()->set_name("countries/FRA/x/a");
  const std::string before = answer.SerializeAsString();
  EXPECT_FALSE(TrimToBytes(&answer, before.size()));
  EXPECT_EQ(answer.SerializeAsString(), before);
  EXPECT_FALSE(answer.truncated());
}

TEST(TrimToBytesTest, DropsWholeResourcesFromTheEndAndSaysSo) {
  coordination::v1::EntityCoordination answer;
  answer.set_entity("countries/FRA");
  for (int i = 0; i < 6; ++i) {
    auto* body = answer.add_coordination_bodies();
    body->set_name(absl::StrCat("countries/FRA/coordinationBodies/b", i));
    body->set_notes(std::string(100000, 'x'));
  }
  answer.add_action_plans()->set_name("countries/FRA/actionPlans/p");
  constexpr size_t kMax = 350000;
  EXPECT_TRUE(TrimToBytes(&answer, kMax));
  EXPECT_TRUE(answer.truncated());
  EXPECT_LE(answer.ByteSizeLong(), kMax);
  ASSERT_EQ(answer.coordination_bodies_size(), 3);
  // Kept whole, in order; nothing after the first that did not fit.
  EXPECT_EQ(answer.coordination_bodies(2).name(),
            "countries/FRA/coordinationBodies/b2");
  EXPECT_EQ(answer.coordination_bodies(2).notes().size(), 100000u);
  EXPECT_EQ(answer.action_plans_size(), 0);
  EXPECT_EQ(answer.entity(), "countries/FRA");
}

TEST(TrimToBytesTest, CutsIntoAContainerButNeverIntoAResource) {
  assistance::v1::CompareEntitiesResponse answer;
  auto* row = answer.add_rows();
  row->set_measure_type("SHELTER");
  for (int e = 0; e < 3; ++e) {
    auto* cell = row->add_cells();
    cell->set_entity("countries/ROU");
    for (int i = 0; i < 4; ++i) *cell->add_measures() = OfBytes(10000);
  }
  answer.add_rows()->set_measure_type("TEMPORARY_RESIDENCE");
  constexpr size_t kMax = 55000;
  EXPECT_TRUE(TrimToBytes(&answer, kMax));
  EXPECT_TRUE(answer.truncated());
  EXPECT_LE(answer.ByteSizeLong(), kMax);
  ASSERT_EQ(answer.rows_size(), 1);
  ASSERT_EQ(answer.rows(0).cells_size(), 2);
  EXPECT_EQ(answer.rows(0).cells(0).measures_size(), 4);
  EXPECT_EQ(answer.rows(0).cells(1).measures_size(), 1);
  EXPECT_EQ(answer.rows(0).cells(1).measures(0).notes().size(), 10000u);
}

TEST(TrimToBytesTest, AResourceWithListsIsDroppedWholeNotCutInside) {
  assistance::v1::CompareEntitiesResponse answer;
  auto* cell = answer.add_rows()->add_cells();
  cell->set_entity("countries/ROU");
  for (int i = 0; i < 2; ++i) {
    Measure* m = cell->add_measures();
    *m = OfBytes(10);
    for (int s = 0; s < 100; ++s) {
      m->add_sources()->set_excerpt(std::string(100, 's'));
    }
  }
  const size_t one = answer.rows(0).cells(0).measures(0).ByteSizeLong();
  const size_t max = answer.ByteSizeLong() - one / 2;
  EXPECT_TRUE(TrimToBytes(&answer, max));
  EXPECT_LE(answer.ByteSizeLong(), max);
  ASSERT_EQ(answer.rows_size(), 1);
  ASSERT_EQ(answer.rows(0).cells_size(), 1);
  // The first measure whole, the second left out, not cut to what fits.
  ASSERT_EQ(answer.rows(0).cells(0).measures_size(), 1);
  EXPECT_EQ(answer.rows(0).cells(0).measures(0).sources_size(), 100);
}

TEST(TrimToBytesTest, AnswerOfExactlyTheLimitIsKept) {
  coordination::v1::ListCooperationPartnersResponse answer;
  for (int i = 0; i < 100; ++i) {
    answer.add_partners()->add_activities(std::string(1000, 'a'));
  }
  const size_t size = answer.ByteSizeLong();
  EXPECT_FALSE(TrimToBytes(&answer, size));
  EXPECT_TRUE(TrimToBytes(&answer, size - 1));
  EXPECT_LE(answer.ByteSizeLong(), size - 1);
  EXPECT_EQ(answer.partners_size(), 99);
}

}  // namespace
}  // namespace palermo
