// The audit log contract suite (audit_log_contract.h).
#include "services/common/audit_log_contract.h"

#include <gmock/gmock.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

namespace palermo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Le;

AuditEntry Entry(const std::string& resource, int code = 0) {
  AuditEntry e;
  e.method = "/palermo.legislation.v1.LegislationService/UpdateLegislation";
  e.principal = "alice";
  e.role = "analyst";
  e.resource = resource;
  e.code = code;
  e.message = code == 0 ? "" : "refused";
  e.time = absl::FromUnixMicros(1700000000123456);
  return e;
}

int64_t MustAppend(AuditLog& log, const AuditEntry& entry) {
  absl::StatusOr<int64_t> sequence = log.Append(entry);
  EXPECT_TRUE(sequence.ok()) << sequence.status();
  return sequence.ok() ? *sequence : -1;
}

std::vector<AuditEntry> MustList(AuditLog& log, int64_t before, int limit) {
  absl::StatusOr<std::vector<AuditEntry>> listed = log.List(before, limit);
  EXPECT_TRUE(listed.ok()) << listed.status();
  return listed.ok() ? *listed : std::vector<AuditEntry>{};
}

std::vector<int64_t> Sequences(const std::vector<AuditEntry>& entries) {
  std::vector<int64_t> out;
  for (const AuditEntry& e : entries) out.push_back(e.sequence);
  return out;
}

std::vector<std::string> Resources(const std::vector<AuditEntry>& entries) {
  std::vector<std::string> out;
  for (const AuditEntry& e : entries) out.push_back(e.resource);
  return out;
}

}  // namespace

void AuditLogContract::SetUp() {
  under_test_ = GetParam().make();
  ASSERT_NE(under_test_.log, nullptr);
  log_ = under_test_.log.get();
}

TEST_P(AuditLogContract, EmptyLogListsNothing) {
  EXPECT_THAT(MustList(*log_, 0, 10), ElementsAre());
}

TEST_P(AuditLogContract, SequencesStartAtOneWithoutGaps) {
  EXPECT_EQ(MustAppend(*log_, Entry("a")), 1);
  EXPECT_EQ(MustAppend(*log_, Entry("b")), 2);
  EXPECT_EQ(MustAppend(*log_, Entry("c")), 3);
}

TEST_P(AuditLogContract, KeepsEveryField) {
  AuditEntry refused = Entry("legislations/EST", 7);
  refused.principal = "focal-point@est";
  refused.role = "focal_point";
  refused.message = "focal point of countries/EST may not write countries/LVA";
  refused.time = absl::FromUnixMicros(1712345678901234);
  MustAppend(*log_, refused);
  std::vector<AuditEntry> listed = MustList(*log_, 0, 10);
  ASSERT_EQ(listed.size(), 1u);
  const AuditEntry& got = listed[0];
  EXPECT_EQ(got.sequence, 1);
  EXPECT_EQ(got.method, refused.method);
  EXPECT_EQ(got.principal, "focal-point@est");
  EXPECT_EQ(got.role, "focal_point");
  EXPECT_EQ(got.resource, "legislations/EST");
  EXPECT_EQ(got.code, 7);
  EXPECT_EQ(got.message, refused.message);
  EXPECT_EQ(got.time, refused.time);
}

TEST_P(AuditLogContract, KeepsEmptyAndUnicodeValues) {
  AuditEntry e = Entry("");
  e.role = "";
  e.principal = "Zoë Łukasiewicz";
  MustAppend(*log_, e);
  std::vector<AuditEntry> listed = MustList(*log_, 0, 1);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].resource, "");
  EXPECT_EQ(listed[0].role, "");
  EXPECT_EQ(listed[0].principal, "Zoë Łukasiewicz");
}

