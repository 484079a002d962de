// Two replicas of each service with a store on one PostgreSQL database, as
// real processes, written through both at once:
//  - no lost update: read-modify-write loops guarded by the etag (a stale
//    etag is ABORTED, and the writer reads again) each add one item to a
//    shared resource; every acknowledged item is there at the end and its
//    revision advanced once per acknowledged write. Enforcement, whose
//    observations are versioned by batch rather than guarded by an etag:
//    concurrent upserts of one observation and concurrent import batches,
//    every version kept, commit times strictly ordered;
//  - no duplicate write for one request id: the same create sent to both
//    replicas at the same moment writes one resource with one CREATED
//    change, and both replicas answer the same bytes;
//  - revisions in one order: a watch from sequence 0 on each replica (one
//    opened before the writes, one after) sees the same changes in the same
//    order, sequences 1..N without a gap, each resource's revisions rising
//    with the sequence, N the writes that changed something; a write's
//    answer that names a sequence (palermo-change-sequence) names one at
//    least as fresh as its change.
#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"
#include "services/common/client_call.h"
#include "services/common/entities.h"
#include "services/common/periods.h"
#include "tests/support/postgres_for_test.h"
#include "tests/support/service_process.h"
#include "tests/support/watcher.h"

namespace palermo {
namespace {

namespace av1 = assistance::v1;
namespace cv1 = coordination::v1;
namespace ev1 = enforcement::v1;
namespace lv1 = legislation::v1;
namespace rv1 = reporting::v1;
using common::v1::Change;
using common::v1::WatchChangesRequest;
using google::protobuf::util::TimeUtil;
using test::Context;
using test::MakeTempDir;
using test::ServiceProcess;
using test::Watcher;
using ::testing::StartsWith;

constexpr int kReplicas = 2;
// Writer threads of the read-modify-write phase, half on each replica, and
// the items each adds.
constexpr int kWriters = 4;
constexpr int kItemsPerWriter = 10;
// Attempts of one read-modify-write before the test gives up (a livelock).
constexpr int kMaxAttempts = 200;
// Request ids each sent to both replicas at once, kIdsAtOnce at a time.
constexpr int kDuplicatedIds = 24;
constexpr int kIdsAtOnce = 4;
// How long a watch may stay silent before the test calls it stalled.
constexpr absl::Duration kWatchStall = absl::Seconds(10);

// Two processes of one service on `dsn` (one schema), each with its own
// data folder, started at the same time: their migrations and seeds race
// too. Each is started, and stopped, by a thread of its own that lives as
// long as the process (its death signal follows the thread that forked it:
// service_process.cc).
class Replicas {
 public:
  Replicas(const std::string& binary, const std::string& dsn) {
    for (int r = 0; r < kReplicas; ++r) {
      threads_.emplace_back([this, r, binary, dsn] {
        auto process = ServiceProcess::Start(
            binary, {"--store=postgres", "--postgres_dsn=" + dsn,
                     "--data_dir=" + MakeTempDir()});
        status_[r] = process.status();
        if (process.ok()) processes_[r] = *std::move(process);
        started_[r].Notify();
        stop_.WaitForNotification();
        processes_[r].reset();
      });
    }
    for (int r = 0; r < kReplicas; ++r) started_[r].WaitForNotification();
  }
  ~Replicas() {
    stop_.Notify();
    for (std::thread& t : threads_) t.join();
  }

  // Whether both started; else why not.
  absl::Status status() const {
    for (int r = 0; r < kReplicas; ++r) {
      if (!status_[r].ok()) {
        return absl::Status(
            status_[r].code(),
            absl::StrCat("replica ", r, ": ", status_[r].message()));
      }
    }
    return absl::OkStatus();
  }
  const ServiceProcess& operator[](int r) const { return *processes_[r]; }

