#include "wharf/dispatch/scheduler.hpp"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_worker.hpp"

namespace wharf::dispatch {
namespace {

using test::FakeWorker;
using test::Ledger;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TaskSpec task(std::string id, std::vector<std::string> args = {"ok"}) {
  return TaskSpec{std::move(id), std::move(args), {}, std::nullopt, 0};
}

std::vector<TaskSpec> many(std::size_t n, std::vector<std::string> args = {"ok"}) {
  std::vector<TaskSpec> tasks;
  tasks.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    tasks.push_back(task("t" + std::to_string(i), args));
  }
  return tasks;
}

/// Records events and checks the invariants every event must keep.
class RecordingSink final : public EventSink {
 public:
  void task_started(const TaskSpec&, const std::string&, unsigned) override { ++started; }
  void task_retrying(const TaskSpec&, const Attempt&, unsigned) override { ++retrying; }
  void task_finished(const TaskSpec& spec, const TaskResult& result) override {
    EXPECT_EQ(spec.id, result.id);
    EXPECT_EQ(++finished_per_task[result.id], 1) << result.id << " finished twice";
  }
  void worker_lost(const std::string& worker, const std::string&) override {
    lost.push_back(worker);
  }
  void progress(const RunCounts& counts) override {
    EXPECT_EQ(counts.pending + counts.running + counts.finished(), counts.total);
    last = counts;
    ++progress_calls;
  }

  int started = 0;
  int retrying = 0;
  int progress_calls = 0;
  std::map<std::string, int> finished_per_task;
  std::vector<std::string> lost;
  RunCounts last;
};

struct Fixture : ::testing::Test {
  std::shared_ptr<FakeWorker> add_worker(std::string name, std::size_t slots) {
    auto worker = std::make_shared<FakeWorker>(std::move(name), slots, ledger);
    workers.push_back(worker);
    return worker;
  }
  RunReport run(const std::vector<TaskSpec>& tasks, SchedulerOptions options = {}) {
    const Scheduler scheduler(workers, options);
    return scheduler.run(tasks, "run-1", cancel, &sink);
  }

