#include "wharf/dispatch/fleet.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wharf/dispatch/scheduler.hpp"

#include "fake_worker.hpp"

namespace wharf::dispatch {
namespace {

using test::FakeWorker;
using test::Ledger;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

ImageReference image() {
  return ImageReference::parse("registry.test:5000/team/worker:1.2.3").value();
}

class FleetTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeWorker> fake(const std::string& name, std::size_t slots = 1) {
    auto worker = std::make_shared<FakeWorker>(name, slots, ledger_);
    fakes_.push_back(worker);
    return worker;
  }
  static FleetCandidate candidate(const std::shared_ptr<FakeWorker>& worker) {
    return FleetCandidate{worker->name(), "fake://" + worker->name(), worker, std::nullopt};
  }
  static FleetCandidate unreachable(const std::string& name) {
    return FleetCandidate{
        name, "ssh://" + name, nullptr,
        Error::make(ErrorKind::unavailable, "worker " + name + " (ssh://" + name +
                                                "): cannot connect — check that it is up.")};
  }
  static std::vector<std::string> names(const Fleet& fleet) {
    std::vector<std::string> names;
    for (const auto& member : fleet.members()) {
      names.push_back(member.name);
    }
    return names;
  }

  Ledger ledger_;
  std::vector<std::shared_ptr<FakeWorker>> fakes_;
};

TEST_F(FleetTest, PreparesEveryWorkerAtOnceAndKeepsTheImageEachGot) {
  // Each prepare waits until all three are in prepare: one at a time would never get there.
  std::mutex mutex;
  std::condition_variable all_in;
  int preparing = 0;
  bool together = true;
  const auto wait_for_the_others = [&] {
    std::unique_lock lock(mutex);
    ++preparing;
    all_in.notify_all();
    together =
        all_in.wait_for(lock, std::chrono::seconds(30), [&] { return preparing == 3; }) && together;
  };
  std::vector<FleetCandidate> candidates;
  for (const auto* name : {"a", "b", "c"}) {
    auto worker = fake(name);
    worker->on_prepare(wait_for_the_others);
    candidates.push_back(candidate(worker));
  }
  Fleet fleet(std::move(candidates));

  ASSERT_TRUE(fleet.prepare(image(), PullPolicy::missing, PrepareFailure::skips_the_worker));
  EXPECT_TRUE(together) << "the workers were not prepared at the same time";
  EXPECT_THAT(names(fleet), ElementsAre("a", "b", "c"));
  EXPECT_TRUE(fleet.skipped().empty());
  for (const auto& member : fleet.members()) {
    EXPECT_EQ(member.image.reference, "registry.test:5000/team/worker:1.2.3");
    EXPECT_EQ(member.image.digest, "sha256:" + member.name);
    EXPECT_EQ(member.address, "fake://" + member.name);
  }
  const auto workers = fleet.workers();
  ASSERT_EQ(workers.size(), 3U);
  EXPECT_EQ(workers[1]->name(), "b");
  for (const auto& worker : fakes_) {
    EXPECT_EQ(worker->prepares(), 1);
  }
}

TEST_F(FleetTest, TellsOncePerWorkerThatItStartedPulling) {
  auto pulls = fake("pulls");
  pulls->pull_on_prepare(5);
  auto has_it = fake("has-it");
  Fleet fleet({candidate(pulls), candidate(has_it)});
  std::mutex mutex;
  std::vector<std::string> pulling;
  ASSERT_TRUE(fleet.prepare(image(), PullPolicy::always, PrepareFailure::skips_the_worker,
                            [&](const FleetCandidate& worker) {
                              const std::lock_guard lock(mutex);
                              pulling.push_back(worker.name + " at " + worker.address);
                            }));
  EXPECT_THAT(pulling, ElementsAre("pulls at fake://pulls"));
}

TEST_F(FleetTest, LeavesOutUnreachableWorkersAndThoseWhosePrepareFailsInCandidateOrder) {
  auto good = fake("good");
  auto no_image = fake("no-image");
  no_image->fail_prepare(Error::make(ErrorKind::not_found, "image x is not present."));
  Fleet fleet({unreachable("nowhere"), candidate(good), candidate(no_image)});

  ASSERT_TRUE(fleet.prepare(image(), PullPolicy::never, PrepareFailure::skips_the_worker));
  EXPECT_THAT(names(fleet), ElementsAre("good"));
  ASSERT_EQ(fleet.skipped().size(), 2U);
  EXPECT_EQ(fleet.skipped()[0].name, "nowhere");
  EXPECT_EQ(fleet.skipped()[0].error.kind, ErrorKind::unavailable);
  EXPECT_EQ(fleet.skipped()[0].error.message,
            "worker nowhere (ssh://nowhere): cannot connect — check that it is up.");
  EXPECT_EQ(fleet.skipped()[1].name, "no-image");
  EXPECT_EQ(fleet.skipped()[1].error.kind, ErrorKind::not_found);
  EXPECT_EQ(fleet.skipped()[1].error.message, "worker no-image: image x is not present.");

  // Only the workers of the run are stopped and swept.
  EXPECT_TRUE(fleet.stop().empty());
  EXPECT_TRUE(fleet.sweep("r1").empty());
  EXPECT_EQ(good->stops(), 1);
  EXPECT_EQ(good->sweeps(), 1);
  EXPECT_EQ(no_image->stops(), 0);
  EXPECT_EQ(no_image->sweeps(), 0);
}

TEST_F(FleetTest, FailsWhenNoWorkerIsLeft) {
  auto no_image = fake("no-image");
  no_image->fail_prepare(Error::make(ErrorKind::not_found, "image x is not present."));
  Fleet fleet({candidate(no_image), unreachable("nowhere")});

  const auto prepared =
      fleet.prepare(image(), PullPolicy::missing, PrepareFailure::skips_the_worker);
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().kind, ErrorKind::unavailable);
  EXPECT_THAT(prepared.error().message, HasSubstr("no worker of the inventory can run tasks"));
  EXPECT_EQ(fleet.skipped().size(), 2U);
  EXPECT_TRUE(fleet.members().empty());
}

