// WarmPoolWorker against the engine peer: tasks run through exec in long-lived containers with
// the same argv, env, exit codes and logs as fresh containers; a timeout or a cancellation
// takes the container with it; nothing of the run survives shutdown.

#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "wharf/backends/engine/warm_pool_worker.hpp"

#include "integration/dispatch/dispatch_fixture.hpp"

namespace wharf::backends::test {
namespace {

using namespace std::chrono_literals;
using dispatch::AttemptStatus;
using ::testing::HasSubstr;

class WarmPoolTest : public DispatchTest {
 protected:
  void TearDown() override {
    if (pool_) {
      auto removed = pool_->shutdown();
      EXPECT_TRUE(removed) << removed.error().message;
    }
    EXPECT_TRUE(run_containers(run_id_).empty()) << "the pool left containers behind";
    (void)remove_run_containers(*engine_, run_id_);
  }

  void make_pool(std::size_t size = 1, const std::string& image = "wharf/worker:dev") {
    WarmPoolOptions options;
    options.size = size;
    options.image = image;
    options.logs_dir = path("logs");
    auto created = WarmPoolWorker::create(*engine_, std::move(options));
    ASSERT_TRUE(created) << created.error().message;
    pool_ = *created;
  }

  dispatch::Attempt run_task(const std::string& id, std::vector<std::string> args,
                             std::optional<std::chrono::milliseconds> timeout = {},
                             std::map<std::string, std::string> env = {}) {
    dispatch::TaskSpec task;
    task.id = id;
    task.args = std::move(args);
    task.timeout = timeout;
    task.env = std::move(env);
    return pool_->run(task, dispatch::AttemptContext{run_id_, 1, cancel_});
  }

  /// Names of the pool's containers that exist now.
  std::set<std::string> pool_containers() {
    std::set<std::string> names;
    for (const auto& container : run_containers(run_id_)) {
      EXPECT_EQ(container.labels.count(std::string(kPoolLabel)), 1U);
      names.insert(container.names.front());
    }
    return names;
  }