  Ledger ledger;
  std::vector<std::shared_ptr<Worker>> workers;
  CancelToken cancel;
  RecordingSink sink;
};

using SchedulerTest = Fixture;

TEST_F(SchedulerTest, MixedOutcomesAreResultsAndAreNotRetried) {
  add_worker("a", 2);
  add_worker("b", 2);
  const std::vector<TaskSpec> tasks = {
      task("ok1"), task("exit3", {"exit", "3"}), task("slow", {"timeout"}), task("bad", {"bad"}),
      task("ok2"), task("exit0", {"exit", "0"})};
  const auto report = run(tasks, {.parallel = 0, .retries = 3, .retry_failed_tasks = false});

  ASSERT_EQ(report.results.size(), tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    EXPECT_EQ(report.results[i].id, tasks[i].id) << "results must keep input order";
    EXPECT_EQ(report.results[i].attempts, 1U) << tasks[i].id;
    EXPECT_EQ(ledger.attempts_of(tasks[i].id), 1) << tasks[i].id;
    EXPECT_EQ(report.results[i].workers_tried.size(), 1U);
    EXPECT_EQ(report.results[i].last.worker, report.results[i].workers_tried[0]);
  }
  EXPECT_EQ(report.results[1].last.exit_code, 3);
  EXPECT_EQ(report.results[2].last.status, AttemptStatus::timed_out);
  EXPECT_EQ(report.results[3].last.status, AttemptStatus::failed_to_start);
  EXPECT_EQ(
      report.counts,
      (RunCounts{.total = 6, .succeeded = 3, .failed = 1, .timed_out = 1, .failed_to_start = 1}));
  EXPECT_TRUE(report.lost_workers.empty());
  EXPECT_FALSE(report.cancelled);
  EXPECT_EQ(sink.started, 6);
  EXPECT_EQ(sink.retrying, 0);
  EXPECT_EQ(sink.finished_per_task.size(), 6U);
  EXPECT_EQ(sink.last, report.counts);
}

TEST_F(SchedulerTest, RetriesFailedTasksOnAnotherWorkerOnlyWhenAsked) {
  add_worker("a", 1);
  add_worker("b", 1);
  const std::vector<TaskSpec> tasks = {task("flaky", {"flaky", "2"})};

  const auto plain = run(tasks, {.retries = 2});
  EXPECT_EQ(plain.counts.failed, 1U);
  EXPECT_EQ(plain.results[0].attempts, 1U);

  sink = RecordingSink{};  // a second run: its own events

  const auto retried = run(tasks, {.retries = 2, .retry_failed_tasks = true});
  EXPECT_EQ(retried.counts.succeeded, 1U);
  EXPECT_EQ(retried.counts.retries, 1U);
  EXPECT_EQ(retried.results[0].attempts, 2U);
  EXPECT_THAT(retried.results[0].workers_tried, ElementsAre("a", "b"));
}

TEST_F(SchedulerTest, AWorkerThatFailsMidRunLosesItsTasksToOthersAndNoneRunsTwice) {
  add_worker("a", 2);
  auto failing = add_worker("b", 3);
  add_worker("c", 2);
  failing->fail_from_run(4);
  const auto tasks = many(300);
  const auto report = run(tasks, {.retries = 1});

  EXPECT_EQ(report.counts,
            (RunCounts{.total = 300, .succeeded = 300, .retries = report.counts.retries}));
  EXPECT_GE(report.counts.retries, 1U);
  EXPECT_LE(report.counts.retries, 3U);  // at most b's slots were in flight when it broke
  for (const auto& t : tasks) {
    EXPECT_EQ(ledger.completions_of(t.id), 1) << t.id << " must complete exactly once";
  }
  ASSERT_EQ(report.lost_workers.size(), 1U);
  EXPECT_EQ(report.lost_workers[0].name, "b");
  EXPECT_THAT(report.lost_workers[0].error, HasSubstr("connection to b was reset"));
  EXPECT_THAT(sink.lost, ElementsAre("b"));
  // b ran 3 good attempts, then at most its 3 slots' worth of failing ones, then nothing.
  EXPECT_LE(ledger.runs_on("b"), 6);
  for (const auto& result : report.results) {
    if (result.attempts == 2) {
      EXPECT_EQ(result.workers_tried[0], "b");
      EXPECT_NE(result.workers_tried[1], "b");
    }
  }
}

TEST_F(SchedulerTest, ALostContainerIsRetriedWithoutLosingItsWorker) {
  add_worker("only", 2);
  std::vector<TaskSpec> tasks = many(6);
  TaskSpec unlucky;
  unlucky.id = "unlucky";
  unlucky.args = {"lostbox", "2"};
  tasks.push_back(unlucky);
  const auto report = run(tasks, {.retries = 1});
  EXPECT_EQ(report.counts, (RunCounts{.total = 7, .succeeded = 7, .retries = 1}));
  EXPECT_TRUE(report.lost_workers.empty());
  EXPECT_TRUE(sink.lost.empty());
  EXPECT_EQ(ledger.completions_of("unlucky"), 1);
  EXPECT_EQ(report.results.back().attempts, 2U);
}

TEST_F(SchedulerTest, RetriesExhaustedEndAsInfrastructureErrorWithTheWholeStory) {
  for (const char* name : {"w1", "w2", "w3", "w4"}) {
    add_worker(name, 1)->fail_from_run(1);
  }
  const auto report = run({task("only")}, {.retries = 2});

  const auto& result = report.results[0];
  EXPECT_EQ(result.last.status, AttemptStatus::infrastructure_error);
  EXPECT_EQ(result.attempts, 3U);
  EXPECT_THAT(result.workers_tried, ElementsAre("w1", "w2", "w3"));
  EXPECT_EQ(ledger.runs_on("w4"), 0);
  EXPECT_EQ(report.lost_workers.size(), 3U);
  EXPECT_EQ(report.counts.infrastructure_error, 1U);
  EXPECT_EQ(report.counts.retries, 2U);
}

TEST_F(SchedulerTest, WhenEveryWorkerIsLostTheRestEndNamingThem) {
  add_worker("a", 1)->fail_from_run(1);
  add_worker("b", 1)->fail_from_run(1);
  const auto report = run(many(5), {.retries = 3});

  EXPECT_EQ(report.counts.infrastructure_error, 5U);
  EXPECT_EQ(report.counts.total, 5U);
  for (const auto& result : report.results) {
    EXPECT_EQ(result.last.status, AttemptStatus::infrastructure_error);
    // Both are named with their error, in the order they were lost (a race between them).
    EXPECT_THAT(result.last.error, HasSubstr("no worker is left, all were lost ("));
    EXPECT_THAT(result.last.error, HasSubstr("a: connection to a was reset"));
    EXPECT_THAT(result.last.error, HasSubstr("b: connection to b was reset"));
  }
  // The two that ran keep their story; the three others never started.
  EXPECT_EQ(report.results[0].attempts, 1U);
  EXPECT_THAT(report.results[0].last.error, HasSubstr("attempt 1 failed (connection to"));
  EXPECT_EQ(report.results[4].attempts, 0U);
  EXPECT_THAT(report.results[4].last.error, HasSubstr("the task did not start"));
}

TEST_F(SchedulerTest, AWorkerThatThrowsIsTreatedAsLost) {
  add_worker("boom", 1)->throw_from_run(1);
  add_worker("fine", 1);
  const auto report = run(many(4), {.retries = 1});
  EXPECT_EQ(report.counts.succeeded, 4U);
  ASSERT_EQ(report.lost_workers.size(), 1U);
  EXPECT_THAT(report.lost_workers[0].error, HasSubstr("fake worker exploded"));
}

TEST_F(SchedulerTest, NoWorkersMeansEveryTaskEndsWithAnExplanation) {
  add_worker("empty", 0);
  const auto report = run(many(2));
  EXPECT_EQ(report.counts.infrastructure_error, 2U);
  EXPECT_THAT(report.results[1].last.error, HasSubstr("no worker has a free slot"));
  EXPECT_EQ(ledger.runs_on("empty"), 0);
}

TEST_F(SchedulerTest, NoTasksIsAnEmptyReport) {
  add_worker("a", 1);
  const auto report = run({});
  EXPECT_TRUE(report.results.empty());
  EXPECT_EQ(report.counts, RunCounts{});
}

TEST_F(SchedulerTest, CancellationStopsStartingAndWaitsForRunningAttempts) {
  add_worker("a", 2);
  std::vector<TaskSpec> tasks = many(4);
  for (int i = 4; i < 10; ++i) {
    tasks.push_back(task("block" + std::to_string(i), {"block"}));
  }
  RunReport report;
  std::jthread runner([&] { report = run(tasks, {.retries = 2}); });
  // The quick tasks go first (input order); then two blockers fill both slots.
  ASSERT_TRUE(ledger.wait_until_started("block4"));
  ASSERT_TRUE(ledger.wait_until_started("block5"));
  cancel.cancel();
  runner.join();

  EXPECT_TRUE(report.cancelled);
  EXPECT_EQ(report.counts, (RunCounts{.total = 10, .succeeded = 4, .cancelled = 6}));
  EXPECT_EQ(report.results[4].attempts, 1U);
  EXPECT_EQ(report.results[5].attempts, 1U);
  for (std::size_t i = 6; i < 10; ++i) {
    EXPECT_EQ(report.results[i].attempts, 0U);
    EXPECT_EQ(report.results[i].last.status, AttemptStatus::cancelled);
    EXPECT_THAT(report.results[i].last.error, HasSubstr("the run was cancelled"));
    EXPECT_EQ(ledger.attempts_of(tasks[i].id), 0);
  }
}

TEST_F(SchedulerTest, AlreadyCancelledStartsNothing) {
  add_worker("a", 2);
  cancel.cancel();
  const auto report = run(many(3));
  EXPECT_EQ(report.counts.cancelled, 3U);
  EXPECT_EQ(ledger.runs_on("a"), 0);
}

TEST_F(SchedulerTest, TheParallelLimitAndEachWorkersSlotsAreRespected) {
  std::vector<std::shared_ptr<FakeWorker>> fakes = {add_worker("a", 4), add_worker("b", 4),
                                                    add_worker("c", 4)};
  RunReport report;
  std::jthread runner([&] { report = run(many(60, {"gate"}), {.parallel = 5}); });
  // Hold every attempt until five run at once, then let the rest through.
  ASSERT_TRUE(ledger.wait_until_in_flight(5));
  for (auto& fake : fakes) {
    fake->open_gate();
  }
  runner.join();

  EXPECT_EQ(report.counts.succeeded, 60U);
  EXPECT_EQ(ledger.max_total(), 5);
  for (const char* name : {"a", "b", "c"}) {
    EXPECT_LE(ledger.max_on(name), 4) << name;
  }
}

TEST_F(SchedulerTest, EachWorkersSlotsAreRespectedWithoutAGlobalLimit) {
  std::vector<std::shared_ptr<FakeWorker>> fakes = {add_worker("one", 1), add_worker("two", 2)};
  RunReport report;
  std::jthread runner([&] { report = run(many(30, {"gate"})); });
  ASSERT_TRUE(ledger.wait_until_in_flight(3));
  for (auto& fake : fakes) {
    fake->open_gate();
  }
  runner.join();
  EXPECT_EQ(report.counts.succeeded, 30U);
  EXPECT_EQ(ledger.max_total(), 3);
  EXPECT_EQ(ledger.max_on("one"), 1);
  EXPECT_EQ(ledger.max_on("two"), 2);
}

/// A worker as cheap as possible, for the throughput test: no ledger, just a counter per task.
class InstantWorker final : public Worker {
 public:
  InstantWorker(std::string name, std::vector<std::atomic<int>>& runs)
      : name_(std::move(name)), runs_(runs) {}
  const std::string& name() const override { return name_; }
  std::size_t slots() const override { return 4; }
  Result<PreparedImage> prepare(const ImageReference& image, PullPolicy,
                                const PrepareProgressHandler&) override {
    return PreparedImage{image.familiar(), "sha256:0"};
  }
  Result<std::size_t> sweep(const std::string&) override { return 0; }
  Result<void> stop() override { return {}; }
  Attempt run(const TaskSpec& spec, const AttemptContext&) override {
    ++runs_[spec.line];
    Attempt attempt;
    attempt.status = AttemptStatus::completed;
    attempt.exit_code = 0;
    return attempt;
  }

