// `wharf dispatch --workers` over the local engine and the two SSH hosts of the harness: tasks
// spread and exact, argv through SSH unchanged, a host lost mid-run, Ctrl-C, an unreachable
// worker.
#include <atomic>
#include <csignal>
#include <map>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "integration/workers/workers_fixture.hpp"
#include "support/byte_patterns.hpp"
#include "support/spawn.hpp"

namespace wharf::workers::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using wharf::test::json_lines;

TEST_F(WorkersTest, SixtyTasksOverLocalAndTwoSshHostsAllCompleteOnEveryHost) {
  write_inventory({local_worker(2), worker_a(2), worker_b(2)});
  std::string tasks;
  for (int i = 0; i < 60; ++i) {
    tasks += nlohmann::json{{"id", "t" + std::to_string(i)},
                            {"args", {"sh", "-c", "echo out-$N; exit $((N % 3))"}},
                            {"env", {{"N", std::to_string(i)}}}}
                 .dump() +
             "\n";
  }
  write_file(path("tasks.jsonl"), tasks);
  const auto started = std::chrono::steady_clock::now();
  const auto out = wharf({"--json", "dispatch", "--workers", "docker/workers.json", "--tasks",
                          path("tasks.jsonl").string(), "--results", path("results.jsonl").string(),
                          "--logs", path("logs").string()});
  std::cout << "60 tasks over 3 hosts took "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " s\n";
  EXPECT_EQ(out.exit_code, 1) << out.err;  // A third of the tasks exit non-zero on purpose.
  const auto report = nlohmann::json::parse(out.out);
  runs_.push_back(report.at("run_id"));

  const auto results = json_lines(read_file(path("results.jsonl")));
  ASSERT_EQ(results.size(), 60U);
  std::set<std::string> ids;
  std::map<std::string, int> per_worker;
  for (const auto& result : results) {
    const auto id = result.at("id").get<std::string>();
    EXPECT_TRUE(ids.insert(id).second) << id << " reported twice";
    const int n = std::stoi(id.substr(1));
    EXPECT_EQ(result.at("status"), "completed") << id;
    EXPECT_EQ(result.at("exit_code"), n % 3) << id;
    EXPECT_EQ(result.at("attempts"), 1) << id;
    EXPECT_EQ(read_file(path("logs") / (id + ".log")), "out-" + std::to_string(n) + "\n");
    ++per_worker[result.at("worker").get<std::string>()];
  }
  EXPECT_EQ(ids.size(), 60U);
  EXPECT_GT(per_worker["here"], 0);
  EXPECT_GT(per_worker["a"], 0);
  EXPECT_GT(per_worker["b"], 0);
  EXPECT_EQ(per_worker.size(), 3U);
  EXPECT_EQ(report.at("counts").at("succeeded"), 20);
  EXPECT_TRUE(report.at("lost_workers").empty());
  EXPECT_EQ(containers_of(report.at("run_id")), 0U);
}

TEST_F(WorkersTest, ArgumentsReachTheRemoteTaskUnchanged) {
  write_inventory({worker_a(1)});
  const std::vector<std::string> tricky = {"two words",
                                           "\"double\" and 'single'",
                                           "$(id) `id` $HOME ${PATH}",
                                           "a;b && c | d",
                                           "line1\nline2",
                                           "naïve — ☃ 日本",
                                           "",
                                           "-e",
                                           "\\back\\slash"};
  std::vector<std::string> args = {"sh", "-c", "printf '[%s]\\n' \"$@\"", "x"};
  args.insert(args.end(), tricky.begin(), tricky.end());
  write_file(path("tasks.jsonl"), nlohmann::json{{"id", "args"}, {"args", args}}.dump() + "\n");
  const auto out = wharf({"--json", "dispatch", "--workers", "docker/workers.json", "--tasks",
                          path("tasks.jsonl").string(), "--logs", path("logs").string()});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  runs_.push_back(nlohmann::json::parse(out.out).at("run_id"));
  std::string expected;
  for (const auto& arg : tricky) {
    expected += "[" + arg + "]\n";
  }
  EXPECT_EQ(read_file(path("logs") / "args.log"), expected);
  EXPECT_EQ(nlohmann::json::parse(out.out).at("results").at(0).at("worker"), "a");
}