 private:
  absl::Status status_[kReplicas];
  std::unique_ptr<ServiceProcess> processes_[kReplicas];
  absl::Notification started_[kReplicas];
  absl::Notification stop_;
  std::vector<std::thread> threads_;
};

template <typename Service>
std::vector<std::unique_ptr<typename Service::Stub>> StubsOf(
    const Replicas& replicas) {
  std::vector<std::unique_ptr<typename Service::Stub>> stubs;
  for (int r = 0; r < kReplicas; ++r) {
    stubs.push_back(Service::NewStub(replicas[r].Channel()));
  }
  return stubs;
}

// One write's outcome as the client saw it.
struct Written {
  grpc::Status status;
  std::string answer;  // the response, serialized
  std::string name;
  std::string etag;
  int64_t sequence = -1;  // palermo-change-sequence; -1 if not sent
};

template <typename Resource>
std::string EtagOf(const Resource& resource) {
  return resource.etag();
}
// Observations have revisions, no etag.
std::string EtagOf(const ev1::Observation&) { return ""; }

template <typename Stub, typename Request, typename Response>
Written Call(Stub& stub,
             grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                          Response*),
             const Request& request) {
  auto context = Context();
  Response response;
  Written out;
  out.status = (stub.*method)(context.get(), request, &response);
  out.answer = response.SerializeAsString();
  out.name = response.name();
  out.etag = EtagOf(response);
  out.sequence = ChangeSequenceOf(*context).value_or(-1);
  return out;
}

// The shared resource as read: its etag and its items.
struct Snapshot {
  std::string etag;
  std::vector<std::string> items;
};

// How the test drives one etag-guarded service: creates, a read and a
// guarded update of the shared resource, watches. `replica` is 0 or 1.
struct Driver {
  // Resource ids: the shared one, then kDuplicatedIds for the creates.
  std::vector<std::string> ids;
  std::function<Written(int replica, const std::string& id,
                        const std::string& request_id)>
      create;
  std::function<absl::StatusOr<Snapshot>(int replica, const std::string& name)>
      read;
  // Replaces the items, guarded by `next.etag`.
  std::function<Written(int replica, const std::string& name,
                        const Snapshot& next)>
      update;
  std::function<std::unique_ptr<Watcher>(int replica,
                                         const WatchChangesRequest&)>
      watch;
};

std::vector<std::string> NumberedIds(const std::string& prefix) {
  std::vector<std::string> ids = {prefix + "-shared"};
  for (int i = 0; i < kDuplicatedIds; ++i) {
    ids.push_back(absl::StrCat(prefix, "-", i));
  }
  return ids;
}

common::v1::Provenance Source(const std::string& symbol) {
  common::v1::Provenance source;
  source.set_document_symbol(symbol);
  source.set_paragraph(1);
  return source;
}

// The items of a resource with sources: their document symbols.
template <typename Resource>
absl::StatusOr<Snapshot> SourcesOf(const grpc::Status& status,
                                   const Resource& resource) {
  if (!status.ok()) return FromGrpcStatus(status);
  Snapshot snapshot{resource.etag(), {}};
  for (const auto& s : resource.sources()) {
    snapshot.items.push_back(s.document_symbol());
  }
  return snapshot;
}

template <typename Resource>
void SetSources(const Snapshot& next, Resource& resource) {
  resource.set_etag(next.etag);
  resource.clear_sources();
  for (const std::string& item : next.items) {
    *resource.add_sources() = Source(item);
  }
}

template <typename Stub>
std::function<std::unique_ptr<Watcher>(int, const WatchChangesRequest&)>
WatchOn(std::shared_ptr<std::vector<std::unique_ptr<Stub>>> stubs) {
  return [stubs](int replica, const WatchChangesRequest& request) {
    return std::make_unique<Watcher>(*(*stubs)[replica], request);
  };
}

Driver CoordinationDriver(const Replicas& replicas) {
  using Stub = cv1::CoordinationService::Stub;
  auto stubs = std::make_shared<std::vector<std::unique_ptr<Stub>>>(
      StubsOf<cv1::CoordinationService>(replicas));
  Driver d;
  d.ids = NumberedIds("body");
  d.create = [stubs](int r, const std::string& id, const std::string& rid) {
    cv1::CreateCoordinationBodyRequest request;
    request.set_parent("countries/CZE");
    request.set_coordination_body_id(id);
    request.set_request_id(rid);
    auto* body = request.mutable_coordination_body();
    body->set_display_name("National rapporteur " + id);
    body->set_kind(cv1::BODY_KIND_NATIONAL_RAPPORTEUR);
    *body->add_sources() = Source("E/CN.15/2008/6");
    return Call(*(*stubs)[r], &Stub::CreateCoordinationBody, request);
  };
  d.read = [stubs](int r, const std::string& name) {
    cv1::GetCoordinationBodyRequest request;
    request.set_name(name);
    cv1::CoordinationBody body;
    grpc::Status status =
        (*stubs)[r]->GetCoordinationBody(Context().get(), request, &body);
    return SourcesOf(status, body);
  };
  d.update = [stubs](int r, const std::string& name, const Snapshot& next) {
    cv1::UpdateCoordinationBodyRequest request;
    request.mutable_coordination_body()->set_name(name);
    SetSources(next, *request.mutable_coordination_body());
    request.mutable_update_mask()->add_paths("sources");
    return Call(*(*stubs)[r], &Stub::UpdateCoordinationBody, request);
  };
  d.watch = WatchOn(stubs);
  return d;
}

Driver AssistanceDriver(const Replicas& replicas) {
  using Stub = av1::AssistanceService::Stub;
  auto stubs = std::make_shared<std::vector<std::unique_ptr<Stub>>>(
      StubsOf<av1::AssistanceService>(replicas));
  Driver d;
  d.ids = NumberedIds("shelter");
  d.create = [stubs](int r, const std::string& id, const std::string& rid) {
    av1::CreateMeasureRequest request;
    request.set_parent("countries/ROU");
    request.set_measure_id(id);
    request.set_request_id(rid);
    request.mutable_measure()->set_measure_type("SHELTER");
    *request.mutable_measure()->add_sources() = Source("E/CN.15/2008/6");
    return Call(*(*stubs)[r], &Stub::CreateMeasure, request);
  };
  d.read = [stubs](int r, const std::string& name) {
    av1::GetMeasureRequest request;
    request.set_name(name);
    av1::Measure measure;
    grpc::Status status =
        (*stubs)[r]->GetMeasure(Context().get(), request, &measure);
    return SourcesOf(status, measure);
  };
  d.update = [stubs](int r, const std::string& name, const Snapshot& next) {
    av1::UpdateMeasureRequest request;
    request.mutable_measure()->set_name(name);
    SetSources(next, *request.mutable_measure());
    request.mutable_update_mask()->add_paths("sources");
    return Call(*(*stubs)[r], &Stub::UpdateMeasure, request);
  };
  d.watch = WatchOn(stubs);
  return d;
}

Driver ReportingDriver(const Replicas& replicas) {
  using Stub = rv1::ReportingService::Stub;
  auto stubs = std::make_shared<std::vector<std::unique_ptr<Stub>>>(
      StubsOf<rv1::ReportingService>(replicas));
  Driver d;
  d.ids = NumberedIds("cycle");
  d.create = [stubs](int r, const std::string& id, const std::string& rid) {
    rv1::CreateCycleRequest request;
    request.set_cycle_id(id);
    request.set_request_id(rid);
    auto* c = request.mutable_cycle();
    c->mutable_mandate()->set_resolution_symbol("2008/33");
    auto* title = c->mutable_mandate()->add_title();
    title->set_language("en");
    title->set_text("Strengthening cooperation");
    auto* date = c->mutable_note_verbale_date();
    date->set_year(2008);
    date->set_month(10);
    date->set_day(1);
    date->set_precision(common::v1::DATE_PRECISION_DAY);
    c->set_status(rv1::CYCLE_STATUS_OPEN);
    c->set_document_symbol("E/CN.15/2009/X");
    c->set_original_language("en");
    *c->add_sources() = Source("E/CN.15/2008/6");
    return Call(*(*stubs)[r], &Stub::CreateCycle, request);
  };
  d.read = [stubs](int r, const std::string& name) {
    rv1::GetCycleRequest request;
    request.set_name(name);
    rv1::Cycle cycle;
    grpc::Status status =
        (*stubs)[r]->GetCycle(Context().get(), request, &cycle);
    return SourcesOf(status, cycle);
  };
  d.update = [stubs](int r, const std::string& name, const Snapshot& next) {
    rv1::UpdateCycleRequest request;
    request.mutable_cycle()->set_name(name);
    SetSources(next, *request.mutable_cycle());
    request.mutable_update_mask()->add_paths("sources");
    return Call(*(*stubs)[r], &Stub::UpdateCycle, request);
  };
  d.watch = WatchOn(stubs);
  return d;
}

// Legislation is a singleton per entity: the ids are country codes, and the
// items the associated offences.
Driver LegislationDriver(const Replicas& replicas) {
  using Stub = lv1::LegislationService::Stub;
  auto stubs = std::make_shared<std::vector<std::unique_ptr<Stub>>>(
      StubsOf<lv1::LegislationService>(replicas));
  Driver d;
  absl::StatusOr<EntityRegistry> entities = EntityRegistry::LoadDefault();
  EXPECT_TRUE(entities.ok()) << entities.status();
  if (entities.ok()) {
    for (const std::string& code : entities->CountryCodes()) {
      if (d.ids.size() == kDuplicatedIds + 1) break;
      d.ids.push_back(code);
    }
  }
  EXPECT_EQ(d.ids.size(), kDuplicatedIds + 1);
  d.create = [stubs](int r, const std::string& code, const std::string& rid) {
    lv1::CreateLegislationRequest request;
    request.set_parent("countries/" + code);
    request.set_request_id(rid);
    auto* protocol = request.mutable_legislation()->mutable_protocol();
    protocol->set_status(lv1::TREATY_STATUS_RATIFIED);
    *protocol->add_sources() = Source("E/CN.15/2008/6");
    return Call(*(*stubs)[r], &Stub::CreateLegislation, request);
  };
  d.read = [stubs](int r, const std::string& name) -> absl::StatusOr<Snapshot> {
    lv1::GetLegislationRequest request;
    request.set_name(name);
    lv1::Legislation l;
    grpc::Status status =
        (*stubs)[r]->GetLegislation(Context().get(), request, &l);
    if (!status.ok()) return FromGrpcStatus(status);
    const auto& offences = l.associated_offences().offences();
    return Snapshot{l.etag(), {offences.begin(), offences.end()}};
  };
  d.update = [stubs](int r, const std::string& name, const Snapshot& next) {
    lv1::UpdateLegislationRequest request;
    request.mutable_legislation()->set_name(name);
    request.mutable_legislation()->set_etag(next.etag);
    auto* offences =
        request.mutable_legislation()->mutable_associated_offences();
    for (const std::string& item : next.items) offences->add_offences(item);
    *offences->add_sources() = Source("E/CN.15/2008/6");
    request.mutable_update_mask()->add_paths("associated_offences");
    return Call(*(*stubs)[r], &Stub::UpdateLegislation, request);
  };
  d.watch = WatchOn(stubs);
  return d;
}

// ---- The feed ----

WatchChangesRequest FromStart() {
  WatchChangesRequest request;
  request.set_after_sequence(0);
  *request.mutable_heartbeat_interval() = TimeUtil::MillisecondsToDuration(100);
  return request;
}

// The latest committed sequence, from a watch's first heartbeat.
int64_t Latest(const std::function<std::unique_ptr<Watcher>(
                   int, const WatchChangesRequest&)>& watch,
               int replica) {
  WatchChangesRequest request;
  request.set_from_latest(true);
  std::unique_ptr<Watcher> watcher = watch(replica, request);
  auto first = watcher->Next(kWatchStall);
  EXPECT_TRUE(first.has_value() && first->has_heartbeat())
      << "replica " << replica;
  return first.has_value() ? first->heartbeat().current_sequence() : -1;
}

// The changes a watch streams up to sequence `last`; then nothing more (its
// next event is a heartbeat at `last`).
std::vector<Change> ChangesUpTo(Watcher& watcher, int64_t last,
                                const std::string& what) {
  std::vector<Change> changes;
  while (changes.empty() || changes.back().sequence() < last) {
    std::optional<Change> change = watcher.NextChange(kWatchStall);
    if (!change.has_value()) {
      ADD_FAILURE() << what << ": the watch stalled or ended after "
                    << changes.size() << " changes, waiting for " << last;
      return changes;
    }
    changes.push_back(*change);
  }
  auto next = watcher.Next(kWatchStall);
  EXPECT_TRUE(next.has_value() && next->has_heartbeat() &&
              next->heartbeat().current_sequence() == last)
      << what << ": after " << last << ": "
      << (next.has_value() ? next->DebugString() : "nothing");
  return changes;
}

std::string Describe(const Change& c) {
  return absl::StrCat(c.sequence(), " ", c.resource(), " r", c.revision(), " ",
                      common::v1::ChangeType_Name(c.type()), " ",
                      TimeUtil::ToString(c.commit_time()));
}

// The whole feed, from sequence 0 to `last`, as every watch must see it:
// the live watches opened before the writes and fresh ones opened now, on
// both replicas, see the same changes in the same order; sequences 1..last
// without a gap; each resource's revisions 1, 2, ... rising with the
// sequence, CREATED first and UPDATED after.
std::vector<Change> ExpectOneFeed(std::vector<std::unique_ptr<Watcher>>& live,
                                  const std::function<std::unique_ptr<Watcher>(
                                      int, const WatchChangesRequest&)>& watch,
                                  int64_t last) {
  for (int r = 0; r < kReplicas; ++r) {
    EXPECT_EQ(Latest(watch, r), last) << "replica " << r;
  }
  std::vector<std::vector<std::string>> seen;
  std::vector<Change> feed;
  for (int r = 0; r < kReplicas; ++r) {
    std::vector<Change> changes =
        ChangesUpTo(*live[r], last, absl::StrCat("live watch on replica ", r));
    if (r == 0) feed = changes;
    seen.emplace_back();
    for (const Change& c : changes) seen.back().push_back(Describe(c));
    std::unique_ptr<Watcher> fresh = watch(r, FromStart());
    seen.emplace_back();
    for (const Change& c :
         ChangesUpTo(*fresh, last, absl::StrCat("new watch on replica ", r))) {
      seen.back().push_back(Describe(c));
    }
  }
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], seen[0]) << "watch " << i << " differs from watch 0";
  }
  std::map<std::string, int64_t> revision;
  for (size_t i = 0; i < feed.size(); ++i) {
    const Change& c = feed[i];
    EXPECT_EQ(c.sequence(), static_cast<int64_t>(i) + 1) << Describe(c);
    int64_t& previous = revision[c.resource()];
    EXPECT_EQ(c.revision(), previous + 1) << Describe(c);
    EXPECT_EQ(c.type(), c.revision() == 1 ? common::v1::CHANGE_TYPE_CREATED
                                          : common::v1::CHANGE_TYPE_UPDATED)
        << Describe(c);
    previous = c.revision();
  }
  return feed;
}

