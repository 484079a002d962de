// Upserts and imports: all or nothing, idempotent, measured as stored,
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

TEST_F(EnforcementDomainTest, ImportReportsEveryBadRowAndWritesNothing) {
  std::vector<v1::Observation> rows;
  for (int i = 0; i < 10000; ++i) {
    rows.push_back(Figure("countries/SLV", "CASES_INVESTIGATED",
                          absl::StrCat(1990 + i % 20).c_str(), i));
    rows.back().set_citizenship(i < 20 ? "" : "UKR");
    if (i >= 20)
      rows.back().set_notes(absl::StrCat("row ", i));  // distinct keys
    rows.back().set_sex(static_cast<v1::Sex>(1 + i % 4));
    rows.back().set_age_group(static_cast<v1::AgeGroup>(1 + (i / 4) % 3));
  }
  rows[17].set_indicator("CASES_GUESSED");
  rows[4242].clear_value();
  rows[9999].mutable_period()->mutable_end()->set_month(13);
  rows[9999].mutable_period()->mutable_end()->set_precision(
      common::v1::DATE_PRECISION_MONTH);
  rows[5000].set_entity("countries/XXX");
  auto result = Load(std::move(rows));
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      ViolatedFields(result.status()),
      ElementsAre("observations[17].indicator", "observations[4242].value",
                  "observations[5000].entity",
                  "observations[9999].period.end.month"));
  EXPECT_THAT(result.status().message(), HasSubstr("4 invalid row(s)"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(EnforcementDomainTest, ImportCountsBadRowsBeyondTheDetailsCap) {
  std::vector<v1::Observation> rows;
  for (int i = 0; i < 30000; ++i) {  // both validation threads
    rows.push_back(Figure("countries/SLV", "CASES_INVESTIGATED", "2005", i));
    rows.back().clear_value();
  }
  auto result = Load(std::move(rows));
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields = ViolatedFields(result.status());
  ASSERT_EQ(fields.size(), static_cast<size_t>(kMaxViolationsInDetails));
  EXPECT_EQ(fields.front(), "observations[0].value");
  EXPECT_EQ(
      fields.back(),
      absl::StrCat("observations[", kMaxViolationsInDetails - 1, "].value"));
  EXPECT_THAT(result.status().message(), HasSubstr("30000 invalid row(s)"));
  EXPECT_THAT(result.status().message(), HasSubstr("and 29990 more"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(EnforcementDomainTest, ImportIsIdempotentWithRequestId) {
  std::vector<v1::Observation> rows = {
      Figure("countries/UKR", "OFFENCES_REGISTERED", "2007", 350, 25)};
  auto first = Load(rows, "ukr-2007");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->created(), 1);
  now_ += absl::Hours(1);
  auto replay = Load(rows, "ukr-2007");
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->created(), 1);
  EXPECT_EQ(replay->commit_time().seconds(), first->commit_time().seconds());
  rows[0].set_value(351);
  EXPECT_THAT(ViolatedFields(Load(rows, "ukr-2007").status()),
              ElementsAre("request_id"));
}

TEST_F(EnforcementDomainTest, ARequestIdBelongsToEveryRowOfItsRequest) {
  std::vector<v1::Observation> rows = {
      Figure("countries/UKR", "OFFENCES_REGISTERED", "2006", 300, 25),
      Figure("countries/UKR", "OFFENCES_REGISTERED", "2007", 350, 25)};
  ASSERT_TRUE(Load(rows, "ukr").ok());
  rows[1].set_value(351);  // only a later row differs
  EXPECT_THAT(ViolatedFields(Load(rows, "ukr").status()),
              ElementsAre("request_id"));

  v1::UpsertObservationRequest upsert;
  upsert.set_request_id("upsert-1");
  *upsert.mutable_observation() =
      Figure("countries/UKR", "ORGANIZED_GROUPS_DISMANTLED", "2007", 16, 25);
  auto first = domain_->Upsert(upsert);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retried = domain_->Upsert(upsert);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->revision_id(), first->revision_id());
  upsert.mutable_observation()->set_value(17);
  EXPECT_THAT(ViolatedFields(domain_->Upsert(upsert).status()),
              ElementsAre("request_id"));
}

TEST_F(EnforcementDomainTest, WritesReportTheSequenceOfTheirChange) {
  std::vector<v1::Observation> rows = {
      Figure("countries/UKR", "OFFENCES_REGISTERED", "2006", 300, 25),
      Figure("countries/UKR", "OFFENCES_REGISTERED", "2007", 350, 25)};
  int64_t sequence = -1;
  ASSERT_TRUE(domain_->Import("ukr", rows, &sequence).ok());
  EXPECT_EQ(sequence, 2);  // one change per observation

  v1::UpsertObservationRequest upsert;
  *upsert.mutable_observation() = rows[1];
  upsert.mutable_observation()->set_value(351);
  ASSERT_TRUE(domain_->Upsert(upsert, &sequence).ok());
  EXPECT_EQ(sequence, 3);
  // A write that changed nothing and a replay: the latest sequence.
  sequence = -1;
  ASSERT_TRUE(domain_->Upsert(upsert, &sequence).ok());
  EXPECT_EQ(sequence, 3);
  sequence = -1;
  ASSERT_TRUE(domain_->Import("ukr", rows, &sequence).ok());
  EXPECT_EQ(sequence, 3);

  v1::CreateIndicatorRequest create;
  create.mutable_indicator()->set_code("SHELTERS");
  create.mutable_indicator()->set_display_name("Shelters");
  create.mutable_indicator()->set_unit("shelters");
  ASSERT_TRUE(domain_->CreateIndicator(create, &sequence).ok());
  EXPECT_EQ(sequence, 4);
  auto changes = store_->Changes().ReadChanges(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 4u);
  EXPECT_EQ((*changes)[2].resource, EnforcementDomain::NameOf(rows[1]));
  EXPECT_EQ((*changes)[2].revision, 2);
  EXPECT_EQ((*changes)[3].resource, "indicators/SHELTERS");
}

TEST_F(EnforcementDomainTest, AReplayAnswersBeforeItsRowsAreCheckedAgain) {
  std::vector<v1::Observation> rows = {
      Figure("countries/UKR", "OFFENCES_REGISTERED", "2007", 350, 25)};
  ASSERT_TRUE(Load(rows, "ukr-2007").ok());
  // Another request under the id is refused on request_id, whatever its
  // rows (idempotent_write.h: the key is checked first).
  rows[0].set_indicator("CASES_GUESSED");
  EXPECT_THAT(ViolatedFields(Load(rows, "ukr-2007").status()),
              ElementsAre("request_id"));
}

TEST_F(EnforcementDomainTest, AnImportRepeatingASeriesKeyWritesNothing) {
  auto result =
      Load({Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32),
            Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 67),
            Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 33)});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(result.status()), ElementsAre("observations[2]"));
  EXPECT_THAT(result.status().message(), HasSubstr("observations[0]"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(EnforcementDomainTest, AnObservationTooLargeAsStoredIsRefused) {
  v1::Observation near =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 1);
  PadWithSources(
      near.mutable_sources(), [&near] { return near.ByteSizeLong(); },
      kMaxRecordBytes - 200);
  auto stored = UpsertIn(*domain_, near);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_LE(stored->ByteSizeLong(), kMaxRecordBytes);

  // At the limit as sent: its name, revision and time make it too large.
  v1::Observation over =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 1);
  PadWithSources(
      over.mutable_sources(), [&over] { return over.ByteSizeLong(); },
      kMaxRecordBytes);
  auto refused = Load({over});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("observations[0]"));
  EXPECT_EQ(Count(), 1);
}

// Within the limit with its name, over it once the store adds its revision
// and update time: refused, not stored too large.
TEST_F(EnforcementDomainTest, ARowIsMeasuredWithWhatTheStoreAdds) {
  auto first = Load({Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 1)});
  ASSERT_TRUE(first.ok()) << first.status();
  v1::ListObservationsRequest list;
  list.set_parent("countries/SLV");
  auto listed = domain_->List(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->observations_size(), 1);
  const std::string name = listed->observations(0).name();
  v1::Observation near =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 2);
  auto named_bytes = [&near, &name] {
    v1::Observation named = near;
    named.set_name(name);
    return named.ByteSizeLong();
  };
  PadWithSources(near.mutable_sources(), named_bytes, kMaxRecordBytes - 5);
  auto refused = Load({near});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("observations[0]"));
}

}  // namespace
}  // namespace palermo::enforcement