TEST_F(WorkersTest, RemoteTaskOutputReachesTheLogByteForByte) {
  // Every byte value and 10 MiB of binary on stdout, the byte values on stderr, and a tail
  // after the last newline, all carried by the one SSH session's channels.
  constexpr std::size_t kBlobSize = std::size_t{10} << 20;
  write_inventory({worker_a(2)});
  std::string tasks;
  const auto add = [&tasks](const std::string& id, const std::string& script) {
    tasks += nlohmann::json{{"id", id}, {"args", {"sh", "-c", script}}}.dump() + "\n";
  };
  add("blob", wharf::test::byte_pattern_script(kBlobSize, 1));
  add("stderr", wharf::test::byte_pattern_script(256, 2));
  add("tail", "sleep 1; printf 'a\\0b'");
  write_file(path("tasks.jsonl"), tasks);
  const auto out = wharf({"--json", "dispatch", "--workers", "docker/workers.json", "--tasks",
                          path("tasks.jsonl").string(), "--logs", path("logs").string()});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  runs_.push_back(nlohmann::json::parse(out.out).at("run_id"));
  const auto blob = read_file(path("logs") / "blob.log");
  const auto expected = wharf::test::byte_pattern(kBlobSize);
  EXPECT_TRUE(blob == expected) << wharf::test::describe_difference(expected, blob);
  EXPECT_EQ(read_file(path("logs") / "stderr.log"), wharf::test::byte_pattern(256));
  EXPECT_EQ(read_file(path("logs") / "tail.log"), std::string("a\0b", 3));
}

