// Two legislation processes on one PostgreSQL database behind one gateway,
// as real processes over mutual TLS, the gateway given both addresses
// (--legislation_address=ipv4:127.0.0.1:P1,127.0.0.1:P2) and every process
// --served_by_trailer:
//  - reads through the gateway are answered by both replicas (each answer's
//    palermo-served-by trailer names one; both are seen);
//  - readers looping reads through the gateway while one replica is killed
//    (SIGKILL) see not one read fail, and every read they start after the
//    kill answered by the survivor; once the killed replica is started again
//    on its port it answers again (observed, not waited for);
//  - a server names itself in its answers only with --served_by_trailer;
//  - a connection to a server with --max_connection_age is closed by the
//    server; bad values of the connection-age flags stop a server at start,
//    naming the flag.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/served_by.h"
#include "tests/support/postgres_for_test.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;
using test::Context;
using test::MakeTempDir;
using test::ServiceProcess;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr int kReplicas = 2;
// The records the reads ask for.
const std::vector<std::string>& Entities() {
  static const auto* entities = new std::vector<std::string>{
      "countries/EST", "countries/FRA", "countries/DEU", "countries/ITA",
      "countries/LVA"};
  return *entities;
}
// Threads looping reads through the gateway.
constexpr int kReaders = 4;
// Reads the readers make after the kill, at least, before the restart.
constexpr size_t kReadsAfterKill = 300;
// How long the test observes before it calls a phase stuck.
constexpr absl::Duration kPatience = absl::Seconds(30);

// The palermo-served-by trailers of a finished call, joined by " and "
// (one, unless a process added its own to a backend's); "" if none.
std::string ServedBy(const grpc::ClientContext& context) {
  std::vector<std::string> values;
  auto [begin, end] =
      context.GetServerTrailingMetadata().equal_range(kServedByMetadataKey);
  for (auto it = begin; it != end; ++it) {
    values.emplace_back(it->second.data(), it->second.size());
  }
  return absl::StrJoin(values, " and ");
}

// One read through the gateway, as the reader saw it.
struct Read {
  grpc::Status status;
  std::string served_by;
  bool after_kill = false;  // started once the replica was dead
};

class LoadBalancingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dsn = test::FreshPostgresDatabase();
    ASSERT_TRUE(dsn.ok()) << dsn.status();
    for (int r = 0; r < kReplicas; ++r) {
      auto replica = ServiceProcess::Start(
          PALERMO_LEGISLATION_SERVER,
          {"--store=postgres", "--postgres_dsn=" + *dsn,
           "--data_dir=" + MakeTempDir(), "--served_by_trailer"});
      ASSERT_TRUE(replica.ok()) << "replica " << r << ": " << replica.status();
      replicas_.push_back(*std::move(replica));
    }
    // The small dataset, written to one replica: both read it.
    auto direct = lv1::LegislationService::NewStub(replicas_[0]->Channel());
    for (const std::string& entity : Entities()) {
      lv1::CreateLegislationRequest create;
      create.set_parent(entity);
      auto* protocol = create.mutable_legislation()->mutable_protocol();
      protocol->set_status(lv1::TREATY_STATUS_RATIFIED);
      auto* source = protocol->add_sources();
      source->set_document_symbol("E/CN.15/2008/6");
      source->set_paragraph(5);
      lv1::Legislation created;
      grpc::Status s =
          direct->CreateLegislation(Context().get(), create, &created);
      ASSERT_TRUE(s.ok()) << entity << ": " << s.error_message();
    }
    // The gateway with --served_by_trailer too: a backend's answer keeps
    // the backend's name.
    auto gateway = ServiceProcess::Start(
        PALERMO_GATEWAY_SERVER,
        {absl::StrCat("--legislation_address=ipv4:", replicas_[0]->address(),
                      ",", replicas_[1]->address()),
         "--served_by_trailer"});
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = *std::move(gateway);
    stub_ = lv1::LegislationService::NewStub(gateway_->AnonymousChannel());
  }

  // What replica `r`'s answers say.
  std::string NameOf(int r) const {
    return absl::StrCat(HostName(), ":", replicas_[r]->port());
  }

  // Read number `i` through the gateway: a Get, every fifth a List.
  Read ReadThroughGateway(int i) {
    auto context = Context();
    Read read;
    if (i % 5 == 4) {
      lv1::ListLegislationsResponse page;
      read.status = stub_->ListLegislations(context.get(), {}, &page);
      if (read.status.ok() &&
          static_cast<size_t>(page.legislations_size()) != Entities().size()) {
        read.status = grpc::Status(
            grpc::StatusCode::INTERNAL,
            absl::StrCat("listed ", page.legislations_size(), " records"));
      }
    } else {
      lv1::GetLegislationRequest get;
      get.set_name(Entities()[i % Entities().size()] + "/legislation");
      lv1::Legislation got;
      read.status = stub_->GetLegislation(context.get(), get, &got);
    }
    read.served_by = ServedBy(*context);
    return read;
  }

  std::vector<std::unique_ptr<ServiceProcess>> replicas_;
  std::unique_ptr<ServiceProcess> gateway_;
  std::unique_ptr<lv1::LegislationService::Stub> stub_;
};

