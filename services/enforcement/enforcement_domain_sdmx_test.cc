// SDMX-CSV import and export through the enforcement domain,
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

TEST_F(EnforcementDomainTest, SdmxCsvExportThenImportIsLossless) {
  LoadElSalvadorAndCroatia();
  std::string csv;
  ASSERT_TRUE(domain_
                  ->ExportSdmxCsv({},
                                  [&csv](std::string chunk) {
                                    csv += chunk;
                                    return true;
                                  })
                  .ok());
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 11);

  // Into a second, empty installation.
  auto other_store = SqliteEnforcementStore::Open((dir_ / "other.db").string());
  ASSERT_TRUE(other_store.ok());
  EnforcementDomain other(**other_store, TestEntities(),
                          [this] { return now_; });
  v1::ImportSdmxCsvRequest import;
  import.set_csv(csv);
  import.set_request_id("sdmx-1");
  int64_t sequence = -1;
  auto imported = other.ImportSdmxCsv(import, &sequence);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->created(), 10);
  EXPECT_EQ(sequence, 10);  // its last change, one per observation
  sequence = -1;
  ASSERT_TRUE(other.ImportSdmxCsv(import, &sequence).ok());  // a replay
  EXPECT_EQ(sequence, 10);
  std::string again;
  ASSERT_TRUE(other
                  .ExportSdmxCsv({},
                                 [&again](std::string chunk) {
                                   again += chunk;
                                   return true;
                                 })
                  .ok());
  EXPECT_EQ(again, csv);
}

TEST_F(EnforcementDomainTest, SdmxCsvDeletionsAreRefusedNotInserted) {
  std::string deletion =
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 67));
  const std::string insert = absl::StrCat(",", kSdmxStructureId, ",I,");
  ASSERT_NE(deletion.find(insert), std::string::npos);
  deletion.replace(deletion.find(insert), insert.size(),
                   absl::StrCat(",", kSdmxStructureId, ",D,"));
  v1::ImportSdmxCsvRequest request;
  request.set_csv(absl::StrCat(
      SdmxCsvHeader(),
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32)),
      deletion));
  auto result = domain_->ImportSdmxCsv(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(result.status()), ElementsAre("rows[2].ACTION"));
  EXPECT_EQ(Count(), 0);
}

// A row is named by its row number in the CSV, and rows that parse are
// validated even when others do not, so every problem comes at once.
TEST_F(EnforcementDomainTest, SdmxCsvProblemsNameTheirRowAllAtOnce) {
  std::string deletion =
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 67));
  const std::string insert = absl::StrCat(",", kSdmxStructureId, ",I,");
  ASSERT_NE(deletion.find(insert), std::string::npos);
  deletion.replace(deletion.find(insert), insert.size(),
                   absl::StrCat(",", kSdmxStructureId, ",D,"));
  const std::string negative =
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2007", -5));
  v1::ImportSdmxCsvRequest request;
  request.set_csv(absl::StrCat(
      SdmxCsvHeader(),
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32)),
      deletion, negative));
  auto both = domain_->ImportSdmxCsv(request);
  EXPECT_THAT(ViolatedFields(both.status()),
              ElementsAre("rows[2].ACTION", "rows[3].value"));
  // Without a parse error, the same rule names the same CSV row.
  request.set_csv(absl::StrCat(
      SdmxCsvHeader(),
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32)),
      negative));
  auto one = domain_->ImportSdmxCsv(request);
  EXPECT_THAT(ViolatedFields(one.status()), ElementsAre("rows[2].value"));
  EXPECT_EQ(Count(), 0);
}

}  // namespace
}  // namespace palermo::enforcement
