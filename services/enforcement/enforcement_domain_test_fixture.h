// The fixture the enforcement domain's tests share: a domain on a real
// SQLite store in a temporary directory, without a server, and helpers that
// build and load observations.
#ifndef PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_DOMAIN_TEST_FIXTURE_H_
#define PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_DOMAIN_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/common/periods.h"
#include "services/common/test_support.h"
#include "services/enforcement/enforcement_domain.h"
#include "services/enforcement/sqlite_enforcement_store.h"

namespace palermo::enforcement {

inline v1::Observation Figure(const std::string& entity,
                              const std::string& indicator, const char* period,
                              std::optional<int64_t> value,
                              int paragraph = 14) {
  v1::Observation o;
  o.set_entity(entity);
  o.set_indicator(indicator);
  *o.mutable_period() = *ParseTimePeriod(period);
  if (value) o.set_value(*value);
  auto* s = o.add_sources();
  s->set_document_symbol("E/CN.15/2008/6");
  s->set_paragraph(paragraph);
  return o;
}

class EnforcementDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    auto store = SqliteEnforcementStore::Open((dir_ / "e.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    domain_ = std::make_unique<EnforcementDomain>(*store_, TestEntities(),
                                                  [this] { return now_; });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  absl::StatusOr<v1::ImportObservationsResponse> Load(
      std::vector<v1::Observation> rows, const std::string& request_id = "") {
    return domain_->Import(request_id, std::move(rows));
  }

  void LoadElSalvadorAndCroatia() {
    auto r = Load({
        Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32),
        Figure("countries/SLV", "PERSONS_ARRESTED", "2005", 53),
        Figure("countries/SLV", "PERSONS_PROSECUTED", "2005", 18),
        Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 67),
        Figure("countries/SLV", "PERSONS_PROSECUTED", "2006", 37),
        Figure("countries/SLV", "CASES_INVESTIGATED", "2007", 39),
        Figure("countries/HRV", "VICTIMS_IDENTIFIED", "2002/2007-01", 65, 12),
        Figure("countries/HRV", "VICTIMS_IDENTIFIED", "2005", 6, 12),
        Figure("countries/HRV", "VICTIMS_IDENTIFIED", "2006", 13, 12),
        Figure("countries/HRV", "VICTIMS_IDENTIFIED", "2007", 11, 12),
    });
    ASSERT_TRUE(r.ok()) << r.status();
  }

  int Count() {
    v1::ListObservationsRequest request;
    request.set_parent("-");
    request.set_page_size(500);
    auto list = domain_->List(request);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? list->observations_size() : -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteEnforcementStore> store_;
  std::unique_ptr<EnforcementDomain> domain_;
  absl::Time now_ = absl::FromUnixSeconds(1200000000);
};

inline absl::StatusOr<v1::Observation> UpsertIn(EnforcementDomain& domain,
                                                v1::Observation o) {
  v1::UpsertObservationRequest request;
  *request.mutable_observation() = std::move(o);
  return domain.Upsert(request);
}

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_DOMAIN_TEST_FIXTURE_H_