  std::string run_id_ = new_run_id();
  dispatch::CancelToken cancel_;
  std::shared_ptr<WarmPoolWorker> pool_;
};

TEST_F(WarmPoolTest, TasksShareTheSlotContainerAndKeepTheirExitCodesAndLogs) {
  make_pool(1);
  const auto first = run_task("first", {"sh", "-c", "echo made > /tmp/mark; echo $N; exit 4"},
                              std::nullopt, {{"N", "forty-two"}});
  EXPECT_EQ(first.status, AttemptStatus::completed) << first.error;
  EXPECT_EQ(first.exit_code, 4);
  EXPECT_EQ(wharf::test::read_file(first.log_path), "forty-two\n");
  const auto container = pool_containers();
  ASSERT_EQ(container.size(), 1U);
  EXPECT_EQ(*container.begin(), WarmPoolWorker::container_name(run_id_, 0, 1));

  // The same slot's next task sees the file: this is the documented price of the pool.
  const auto second = run_task("second", {"cat", "/tmp/mark"});
  EXPECT_EQ(second.status, AttemptStatus::completed) << second.error;
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_EQ(wharf::test::read_file(second.log_path), "made\n");
  EXPECT_EQ(pool_containers(), container) << "the second task did not reuse the container";
}

TEST_F(WarmPoolTest, ArgumentsReachTheTaskUnchanged) {
  make_pool(1);
  const std::vector<std::string> tricky = {
      "two words",    "\"double\" and 'single'", "$(id) `id` $HOME",
      "line1\nline2", "naïve — ☃ 日本",          "",
      "-e",           "; rm -rf /tmp/x &&"};
  std::vector<std::string> args = {"sh", "-c", "printf '[%s]\\n' \"$@\"", "x"};
  args.insert(args.end(), tricky.begin(), tricky.end());
  const auto attempt = run_task("args", args);
  ASSERT_EQ(attempt.status, AttemptStatus::completed) << attempt.error;
  std::string expected;
  for (const auto& arg : tricky) {
    expected += "[" + arg + "]\n";
  }
  EXPECT_EQ(wharf::test::read_file(attempt.log_path), expected);
}

TEST_F(WarmPoolTest, TimeoutKillsTheContainerAndTheNextTaskGetsAFreshOne) {
  make_pool(1);
  const auto started = std::chrono::steady_clock::now();
  const auto slow = run_task("slow", {"sleep", "60"}, 1s);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  EXPECT_EQ(slow.status, AttemptStatus::timed_out) << slow.error;
  EXPECT_THAT(slow.error, HasSubstr("timeout"));
  EXPECT_LT(seconds.count(), 15.0);
  EXPECT_TRUE(pool_containers().empty()) << "the timed-out task's container survived";

  const auto next = run_task("next", {"true"});
  EXPECT_EQ(next.status, AttemptStatus::completed) << next.error;
  EXPECT_EQ(pool_containers(), std::set{WarmPoolWorker::container_name(run_id_, 0, 2)});
}

TEST_F(WarmPoolTest, UnknownCommandFailsToStartAndThePoolGoesOn) {
  make_pool(1);
  const auto bad = run_task("bad", {"no-such-command"});
  EXPECT_EQ(bad.status, AttemptStatus::failed_to_start) << bad.error;
  EXPECT_THAT(bad.error, HasSubstr("no-such-command"));
  const auto good = run_task("good", {"echo", "still here"});
  EXPECT_EQ(good.status, AttemptStatus::completed) << good.error;
  EXPECT_EQ(wharf::test::read_file(good.log_path), "still here\n");
}

TEST_F(WarmPoolTest, AContainerKilledBetweenTasksIsReplacedAndTheTaskRuns) {
  make_pool(1);
  ASSERT_EQ(run_task("first", {"true"}).status, AttemptStatus::completed);
  const auto first = WarmPoolWorker::container_name(run_id_, 0, 1);
  ASSERT_TRUE(engine_->container_kill(first));
  const auto second = run_task("second", {"echo", "again"});
  EXPECT_EQ(second.status, AttemptStatus::completed) << second.error;
  EXPECT_EQ(wharf::test::read_file(second.log_path), "again\n");
  EXPECT_EQ(pool_containers(), std::set{WarmPoolWorker::container_name(run_id_, 0, 2)});
}

TEST_F(WarmPoolTest, AContainerRemovedMidTaskCostsTheAttemptButNotThePool) {
  make_pool(1);
  std::jthread remover([this] {
    const auto name = WarmPoolWorker::container_name(run_id_, 0, 1);
    auto client = engine_->clone();
    for (int i = 0; i < 200; ++i) {
      std::this_thread::sleep_for(50ms);
      if (auto info = client.container_inspect(name); info && info->state.running) {
        std::this_thread::sleep_for(500ms);  // Let the task's exec start.
        (void)client.container_remove(name);
        return;
      }
    }
  });
  const auto lost = run_task("lost", {"sleep", "30"});
  remover.join();
  EXPECT_EQ(lost.status, AttemptStatus::infrastructure_error)
      << lost.error << " exit " << lost.exit_code;
  EXPECT_TRUE(lost.worker_usable) << "only the container was lost, not the engine";
  const auto next = run_task("next", {"echo", "fine"});
  EXPECT_EQ(next.status, AttemptStatus::completed) << next.error;
  EXPECT_EQ(wharf::test::read_file(next.log_path), "fine\n");
}

TEST_F(WarmPoolTest, CancellationStopsTheTaskPromptlyAndRemovesItsContainer) {
  make_pool(2);
  std::jthread canceller([this] {
    std::this_thread::sleep_for(1500ms);
    cancel_.cancel();
  });
  const auto started = std::chrono::steady_clock::now();
  const auto attempt = run_task("long", {"sleep", "120"});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  EXPECT_EQ(attempt.status, AttemptStatus::cancelled) << attempt.error;
  EXPECT_LT(seconds.count(), 10.0);
  EXPECT_TRUE(pool_containers().empty());
}

TEST_F(WarmPoolTest, TheImageEntrypointIsKeptInFrontOfTheArgs) {
  // An image whose entrypoint prints a marker, made by committing a container of the worker.
  engine::ContainerSpec spec;
  spec.image = "wharf/worker:dev";
  spec.cmd = {"true"};
  spec.labels = {{std::string(kRunLabel), run_id_}};
  auto base = engine_->container_create(spec);
  ASSERT_TRUE(base) << base.error().message;
  const std::string image = "wharf/entrypoint-test:" + run_id_;
  const auto colon = image.find(':');
  const nlohmann::json body = {{"Entrypoint", {"echo", "from-entrypoint"}}};
  auto committed = engine_->raw_request(engine::HttpRequest{"POST",
                                                            "/commit?container=" + base->id +
                                                                "&repo=" + image.substr(0, colon) +
                                                                "&tag=" + image.substr(colon + 1),
                                                            body.dump(),
                                                            {},
                                                            engine::kDefaultCallTimeout});
  ASSERT_TRUE(committed) << committed.error().message;
  ASSERT_EQ(committed->status, 201) << committed->body;
  ASSERT_TRUE(engine_->container_remove(base->id));

  make_pool(1, image);
  const auto attempt = run_task("entry", {"a", "b c"});
  EXPECT_EQ(attempt.status, AttemptStatus::completed) << attempt.error;
  EXPECT_EQ(wharf::test::read_file(attempt.log_path), "from-entrypoint a b c\n");
  ASSERT_TRUE(pool_->shutdown());
  pool_.reset();
  EXPECT_TRUE(engine_->image_remove(image));
}

TEST_F(DispatchTest, DispatchWarmRunsTwentyTasksWithExactResultsAndLeavesNothing) {
  // Each task also prints PID 1's command line: the pool's keep-alive, not the task.
  write_twenty_mixed_tasks("tr '\\0' ' ' < /proc/1/cmdline >&2");
  const auto started = std::chrono::steady_clock::now();
  const auto out =
      wharf({"--json", "dispatch", "--tasks", path("tasks.jsonl").string(), "--warm", "2",
             "--results", path("results.jsonl").string(), "--logs", path("logs").string()});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  std::cout << "20 tasks at --warm 2 took " << seconds.count() << " s\n";
  EXPECT_EQ(out.exit_code, 1) << out.err;
  EXPECT_THAT(out.err, HasSubstr("warm pool of 2"));

  const auto report = nlohmann::json::parse(out.out);
  ASSERT_EQ(report.at("results").size(), 20U);
  for (const auto& result : report.at("results")) {
    const auto id = result.at("id").get<std::string>();
    EXPECT_EQ(result.at("attempts"), 1);
    if (id == "slow") {
      EXPECT_EQ(result.at("status"), "timed_out");
      continue;
    }
    const int n = std::stoi(id.substr(1));
    EXPECT_EQ(result.at("status"), "completed") << id;
    EXPECT_EQ(result.at("exit_code"), n % 4) << id;
    // PID 1 of the container the task ran in is the pool's keep-alive, not the task.
    const auto log = wharf::test::read_file(path("logs") / (id + ".log"));
    EXPECT_THAT(log, HasSubstr("out-" + std::to_string(n) + "\n")) << id;
    EXPECT_THAT(log, HasSubstr("sleep 2147483647")) << id << " did not run in the warm pool";
  }
  EXPECT_EQ(report.at("counts").at("succeeded"), 5);
  EXPECT_EQ(report.at("counts").at("timed_out"), 1);
  EXPECT_TRUE(run_containers(report.at("run_id").get<std::string>()).empty());
}

TEST_F(DispatchTest, DispatchWarmZeroIsRefusedBeforeAnythingStarts) {
  wharf::test::write_file(path("tasks.jsonl"), R"({"id": "a", "args": ["true"]})"
                                               "\n");
  const auto out = wharf({"dispatch", "--tasks", path("tasks.jsonl").string(), "--warm", "0"});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_THAT(out.err, HasSubstr("--warm must be at least 1"));
  EXPECT_TRUE(run_containers().empty());
}

}  // namespace
}  // namespace wharf::backends::test