TEST_P(AuditLogContract, ListsNewestFirstInPages) {
  for (int i = 1; i <= 5; ++i) MustAppend(*log_, Entry(absl::StrCat("r", i)));
  std::vector<AuditEntry> first = MustList(*log_, 0, 2);
  EXPECT_THAT(Sequences(first), ElementsAre(5, 4));
  EXPECT_THAT(Resources(first), ElementsAre("r5", "r4"));
  std::vector<AuditEntry> second = MustList(*log_, first.back().sequence, 2);
  EXPECT_THAT(Sequences(second), ElementsAre(3, 2));
  std::vector<AuditEntry> third = MustList(*log_, second.back().sequence, 2);
  EXPECT_THAT(Sequences(third), ElementsAre(1));
  EXPECT_THAT(MustList(*log_, third.back().sequence, 2), ElementsAre());
  EXPECT_THAT(MustList(*log_, 0, 0), ElementsAre());
}

TEST_P(AuditLogContract, AbbreviatesLongValues) {
  AuditEntry e = Entry(std::string(100000, 'x'), 3);
  e.principal = std::string(5000, 'p');
  e.message = std::string(200000, 'm');
  MustAppend(*log_, e);
  std::vector<AuditEntry> listed = MustList(*log_, 0, 1);
  ASSERT_EQ(listed.size(), 1u);
  // Abbreviate keeps the first bytes and says how long the value was.
  EXPECT_THAT(listed[0].resource.size(), Le(kMaxAuditValueBytes + 32));
  EXPECT_THAT(listed[0].resource, HasSubstr("(100000 bytes)"));
  EXPECT_THAT(listed[0].principal.size(), Le(kMaxAuditValueBytes + 32));
  EXPECT_THAT(listed[0].message.size(), Le(kMaxAuditMessageBytes + 32));
  EXPECT_THAT(listed[0].message, HasSubstr("(200000 bytes)"));
}

TEST_P(AuditLogContract, SurvivesReopen) {
  MustAppend(*log_, Entry("before-1"));
  MustAppend(*log_, Entry("before-2"));
  under_test_.log.reset();
  std::unique_ptr<AuditLog> reopened = under_test_.reopen();
  ASSERT_NE(reopened, nullptr);
  EXPECT_THAT(Resources(MustList(*reopened, 0, 10)),
              ElementsAre("before-2", "before-1"));
  EXPECT_EQ(MustAppend(*reopened, Entry("after")), 3);
}

TEST_P(AuditLogContract, UpdateThroughSqlIsRefused) {
  MustAppend(*log_, Entry("legislations/EST", 7));
  absl::Status update = under_test_.exec(
      "UPDATE audit_records SET code = 0, message = '' WHERE sequence = 1");
  EXPECT_FALSE(update.ok());
  EXPECT_THAT(std::string(update.message()), HasSubstr("append-only"));
  std::vector<AuditEntry> listed = MustList(*log_, 0, 10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].code, 7);
  EXPECT_EQ(listed[0].message, "refused");
}

TEST_P(AuditLogContract, DeleteThroughSqlIsRefused) {
  MustAppend(*log_, Entry("a"));
  MustAppend(*log_, Entry("b"));
  absl::Status one =
      under_test_.exec("DELETE FROM audit_records WHERE sequence = 1");
  EXPECT_FALSE(one.ok());
  EXPECT_THAT(std::string(one.message()), HasSubstr("append-only"));
  absl::Status all = under_test_.exec("DELETE FROM audit_records");
  EXPECT_FALSE(all.ok());
  EXPECT_THAT(Resources(MustList(*log_, 0, 10)), ElementsAre("b", "a"));
}

TEST_P(AuditLogContract, ConcurrentAppendsGetDistinctContiguousSequences) {
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> got(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        absl::StatusOr<int64_t> s =
            log_->Append(Entry(absl::StrCat("t", t, "-", i)));
        got[t].push_back(s.ok() ? *s : -1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<int64_t> all;
  for (const auto& v : got) {
    // Each appender sees its own appends in increasing order.
    for (size_t i = 1; i < v.size(); ++i) EXPECT_LT(v[i - 1], v[i]);
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<int64_t> expected;
  for (int i = 1; i <= kThreads * kEach; ++i) expected.push_back(i);
  EXPECT_EQ(all, expected);
  std::vector<AuditEntry> listed = MustList(*log_, 0, 1000);
  ASSERT_EQ(listed.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(listed.front().sequence, kThreads * kEach);
  EXPECT_EQ(listed.back().sequence, 1);
}

}  // namespace palermo