TEST_F(FleetTest, OneNamedBackendFailsTheRunWithItsErrorAsItIs) {
  auto local = fake("local");
  local->fail_prepare(Error::make(ErrorKind::timeout, "the engine did not answer in 30 s."));
  Fleet fleet({candidate(local)});

  const auto prepared = fleet.prepare(image(), PullPolicy::missing, PrepareFailure::fails_the_run);
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().kind, ErrorKind::timeout);
  EXPECT_EQ(prepared.error().message, "the engine did not answer in 30 s.");
  EXPECT_TRUE(fleet.skipped().empty());
  EXPECT_TRUE(fleet.members().empty());
}

TEST_F(FleetTest, SweepsEveryWorkerWithTheRunIdAndReturnsTheFailuresInOrder) {
  auto a = fake("a");
  auto b = fake("b");
  auto c = fake("c");
  b->fail_sweep(Error::make(ErrorKind::unavailable, "could not remove the containers of b."));
  c->fail_sweep(Error::make(ErrorKind::remote, "could not remove the containers of c."));
  Fleet fleet({candidate(a), candidate(b), candidate(c)});
  ASSERT_TRUE(fleet.prepare(image(), PullPolicy::missing, PrepareFailure::skips_the_worker));

  const auto errors = fleet.sweep("20261207t120000-abcdef");
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0].message, "could not remove the containers of b.");
  EXPECT_EQ(errors[1].message, "could not remove the containers of c.");
  for (const auto& worker : fakes_) {
    EXPECT_EQ(worker->sweeps(), 1) << worker->name();
    EXPECT_EQ(worker->swept_run(), "20261207t120000-abcdef") << worker->name();
  }
}

TEST_F(FleetTest, StopsEveryWorkerOnceAndReturnsTheFailures) {
  auto a = fake("a");
  auto b = fake("b");
  b->fail_stop(Error::make(ErrorKind::remote, "the pool's container c1 could not be removed."));
  {
    Fleet fleet({candidate(a), candidate(b)});
    ASSERT_TRUE(fleet.prepare(image(), PullPolicy::missing, PrepareFailure::skips_the_worker));
    const auto errors = fleet.stop();
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].message, "the pool's container c1 could not be removed.");
    EXPECT_TRUE(fleet.stop().empty());  // Once is enough; the destructor does not repeat it.
  }
  EXPECT_EQ(a->stops(), 1);
  EXPECT_EQ(b->stops(), 1);
}

TEST_F(FleetTest, StopsTheWorkersWhenDestroyedWithoutStop) {
  // An early return between prepare and the end of the run must not leave a warm pool.
  auto a = fake("a");
  auto b = fake("b");
  {
    Fleet fleet({candidate(a), candidate(b)});
    ASSERT_TRUE(fleet.prepare(image(), PullPolicy::missing, PrepareFailure::skips_the_worker));
    auto moved = std::move(fleet);  // What returning it in a Result does.
  }
  EXPECT_EQ(a->stops(), 1);
  EXPECT_EQ(b->stops(), 1);
}

TEST_F(FleetTest, AfterACancelledRunEveryWorkerIsStoppedAndSwept) {
  auto a = fake("a", 2);
  auto b = fake("b", 2);
  Fleet fleet({candidate(a), candidate(b)});
  ASSERT_TRUE(fleet.prepare(image(), PullPolicy::missing, PrepareFailure::skips_the_worker));
  const Scheduler scheduler(fleet.workers(), {});
  std::vector<TaskSpec> tasks;
  for (int i = 0; i < 8; ++i) {
    tasks.push_back(TaskSpec{"t" + std::to_string(i), {"block"}, {}, std::nullopt, 0});
  }
  CancelToken cancel;
  RunReport report;
  std::jthread runner([&] { report = scheduler.run(tasks, "r-cancelled", cancel); });
  ASSERT_TRUE(ledger_.wait_until_in_flight(4));
  cancel.cancel();
  runner.join();
  ASSERT_TRUE(report.cancelled);

  EXPECT_TRUE(fleet.stop().empty());
  EXPECT_TRUE(fleet.sweep("r-cancelled").empty());
  for (const auto& worker : fakes_) {
    EXPECT_EQ(worker->stops(), 1) << worker->name();
    EXPECT_EQ(worker->sweeps(), 1) << worker->name();
    EXPECT_EQ(worker->swept_run(), "r-cancelled") << worker->name();
  }
}

}  // namespace
}  // namespace wharf::dispatch