TEST_F(LoadBalancingTest, ReadsThroughTheGatewayAreAnsweredByBothReplicas) {
  std::map<std::string, int> answered;
  // Until both have answered; both connect within a few reads.
  for (int i = 0; i < 400 && answered.size() < size_t{kReplicas}; ++i) {
    Read read = ReadThroughGateway(i);
    ASSERT_TRUE(read.status.ok()) << i << ": " << read.status.error_message();
    ASSERT_FALSE(read.served_by.empty()) << i << ": no palermo-served-by";
    ++answered[read.served_by];
  }
  std::set<std::string> names;
  for (const auto& [name, count] : answered) names.insert(name);
  EXPECT_THAT(names, UnorderedElementsAre(NameOf(0), NameOf(1)));
  // Then round robin: of the next 40, each answers about half.
  answered.clear();
  for (int i = 0; i < 40; ++i) {
    Read read = ReadThroughGateway(i);
    ASSERT_TRUE(read.status.ok()) << read.status.error_message();
    ++answered[read.served_by];
  }
  EXPECT_GE(answered[NameOf(0)], 15);
  EXPECT_GE(answered[NameOf(1)], 15);
}

TEST_F(LoadBalancingTest, NoReadFailsWhileAReplicaIsKilledAndRestarted) {
  absl::Mutex mu;
  std::vector<Read> reads;  // guarded by mu
  // Set once the replica is dead; cleared before it is started again.
  std::atomic<bool> dead{false};
  std::atomic<bool> stop{false};
  // Several at once, so that reads are in flight on the replica killed.
  std::vector<std::thread> readers;
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&, t] {
      for (int i = t; !stop; i += kReaders) {
        const bool while_dead = dead;
        Read read = ReadThroughGateway(i);
        read.after_kill = while_dead;
        absl::MutexLock lock(&mu);
        reads.push_back(std::move(read));
      }
    });
  }
  auto count_reads = [&] {
    absl::MutexLock lock(&mu);
    return reads.size();
  };
  // Waits, at most kPatience, until a read from number `from` on was
  // answered by `name`.
  auto answered_by = [&](size_t from, const std::string& name) {
    absl::MutexLock lock(&mu);
    auto seen = [&] {
      for (size_t i = from; i < reads.size(); ++i) {
        if (reads[i].served_by == name) return true;
      }
      return false;
    };
    return mu.AwaitWithTimeout(absl::Condition(&seen), kPatience);
  };

  // Both answer first.
  EXPECT_TRUE(answered_by(0, NameOf(0)));
  EXPECT_TRUE(answered_by(0, NameOf(1)));

  replicas_[1]->Kill();  // SIGKILL, and reaped: it answers no more
  dead = true;
  {
    const size_t at_kill = count_reads();
    absl::MutexLock lock(&mu);
    auto enough = [&] {
      size_t n = 0;
      for (size_t i = at_kill; i < reads.size(); ++i) n += reads[i].after_kill;
      return n >= kReadsAfterKill;
    };
    EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(&enough), kPatience))
        << "the readers are stuck";
  }

  dead = false;
  ASSERT_TRUE(replicas_[1]->Restart().ok());  // on its port
  EXPECT_TRUE(answered_by(count_reads(), NameOf(1)))
      << "the restarted replica never answered";
  stop = true;
  for (std::thread& t : readers) t.join();

  int failed = 0;
  size_t while_dead = 0;
  for (size_t i = 0; i < reads.size(); ++i) {
    const Read& r = reads[i];
    if (!r.status.ok()) {
      ++failed;
      ADD_FAILURE() << "read " << i << " failed: " << r.status.error_code()
                    << " " << r.status.error_message();
    }
    if (r.after_kill) {
      ++while_dead;
      EXPECT_EQ(r.served_by, NameOf(0)) << "read " << i << " after the kill";
    }
  }
  EXPECT_EQ(failed, 0) << "of " << reads.size() << " reads";
  EXPECT_GE(while_dead, kReadsAfterKill);
}