// The changes of the feed to `resource`, in order.
std::vector<Change> ChangesOf(const std::vector<Change>& feed,
                              const std::string& resource) {
  std::vector<Change> out;
  for (const Change& c : feed) {
    if (c.resource() == resource) out.push_back(c);
  }
  return out;
}

// The sequence of `resource`'s change to `revision` in `feed`; 0 if none.
int64_t SequenceOf(const std::vector<Change>& feed, const std::string& resource,
                   int64_t revision) {
  for (const Change& c : feed) {
    if (c.resource() == resource && c.revision() == revision) {
      return c.sequence();
    }
  }
  ADD_FAILURE() << resource << " r" << revision << " is not in the feed";
  return 0;
}

// A write's answer that names a sequence (palermo-change-sequence) names
// one at least as fresh as the write's own change `own` (a reader asked for
// data that fresh sees the write), and committed (at most `last`). Answers
// that name none are counted in `untold`.
void ExpectFreshTrailer(int64_t told, int64_t own, int64_t last, int& untold) {
  if (told < 0) {
    ++untold;
    return;
  }
  EXPECT_GE(told, own);
  EXPECT_LE(told, last);
}

// ---- The etag-guarded services ----

std::string Etag(int64_t revision) { return absl::StrCat("r", revision); }

void ExpectReplicasAgree(const std::string& binary,
                         const std::function<Driver(const Replicas&)>& make) {
  const absl::Time began = absl::Now();
  absl::StatusOr<std::string> dsn = test::FreshPostgresDatabase();
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  Replicas replicas(binary, *dsn);
  ASSERT_TRUE(replicas.status().ok()) << replicas.status();
  Driver d = make(replicas);
  ASSERT_EQ(d.ids.size(), kDuplicatedIds + 1);
  if (::testing::Test::HasFailure()) return;

  // Watches from sequence 0 on both replicas, open during every write.
  std::vector<std::unique_ptr<Watcher>> live;
  for (int r = 0; r < kReplicas; ++r) live.push_back(d.watch(r, FromStart()));
  // What the services wrote at start (seeds), the same on both.
  const int64_t base = Latest(d.watch, 0);
  EXPECT_EQ(Latest(d.watch, 1), base);

  // 1. No lost update.
  const Written shared = d.create(0, d.ids[0], "");
  ASSERT_TRUE(shared.status.ok()) << shared.status.error_message();
  EXPECT_EQ(shared.etag, Etag(1));
  absl::StatusOr<Snapshot> initial = d.read(1, shared.name);
  ASSERT_TRUE(initial.ok()) << initial.status();
  std::mutex mu;
  std::vector<std::string> acked_items;
  std::vector<Written> acked;
  int conflicts = 0;
  {
    absl::Barrier* start = new absl::Barrier(kWriters);
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
      writers.emplace_back([&, t] {
        const int replica = t % kReplicas;
        if (start->Block()) delete start;
        for (int j = 0; j < kItemsPerWriter; ++j) {
          const std::string item = absl::StrCat("T/", t, "/", j);
          bool written = false;
          for (int attempt = 0; attempt < kMaxAttempts && !written; ++attempt) {
            absl::StatusOr<Snapshot> read = d.read(replica, shared.name);
            if (!read.ok()) {
              ADD_FAILURE() << "read: " << read.status();
              return;
            }
            read->items.push_back(item);
            Written w = d.update(replica, shared.name, *read);
            if (w.status.error_code() == grpc::StatusCode::ABORTED) {
              std::lock_guard<std::mutex> lock(mu);
              ++conflicts;
              continue;
            }
            if (!w.status.ok()) {
              ADD_FAILURE() << "update: " << w.status.error_code() << " "
                            << w.status.error_message();
              return;
            }
            std::lock_guard<std::mutex> lock(mu);
            acked_items.push_back(item);
            acked.push_back(std::move(w));
            written = true;
          }
          if (!written) {
            ADD_FAILURE() << item << ": no write in " << kMaxAttempts;
            return;
          }
        }
      });
    }
    for (std::thread& t : writers) t.join();
  }
  const int64_t updates = static_cast<int64_t>(acked.size());
  EXPECT_EQ(updates, kWriters * kItemsPerWriter);
  EXPECT_GT(conflicts, 0) << "the writers never raced: nothing was tested";
  std::multiset<std::string> expected(initial->items.begin(),
                                      initial->items.end());
  expected.insert(acked_items.begin(), acked_items.end());
  for (int r = 0; r < kReplicas; ++r) {
    absl::StatusOr<Snapshot> final_state = d.read(r, shared.name);
    ASSERT_TRUE(final_state.ok()) << final_state.status();
    EXPECT_EQ(std::multiset<std::string>(final_state->items.begin(),
                                         final_state->items.end()),
              expected)
        << "replica " << r;
    EXPECT_EQ(final_state->etag, Etag(1 + updates)) << "replica " << r;
  }
  // Each acknowledged write made one revision of its own.
  std::set<std::string> etags;
  for (const Written& w : acked) etags.insert(w.etag);
  std::set<std::string> every_revision;
  for (int64_t i = 2; i <= 1 + updates; ++i) every_revision.insert(Etag(i));
  EXPECT_EQ(etags, every_revision);

  // 2. No duplicate write for one request id.
  std::vector<std::vector<Written>> answers(kDuplicatedIds,
                                            std::vector<Written>(kReplicas));
  for (int round = 0; round < kDuplicatedIds; round += kIdsAtOnce) {
    absl::Barrier* start = new absl::Barrier(kIdsAtOnce * kReplicas);
    std::vector<std::thread> threads;
    for (int i = round; i < round + kIdsAtOnce; ++i) {
      for (int r = 0; r < kReplicas; ++r) {
        threads.emplace_back([&, i, r] {
          if (start->Block()) delete start;
          answers[i][r] = d.create(r, d.ids[i + 1], absl::StrCat("create-", i));
        });
      }
    }
    for (std::thread& t : threads) t.join();
  }
  std::vector<std::string> created;
  for (int i = 0; i < kDuplicatedIds; ++i) {
    for (int r = 0; r < kReplicas; ++r) {
      EXPECT_TRUE(answers[i][r].status.ok())
          << "id " << i << " replica " << r << ": "
          << answers[i][r].status.error_code() << " "
          << answers[i][r].status.error_message();
    }
    EXPECT_EQ(answers[i][0].answer, answers[i][1].answer) << "id " << i;
    EXPECT_EQ(answers[i][0].etag, Etag(1)) << "id " << i;
    created.push_back(answers[i][0].name);
  }

  // 3. Revisions in one order.
  const int64_t writes = 1 + updates + kDuplicatedIds;
  std::vector<Change> feed = ExpectOneFeed(live, d.watch, base + writes);
  if (::testing::Test::HasFailure()) return;
  const std::vector<Change> of_shared = ChangesOf(feed, shared.name);
  EXPECT_EQ(static_cast<int64_t>(of_shared.size()), 1 + updates);
  // Each acknowledged update's answer is at least as fresh as its change.
  int untold = 0;
  for (const Written& w : acked) {
    int64_t revision = 0;
    ASSERT_TRUE(absl::SimpleAtoi(w.etag.substr(1), &revision)) << w.etag;
    ExpectFreshTrailer(w.sequence, SequenceOf(feed, shared.name, revision),
                       base + writes, untold);
  }
  for (const std::string& name : created) {
    const std::vector<Change> of_one = ChangesOf(feed, name);
    ASSERT_EQ(of_one.size(), 1u) << name;
    EXPECT_EQ(of_one[0].type(), common::v1::CHANGE_TYPE_CREATED) << name;
    EXPECT_GT(of_one[0].sequence(), base) << name;
  }
  std::cerr << binary.substr(binary.rfind('/') + 1) << ": " << updates
            << " updates after " << conflicts << " stale etags (" << untold
            << " answers without a sequence), " << kDuplicatedIds
            << " creates sent twice, " << base + writes << " changes, in "
            << absl::Now() - began << "\n";
}