 private:
  std::string name_;
  std::vector<std::atomic<int>>& runs_;
};

TEST(SchedulerScale, HundredThousandInstantTasksAllRunExactlyOnce) {
  constexpr std::size_t kTasks = 100'000;
  std::vector<std::atomic<int>> runs(kTasks);
  std::vector<TaskSpec> tasks = many(kTasks);
  for (std::size_t i = 0; i < kTasks; ++i) {
    tasks[i].line = i;  // index into `runs`
  }
  std::vector<std::shared_ptr<Worker>> workers;
  for (int i = 0; i < 4; ++i) {
    workers.push_back(std::make_shared<InstantWorker>("w" + std::to_string(i), runs));
  }
  const CancelToken cancel;
  const Scheduler scheduler(workers, {});
  const auto report = scheduler.run(tasks, "scale", cancel);

  EXPECT_EQ(report.counts.succeeded, kTasks);
  std::size_t not_once = 0;
  for (const auto& count : runs) {
    not_once += count.load() == 1 ? 0 : 1;
  }
  EXPECT_EQ(not_once, 0U);
  // Informational only (never asserted): how long the scheduling overhead takes here.
  std::printf("100000 instant tasks on 4 workers x 4 slots: %lld ms\n",
              static_cast<long long>(report.wall_time.count()));
}

}  // namespace
}  // namespace wharf::dispatch
