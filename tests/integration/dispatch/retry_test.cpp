// The infrastructure_error retry path end to end: the scheduler over two EngineWorkers on the
// engine peer, one of which loses its connection to the engine in the middle of a task.

#include <atomic>
#include <thread>

#include <gmock/gmock.h>

#include "wharf/dispatch/scheduler.hpp"
#include "wharf/transport/unix_connector.hpp"

#include "integration/dispatch/dispatch_fixture.hpp"
#include "integration/dispatch/socket_proxy.hpp"

namespace wharf::backends::test {
namespace {

using namespace std::chrono_literals;
using dispatch::AttemptStatus;
using ::testing::ElementsAre;

// What the scheduler said while it ran, one line per event.
class RecordingSink final : public dispatch::EventSink {
 public:
  void task_started(const dispatch::TaskSpec& task, const std::string& worker,
                    unsigned attempt) override {
    events.push_back("started " + task.id + " #" + std::to_string(attempt) + " on " + worker);
  }
  void task_retrying(const dispatch::TaskSpec& task, const dispatch::Attempt& failed,
                     unsigned next) override {
    events.push_back("retrying " + task.id + " #" + std::to_string(next) + " after " +
                     std::string(to_string(failed.status)) + " on " + failed.worker);
  }
  void worker_lost(const std::string& worker, const std::string& /*error*/) override {
    events.push_back("lost " + worker);
  }

  std::vector<std::string> events;
};

class RetryTest : public DispatchTest {
 protected:
  [[nodiscard]] static std::shared_ptr<EngineWorker> worker(const engine::EngineClient& engine,
                                                            const std::string& name) {
    EngineWorkerOptions options;
    options.name = name;
    options.slots = 1;
    options.image = "wharf/worker:dev";
    return std::make_shared<EngineWorker>(engine, std::move(options));
  }

  // Waits (on its own connection) until the task's container runs, then cuts the proxy.
  // Returns whether it found the container before `patience` ran out.
  [[nodiscard]] bool cut_when_running(UnixSocketProxy& proxy, const std::string& run_id,
                                      const std::string& task_id, std::chrono::seconds patience) {
    auto engine = engine_->clone();
    engine::ContainerListOptions options;
    options.labels = {{std::string(kRunLabel), run_id}, {std::string(kTaskLabel), task_id}};
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < deadline) {
      auto list = engine.container_list(options);
      if (list && !list->empty() && list->front().state == "running") {
        proxy.close();
        return true;
      }
      std::this_thread::sleep_for(50ms);
    }
    proxy.close();
    return false;
  }
};

TEST_F(RetryTest, TaskOnAWorkerThatLosesItsEngineIsRetriedOnTheOther) {
  auto target = engine::parse_docker_host(docker_host_, "WHARF_TEST_DOCKER_HOST");
  ASSERT_TRUE(target) << target.error().message;
  ASSERT_EQ(target->scheme, engine::HostScheme::unix_socket) << docker_host_;
  UnixSocketProxy proxy(project_.path() / "flaky.sock", target->socket_path);
  auto flaky_host = engine::parse_docker_host("unix://" + proxy.path().string(), "the proxy");
  ASSERT_TRUE(flaky_host) << flaky_host.error().message;
  auto flaky_engine = engine::EngineClient::connect(
      *flaky_host, transport::make_unix_connector(proxy.path(), flaky_host->address));
  ASSERT_TRUE(flaky_engine) << flaky_engine.error().message;

  // Listed first, so on a tie of free slots the first task ("victim") goes to "flaky"; with
  // one slot each, "flaky" runs nothing else until the victim's attempt has ended — lost.
  const dispatch::Scheduler scheduler(
      {worker(*flaky_engine, "flaky"), worker(*engine_, "steady")},
      dispatch::SchedulerOptions{.parallel = 2, .retries = 1, .retry_failed_tasks = false});
  std::vector<dispatch::TaskSpec> tasks(4);
  tasks[0].id = "victim";
  tasks[0].args = {"sleep", "3"};
  for (std::size_t i = 1; i < tasks.size(); ++i) {
    tasks[i].id = std::string(1, static_cast<char>('a' + i - 1));
    tasks[i].args = {"sh", "-c", "exit 0"};
  }

  const auto run_id = new_run_id();
  std::atomic<bool> cut_mid_task{false};
  std::jthread saboteur([&] { cut_mid_task = cut_when_running(proxy, run_id, "victim", 20s); });
  RecordingSink events;
  dispatch::CancelToken cancel;
  const auto report = scheduler.run(tasks, run_id, cancel, &events);
  saboteur.join();
  ASSERT_TRUE(cut_mid_task) << "the victim's container was never seen running";
  EXPECT_GE(proxy.accepted(), 1U);

  const auto& victim = report.results.at(0);
  ASSERT_EQ(victim.id, "victim");
  EXPECT_EQ(victim.attempts, 2U);
  EXPECT_THAT(victim.workers_tried, ElementsAre("flaky", "steady"));
  EXPECT_EQ(victim.last.status, AttemptStatus::completed) << victim.last.error;
  EXPECT_EQ(victim.last.exit_code, 0);
  EXPECT_EQ(victim.last.worker, "steady");
  const auto& e = events.events;
  EXPECT_THAT(e, ::testing::Contains("started victim #1 on flaky"));
  EXPECT_THAT(e, ::testing::Contains("retrying victim #2 after infrastructure_error on flaky"));
  EXPECT_THAT(e, ::testing::Contains("started victim #2 on steady"));
  EXPECT_THAT(e, ::testing::Contains("lost flaky"));

  for (std::size_t i = 1; i < report.results.size(); ++i) {
    const auto& result = report.results[i];
    EXPECT_EQ(result.attempts, 1U) << result.id;
    EXPECT_TRUE(result.last.succeeded()) << result.id << ": " << result.last.error;
    EXPECT_EQ(result.last.worker, "steady") << result.id;
  }
  EXPECT_EQ(report.counts.succeeded, 4U);
  EXPECT_EQ(report.counts.retries, 1U);
  ASSERT_EQ(report.lost_workers.size(), 1U);
  EXPECT_EQ(report.lost_workers[0].name, "flaky");
  EXPECT_FALSE(report.lost_workers[0].error.empty());

  // "flaky" could not remove the victim's first container once its engine was gone: that is
  // what the run's sweep is for, and it must leave nothing of the run behind.
  auto swept = remove_run_containers(*engine_, run_id);
  ASSERT_TRUE(swept) << swept.error().message;
  EXPECT_EQ(*swept, 1U);
  EXPECT_TRUE(run_containers(run_id).empty());
}

}  // namespace
}  // namespace wharf::backends::test