TEST(ReplicasTest, LegislationOnOneDatabase) {
  ExpectReplicasAgree(PALERMO_LEGISLATION_SERVER, LegislationDriver);
}

TEST(ReplicasTest, AssistanceOnOneDatabase) {
  ExpectReplicasAgree(PALERMO_ASSISTANCE_SERVER, AssistanceDriver);
}

TEST(ReplicasTest, CoordinationOnOneDatabase) {
  ExpectReplicasAgree(PALERMO_COORDINATION_SERVER, CoordinationDriver);
}

TEST(ReplicasTest, ReportingOnOneDatabase) {
  ExpectReplicasAgree(PALERMO_REPORTING_SERVER, ReportingDriver);
}

// ---- Enforcement: versions by batch ----

constexpr int kBatchesPerWriter = 3;
constexpr int kRowsPerBatch = 25;

ev1::Observation Figure(const std::string& entity, int year, int64_t value) {
  ev1::Observation o;
  o.set_entity(entity);
  o.set_indicator("CASES_INVESTIGATED");
  *o.mutable_period() = *ParseTimePeriod(absl::StrCat(year));
  o.set_value(value);
  *o.add_sources() = Source("TEST/1");
  return o;
}

Written Upsert(ev1::EnforcementService::Stub& stub, const ev1::Observation& o,
               const std::string& request_id = "") {
  ev1::UpsertObservationRequest request;
  *request.mutable_observation() = o;
  request.set_request_id(request_id);
  return Call(stub, &ev1::EnforcementService::Stub::UpsertObservation, request);
}