TEST_F(WorkersTest, AHostLostMidRunHasItsTasksFinishedElsewhereNoneLostOrDoubled) {
  // A host of the test's own, fronting engine a, that the test can kill.
  std::filesystem::create_directories(path("doomed"));
  ssh::test::PrivateSshd doomed(path("doomed"), "127.0.0.4", a_);
  doomed.start();
  ASSERT_FALSE(HasFailure());
  write_inventory(
      {local_worker(1),
       ssh_worker("doomed", a_, doomed.address(), doomed.port(), doomed.known_hosts(), 2),
       worker_b(1)});
  std::string tasks;
  for (int i = 0; i < 16; ++i) {
    tasks += nlohmann::json{{"id", "t" + std::to_string(i)},
                            {"args", {"sh", "-c", "sleep 2; echo done-" + std::to_string(i)}}}
                 .dump() +
             "\n";
  }
  write_file(path("tasks.jsonl"), tasks);

  // Kill the host once a task container runs on its engine (engine a).
  std::atomic<bool> killed{false};
  std::jthread killer([&](std::stop_token stop) {
    while (!stop.stop_requested()) {
      engine::ContainerListOptions options;
      options.all = false;
      options.labels = {{std::string(backends::kRunLabel), ""}};
      auto client = engines_[1].clone();
      auto running = client.container_list(options);
      if (running && !running->empty()) {
        doomed.kill();
        killed = true;
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
  });
  const auto out = wharf({"--json", "dispatch", "--workers", "docker/workers.json", "--tasks",
                          path("tasks.jsonl").string(), "--retries", "2", "--results",
                          path("results.jsonl").string(), "--logs", path("logs").string()});
  killer.request_stop();
  killer.join();
  ASSERT_TRUE(killed) << "no task container ever ran on engine a: " << out.out;
  ASSERT_TRUE(nlohmann::json::accept(out.out)) << "stdout: " << out.out << "\nstderr: " << out.err;
  const auto report = nlohmann::json::parse(out.out);
  runs_.push_back(report.at("run_id"));
  EXPECT_EQ(out.exit_code, 0) << out.err;

  ASSERT_EQ(report.at("lost_workers").size(), 1U) << out.out;
  EXPECT_EQ(report.at("lost_workers").at(0).at("name"), "doomed");
  // It names the SSH failure, not a missing dockerd (the bridge socket's disappearance).
  const auto why = report.at("lost_workers").at(0).at("error").get<std::string>();
  EXPECT_THAT(why, HasSubstr("SSH"));
  EXPECT_THAT(why, ::testing::Not(HasSubstr("is dockerd running")));
  const auto results = json_lines(read_file(path("results.jsonl")));
  ASSERT_EQ(results.size(), 16U);
  std::set<std::string> ids;
  int retried = 0;
  for (const auto& result : results) {
    const auto id = result.at("id").get<std::string>();
    EXPECT_TRUE(ids.insert(id).second) << id << " reported twice";
    EXPECT_EQ(result.at("status"), "completed") << result.dump();
    EXPECT_EQ(result.at("exit_code"), 0) << result.dump();
    EXPECT_NE(result.at("worker"), "doomed")
        << "a task is reported done on the lost host: " << result.dump();
    EXPECT_EQ(read_file(path("logs") / (id + ".log")), "done-" + id.substr(1) + "\n")
        << result.dump();
    retried += result.at("attempts").get<int>() > 1 ? 1 : 0;
  }
  EXPECT_GE(retried, 1) << "the task running on the lost host was not retried";
  // The lost host's containers could not be swept by wharf; TearDown removes them.
}

TEST_F(WorkersTest, SigintLeavesNoContainerOnAnyWorker) {
  write_inventory({local_worker(1), worker_a(2), worker_b(1)});
  std::string tasks;
  for (int i = 0; i < 10; ++i) {
    tasks += R"({"id": "s)" + std::to_string(i) +
             R"(", "args": ["sleep", "120"]})"
             "\n";
  }
  write_file(path("tasks.jsonl"), tasks);
  const auto pid = wharf::test::spawn_wharf(
      {"-C", project_.path().string(), "--json", "dispatch", "--workers",
       path("docker/workers.json").string(), "--tasks", path("tasks.jsonl").string()},
      {{"DOCKER_HOST", hosts_[0]},
       {"SSH_AUTH_SOCK", ""},
       {"HOME", (project_.path() / "home").string()},
       {"TASK_EXECUTOR_IMAGE", ""}},
      path("out.json"), path("err.txt"));
  ASSERT_GT(pid, 0);
  // Under way: a task container running on each of the three engines.
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  bool everywhere = false;
  while (!everywhere && std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) {
      FAIL() << "wharf exited early: " << read_file(path("err.txt"));
    }
    everywhere = true;
    for (auto& engine : engines_) {
      engine::ContainerListOptions options;
      options.all = false;
      options.labels = {{std::string(backends::kRunLabel), ""}};
      auto running = engine.container_list(options);
      everywhere = everywhere && running && !running->empty();
    }
    std::this_thread::sleep_for(100ms);
  }
  if (!everywhere) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    FAIL() << "the run never had a container on every worker: " << read_file(path("err.txt"));
  }
  const auto signalled = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const auto status = wharf::test::wait_or_kill(pid, 30s);
  if (!status) {
    FAIL() << "wharf did not exit within 30 s of SIGINT";
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled);
  std::cout << "exited " << seconds.count() << " s after SIGINT\n";
  EXPECT_LT(seconds.count(), 15.0);
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 130);
  const auto report = nlohmann::json::parse(read_file(path("out.json")));
  runs_.push_back(report.at("run_id"));
  EXPECT_TRUE(report.at("cancelled").get<bool>());
  EXPECT_EQ(containers_of(report.at("run_id")), 0U) << "a worker kept a container of the run";
}

TEST_F(WorkersTest, AnUnreachableWorkerIsReportedAndTheOthersCarryOn) {
  write_inventory(
      {local_worker(1), {{"name", "nowhere"}, {"host", "ssh://root@127.0.0.9:1"}, {"slots", 1}}});
  const auto checked = wharf({"workers", "check"});
  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_THAT(checked.err, HasSubstr("worker nowhere (ssh://root@127.0.0.9:1)"));
  EXPECT_THAT(checked.err, HasSubstr("connection refused"));

  write_file(path("tasks.jsonl"), R"({"id": "x", "args": ["echo", "fine"]})"
                                  "\n");
  const auto out = wharf({"--json", "dispatch", "--workers", "docker/workers.json", "--tasks",
                          path("tasks.jsonl").string()});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_THAT(out.err, HasSubstr("worker nowhere"));
  const auto report = nlohmann::json::parse(out.out);
  runs_.push_back(report.at("run_id"));
  EXPECT_EQ(report.at("results").at(0).at("worker"), "here");
  ASSERT_EQ(report.at("skipped_workers").size(), 1U);
  EXPECT_EQ(report.at("skipped_workers").at(0).at("name"), "nowhere");
}

}  // namespace
}  // namespace wharf::workers::test