TEST(ServedByTest, AnAnswerNamesItsServerOnlyWhenAsked) {
  for (bool asked : {false, true}) {
    std::vector<std::string> args = {"--data_dir=" + MakeTempDir()};
    if (asked) args.push_back("--served_by_trailer");
    auto server = ServiceProcess::Start(PALERMO_LEGISLATION_SERVER, args);
    ASSERT_TRUE(server.ok()) << server.status();
    auto stub = lv1::LegislationService::NewStub((*server)->Channel());
    auto context = Context();
    lv1::ListLegislationsResponse page;
    ASSERT_TRUE(stub->ListLegislations(context.get(), {}, &page).ok());
    EXPECT_EQ(ServedBy(*context),
              asked ? absl::StrCat(HostName(), ":", (*server)->port()) : "");
    // Errors too.
    auto failed = Context();
    lv1::GetLegislationRequest get;
    get.set_name("countries/XXX/legislation");
    lv1::Legislation none;
    EXPECT_FALSE(stub->GetLegislation(failed.get(), get, &none).ok());
    EXPECT_EQ(ServedBy(*failed), ServedBy(*context));
  }
}

TEST(ConnectionAgeTest, TheServerClosesAConnectionOnceItIsOld) {
  auto server = ServiceProcess::Start(
      PALERMO_LEGISLATION_SERVER,
      {"--data_dir=" + MakeTempDir(), "--max_connection_age=500ms",
       "--max_connection_age_grace=1s"});
  ASSERT_TRUE(server.ok()) << server.status();
  std::shared_ptr<grpc::Channel> channel = (*server)->Channel();
  auto stub = lv1::LegislationService::NewStub(channel);
  lv1::ListLegislationsResponse page;
  ASSERT_TRUE(stub->ListLegislations(Context().get(), {}, &page).ok());
  ASSERT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
  // The server's GOAWAY takes the channel out of READY.
  EXPECT_TRUE(channel->WaitForStateChange(
      GRPC_CHANNEL_READY, absl::ToChronoTime(absl::Now() + kPatience)));
  // And the next call finds a new connection.
  EXPECT_TRUE(stub->ListLegislations(Context().get(), {}, &page).ok());
}

TEST(ConnectionAgeTest, BadConnectionAgesStopTheServerAtStartNamingTheFlag) {
  for (const auto& [flag, name] :
       std::vector<std::pair<std::string, std::string>>{
           {"--max_connection_age=-1s", "--max_connection_age must be"},
           {"--max_connection_age=0s", "--max_connection_age must be"},
           {"--max_connection_age_grace=-5s",
            "--max_connection_age_grace must not be negative"}}) {
    absl::StatusOr<test::CommandResult> run = test::RunCommand(
        PALERMO_LEGISLATION_SERVER,
        {"--data_dir=" + MakeTempDir(), "--listen=127.0.0.1:0", flag});
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_EQ(run->exit_code, 2) << flag;
    EXPECT_THAT(run->errors, HasSubstr(name)) << flag;
  }
}

}  // namespace
}  // namespace palermo