struct Imported {
  grpc::Status status;
  ev1::ImportObservationsResponse response;
  int64_t sequence = -1;
  std::string entity;  // of every row
};

Imported Import(ev1::EnforcementService::Stub& stub,
                const std::vector<ev1::Observation>& rows) {
  auto context = Context();
  Imported out;
  auto writer = stub.ImportObservations(context.get(), &out.response);
  ev1::ImportObservationsRequest message;
  for (const ev1::Observation& row : rows) *message.add_observations() = row;
  writer->Write(message);
  writer->WritesDone();
  out.status = writer->Finish();
  out.sequence = ChangeSequenceOf(*context).value_or(-1);
  return out;
}

TEST(ReplicasTest, EnforcementOnOneDatabase) {
  const absl::Time began = absl::Now();
  absl::StatusOr<std::string> dsn = test::FreshPostgresDatabase();
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  Replicas replicas(PALERMO_ENFORCEMENT_SERVER, *dsn);
  ASSERT_TRUE(replicas.status().ok()) << replicas.status();
  using Stub = ev1::EnforcementService::Stub;
  auto stubs = std::make_shared<std::vector<std::unique_ptr<Stub>>>(
      StubsOf<ev1::EnforcementService>(replicas));
  auto watch = WatchOn(stubs);
  std::vector<std::unique_ptr<Watcher>> live;
  for (int r = 0; r < kReplicas; ++r) live.push_back(watch(r, FromStart()));
  const int64_t base = Latest(watch, 0);
  EXPECT_EQ(Latest(watch, 1), base);

  // 1. No lost update: every upsert of one observation, from writers on
  // both replicas at once, is a version of its own; every row of every
  // import batch is there.
  const Written first = Upsert(*(*stubs)[0], Figure("countries/SLV", 2005, 0));
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  std::mutex mu;
  std::vector<ev1::Observation> upserted;  // the answers
  std::vector<Written> upserts;
  std::vector<Imported> batches;
  {
    absl::Barrier* start = new absl::Barrier(2 * kWriters);
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
      writers.emplace_back([&, t] {
        Stub& stub = *(*stubs)[t % kReplicas];
        if (start->Block()) delete start;
        for (int j = 0; j < kItemsPerWriter; ++j) {
          Written w =
              Upsert(stub, Figure("countries/SLV", 2005, 1000 * (t + 1) + j));
          EXPECT_TRUE(w.status.ok()) << w.status.error_message();
          ev1::Observation answer;
          answer.ParseFromString(w.answer);
          std::lock_guard<std::mutex> lock(mu);
          upserted.push_back(answer);
          upserts.push_back(std::move(w));
        }
      });
      writers.emplace_back([&, t] {
        Stub& stub = *(*stubs)[t % kReplicas];
        const std::string entity =
            std::vector<std::string>{"countries/GTM", "countries/HND",
                                     "countries/NIC", "countries/PAN"}[t];
        if (start->Block()) delete start;
        for (int b = 0; b < kBatchesPerWriter; ++b) {
          std::vector<ev1::Observation> rows;
          for (int i = 0; i < kRowsPerBatch; ++i) {
            rows.push_back(Figure(entity, 1950 + b * kRowsPerBatch + i, i));
          }
          Imported imported = Import(stub, rows);
          imported.entity = entity;
          EXPECT_TRUE(imported.status.ok()) << imported.status.error_message();
          EXPECT_EQ(imported.response.created(), kRowsPerBatch);
          std::lock_guard<std::mutex> lock(mu);
          batches.push_back(std::move(imported));
        }
      });
    }
    for (std::thread& t : writers) t.join();
  }
  if (::testing::Test::HasFailure()) return;
  const int64_t versions = 1 + static_cast<int64_t>(upserted.size());
  std::map<int64_t, int64_t> value_of_revision;  // as acknowledged
  value_of_revision[1] = 0;
  for (const ev1::Observation& o : upserted) {
    EXPECT_EQ(o.name(), first.name);
    EXPECT_TRUE(value_of_revision.emplace(o.revision_id(), o.value()).second)
        << "revision " << o.revision_id() << " acknowledged twice";
  }
  EXPECT_EQ(value_of_revision.rbegin()->first, versions);
  ev1::ListObservationRevisionsRequest history;
  history.set_name(first.name);
  history.set_page_size(1000);
  ev1::ListObservationRevisionsResponse revisions;
  for (int r = 0; r < kReplicas; ++r) {
    ASSERT_TRUE(
        (*stubs)[r]
            ->ListObservationRevisions(Context().get(), history, &revisions)
            .ok());
    ASSERT_EQ(revisions.revisions_size(), versions) << "replica " << r;
    for (int i = 0; i < revisions.revisions_size(); ++i) {
      const ev1::Observation& o = revisions.revisions(i).observation();
      EXPECT_EQ(o.revision_id(), versions - i);  // newest first
      EXPECT_EQ(o.value(), value_of_revision[o.revision_id()]);
      if (i > 0) {
        // Each version superseded when the next one was committed, later.
        const ev1::Observation& newer =
            revisions.revisions(i - 1).observation();
        EXPECT_LT(o.update_time(), newer.update_time()) << i;
        EXPECT_EQ(revisions.revisions(i).superseded_time(),
                  newer.update_time());
      }
    }
  }
  // Batches: every row there, each batch at a commit time of its own.
  std::set<int64_t> commit_times;
  for (const Imported& b : batches) {
    commit_times.insert(
        TimeUtil::TimestampToMicroseconds(b.response.commit_time()));
  }
  EXPECT_EQ(commit_times.size(), batches.size());
  ev1::ListObservationsRequest list;
  list.set_parent("-");
  list.set_filter("indicator = \"CASES_INVESTIGATED\"");
  auto all = ListAll(
      *(*stubs)[1], &Stub::ListObservations, list,
      [](ev1::ListObservationsResponse& page) {
        return page.mutable_observations();
      },
      CallOptions{});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(static_cast<int64_t>(all->size()),
            1 + kWriters * kBatchesPerWriter * kRowsPerBatch);

  // 2. No duplicate write for one request id.
  std::vector<std::vector<Written>> answers(kDuplicatedIds,
                                            std::vector<Written>(kReplicas));
  for (int round = 0; round < kDuplicatedIds; round += kIdsAtOnce) {
    absl::Barrier* start = new absl::Barrier(kIdsAtOnce * kReplicas);
    std::vector<std::thread> threads;
    for (int i = round; i < round + kIdsAtOnce; ++i) {
      for (int r = 0; r < kReplicas; ++r) {
        threads.emplace_back([&, i, r] {
          if (start->Block()) delete start;
          answers[i][r] =
              Upsert(*(*stubs)[r], Figure("countries/BLZ", 1950 + i, i),
                     absl::StrCat("upsert-", i));
        });
      }
    }
    for (std::thread& t : threads) t.join();
  }
  std::vector<std::string> created;
  for (int i = 0; i < kDuplicatedIds; ++i) {
    for (int r = 0; r < kReplicas; ++r) {
      EXPECT_TRUE(answers[i][r].status.ok())
          << "id " << i << " replica " << r << ": "
          << answers[i][r].status.error_message();
    }
    EXPECT_EQ(answers[i][0].answer, answers[i][1].answer) << "id " << i;
    created.push_back(answers[i][0].name);
  }

  // 3. Revisions in one order, at commit times in the same order: a
  // write's changes share its commit time, later writes' are later.
  const int64_t writes =
      versions + kWriters * kBatchesPerWriter * kRowsPerBatch + kDuplicatedIds;
  std::vector<Change> feed = ExpectOneFeed(live, watch, base + writes);
  if (::testing::Test::HasFailure()) return;
  std::set<int64_t> feed_times;
  for (size_t i = base + 1; i < feed.size(); ++i) {
    EXPECT_LE(feed[i - 1].commit_time(), feed[i].commit_time())
        << Describe(feed[i - 1]) << " then " << Describe(feed[i]);
  }
  for (size_t i = base; i < feed.size(); ++i) {
    feed_times.insert(TimeUtil::TimestampToMicroseconds(feed[i].commit_time()));
  }
  EXPECT_EQ(static_cast<int64_t>(feed_times.size()),
            versions + kWriters * kBatchesPerWriter + kDuplicatedIds);
  // A batch's rows are one run of changes at its commit time; an upsert's
  // change is its version, at its time.
  int untold = 0;
  for (const Imported& b : batches) {
    std::vector<int64_t> run;
    for (const Change& c : feed) {
      if (c.commit_time() == b.response.commit_time()) {
        run.push_back(c.sequence());
        EXPECT_THAT(c.resource(), StartsWith(b.entity + "/")) << Describe(c);
      }
    }
    ASSERT_EQ(run.size(), static_cast<size_t>(kRowsPerBatch)) << b.entity;
    EXPECT_EQ(run.back() - run.front() + 1, kRowsPerBatch) << b.entity;
    ExpectFreshTrailer(b.sequence, run.back(), base + writes, untold);
  }
  for (size_t i = 0; i < upserts.size(); ++i) {
    const int64_t own = SequenceOf(feed, first.name, upserted[i].revision_id());
    ASSERT_GT(own, base);
    EXPECT_EQ(feed[own - 1].commit_time(), upserted[i].update_time())
        << Describe(feed[own - 1]);
    ExpectFreshTrailer(upserts[i].sequence, own, base + writes, untold);
  }
  for (const std::string& name : created) {
    const std::vector<Change> of_one = ChangesOf(feed, name);
    ASSERT_EQ(of_one.size(), 1u) << name;
    EXPECT_EQ(of_one[0].type(), common::v1::CHANGE_TYPE_CREATED) << name;
  }
  std::cerr << "enforcement: " << upserted.size() << " upserts and "
            << batches.size() << " batches at once (" << untold
            << " answers without a sequence), " << kDuplicatedIds
            << " upserts sent twice, " << base + writes << " changes, in "
            << absl::Now() - began << "\n";
}

}  // namespace
}  // namespace palermo
