// Running tasks: create/start/wait/logs, argv fidelity, listing, kill/remove, exec, and the
// bounded waits (timeout, cancel) a scheduler relies on.

#include <thread>

#include <gmock/gmock.h>

#include "integration/engine/engine_fixture.hpp"

namespace wharf::engine::test {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

WaitOptions wait_at_most(std::chrono::milliseconds timeout) {
  return WaitOptions{WaitCondition::not_running, timeout, {}};
}

TEST_F(EngineTest, ExitCodeAndSeparatedStreams) {
  const auto start = Clock::now();
  const auto id = run(spec({"sh", "-c", "echo out; echo err >&2; exit 3"}));
  ASSERT_FALSE(id.empty());
  auto waited = client_->container_wait(id, wait_at_most(std::chrono::seconds(60)));
  ASSERT_TRUE(waited.has_value()) << waited.error().message;
  EXPECT_EQ(waited->exit_code, 3);
  std::cout << "create+start+wait: " << since(start).count() << " ms\n";

  auto logs = client_->container_logs(id);
  ASSERT_TRUE(logs.has_value()) << logs.error().message;
  EXPECT_EQ(logs->standard_output, "out\n");
  EXPECT_EQ(logs->standard_error, "err\n");

  auto info = client_->container_inspect(id);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->state.status, "exited");
  EXPECT_EQ(info->state.exit_code, 3);
  EXPECT_FALSE(info->tty);
  EXPECT_EQ(info->labels.at(kTestLabel), run_id_);
  EXPECT_EQ(info->image_reference, kWorkerImage);
}

TEST_F(EngineTest, ArgumentsReachArgvUnchanged) {
  const std::vector<std::string> arguments{"plain",
                                           "with space",
                                           "double \"quote\"",
                                           "single 'quote'",
                                           "$(echo no)",
                                           "`id`",
                                           "$HOME",
                                           "line1\nline2",
                                           "tab\there",
                                           "UTF-8: żółć 日本 🐳",
                                           "",
                                           "--flag=value",
                                           "*",
                                           "; echo gotcha",
                                           "back\\slash",
                                           "trailing newline\n"};
  std::vector<std::string> cmd{"sh", "-c", "printf '[%s]\\n' \"$@\"", "sh"};
  cmd.insert(cmd.end(), arguments.begin(), arguments.end());
  auto container = spec(cmd);
  container.env = {{"WHARF_VALUE", "a=b $(x) \"q\"\nline"}};
  const auto id = run(container);
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(client_->container_wait(id, wait_at_most(std::chrono::seconds(60))).has_value());
  auto logs = client_->container_logs(id);
  ASSERT_TRUE(logs.has_value()) << logs.error().message;
  std::string expected;
  for (const auto& argument : arguments) {
    expected += "[" + argument + "]\n";
  }
  EXPECT_EQ(logs->standard_output, expected);
  EXPECT_EQ(logs->standard_error, "");

  // The environment value arrives unchanged too.
  auto env_spec = spec({"sh", "-c", "printf '[%s]' \"$WHARF_VALUE\""});
  env_spec.env = container.env;
  const auto env_id = run(env_spec);
  ASSERT_TRUE(client_->container_wait(env_id, wait_at_most(std::chrono::seconds(60))));
  auto env_logs = client_->container_logs(env_id);
  ASSERT_TRUE(env_logs.has_value());
  EXPECT_EQ(env_logs->standard_output, "[a=b $(x) \"q\"\nline]");
}

TEST_F(EngineTest, TtyContainersHaveRawLogs) {
  auto container = spec({"sh", "-c", "echo to-out; echo to-err >&2"});
  container.tty = true;
  const auto id = run(container);
  ASSERT_TRUE(client_->container_wait(id, wait_at_most(std::chrono::seconds(60))));
  auto logs = client_->container_logs(id);  // Finds out about the TTY by inspecting.
  ASSERT_TRUE(logs.has_value()) << logs.error().message;
  EXPECT_EQ(logs->standard_output, "to-out\r\nto-err\r\n");
}

TEST_F(EngineTest, FollowedLogsStreamWhileTheContainerRuns) {
  const auto id = run(spec({"sh", "-c", "for i in 1 2 3; do echo $i; sleep 0.3; done"}));
  ASSERT_FALSE(id.empty());
  std::vector<std::pair<std::string, Clock::time_point>> pieces;
  LogsOptions options;
  options.follow = true;
  options.tty = false;
  options.timeout = std::chrono::seconds(60);
  auto followed = client_->container_logs(id, options, [&](LogStream, std::string_view bytes) {
    pieces.emplace_back(std::string(bytes), Clock::now());
  });
  ASSERT_TRUE(followed.has_value()) << followed.error().message;
  std::string all;
  for (const auto& piece : pieces) {
    all += piece.first;
  }
  EXPECT_EQ(all, "1\n2\n3\n");
  ASSERT_GE(pieces.size(), 2U);
  EXPECT_GE(pieces.back().second - pieces.front().second, std::chrono::milliseconds(400))
      << "the first line must arrive while the container still runs";

  // A sink can stop reading early without an error.
  int calls = 0;
  LogsOptions again;
  again.tty = false;
  EXPECT_TRUE(client_->container_logs(id, again, [&](LogStream, std::string_view) { ++calls; }));
  EXPECT_GE(calls, 1);
}

TEST_F(EngineTest, ListByLabelThenKillAndRemoveLeaveNothing) {
  const auto first = run(spec({"sleep", "300"}));
  const auto second = run(spec({"sleep", "300"}));
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());

  auto listed = client_->container_list(ContainerListOptions{true, labels(), {}});
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  ASSERT_EQ(listed->size(), 2U);
  for (const auto& container : *listed) {
    EXPECT_EQ(container.state, "running");
    EXPECT_EQ(container.labels.at(kTestLabel), run_id_);
  }

  ASSERT_TRUE(client_->container_kill(first, "KILL").has_value());
  auto waited = client_->container_wait(first, wait_at_most(std::chrono::seconds(30)));
  ASSERT_TRUE(waited.has_value()) << waited.error().message;
  EXPECT_EQ(waited->exit_code, 137);
  const auto killed_again = client_->container_kill(first, "KILL");
  ASSERT_FALSE(killed_again.has_value());
  EXPECT_EQ(killed_again.error().kind, ErrorKind::conflict);

  ASSERT_TRUE(client_->container_remove(first).has_value());
  ASSERT_TRUE(client_->container_remove(second).has_value());  // Running: force kills it.
  auto inspected = client_->container_inspect(first);
  ASSERT_FALSE(inspected.has_value());
  EXPECT_EQ(inspected.error().kind, ErrorKind::not_found);
  EXPECT_EQ(inspected.error().http_status, 404);
  const auto removed_again = client_->container_remove(second);
  ASSERT_FALSE(removed_again.has_value());
  EXPECT_EQ(removed_again.error().kind, ErrorKind::not_found);

  listed = client_->container_list(ContainerListOptions{true, labels(), {}});
  ASSERT_TRUE(listed.has_value());
  EXPECT_TRUE(listed->empty());
}

TEST_F(EngineTest, StopEndsARunningContainer) {
  auto container = spec({"sleep", "300"});
  container.init = true;  // docker-init forwards SIGTERM; sleep as PID 1 would ignore it.
  const auto id = run(container);
  const auto start = Clock::now();
  ASSERT_TRUE(client_->container_stop(id, std::chrono::seconds(10)).has_value());
  EXPECT_LT(since(start), std::chrono::seconds(5));
  auto info = client_->container_inspect(id);
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->state.running);
  EXPECT_TRUE(client_->container_stop(id).has_value()) << "stopping twice is fine";
}

TEST_F(EngineTest, ExecReturnsOutputAndExitCode) {
  const auto id = run(spec({"sleep", "300"}));
  ASSERT_FALSE(id.empty());
  ExecSpec exec;
  exec.cmd = {"sh", "-c", "echo exec-out; echo \"$GREETING\" >&2; exit 7"};
  exec.env = {{"GREETING", "hello from exec"}};
  const auto start = Clock::now();
  auto exec_id = client_->exec_create(id, exec);
  ASSERT_TRUE(exec_id.has_value()) << exec_id.error().message;
  LogOutput output;
  auto started = client_->exec_start(*exec_id, {}, collect_into(output));
  ASSERT_TRUE(started.has_value()) << started.error().message;
  auto info = client_->exec_inspect(*exec_id);
  std::cout << "exec create+start+inspect: " << since(start).count() << " ms\n";
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_FALSE(info->running);
  EXPECT_EQ(info->exit_code, 7);
  EXPECT_EQ(output.standard_output, "exec-out\n");
  EXPECT_EQ(output.standard_error, "hello from exec\n");
  // The engine closed the hijacked connection; the client reconnects by itself.
  EXPECT_TRUE(client_->ping().has_value());

  const auto stopped = run(spec({"true"}));
  ASSERT_TRUE(client_->container_wait(stopped, wait_at_most(std::chrono::seconds(30))));
  const auto refused = client_->exec_create(stopped, exec);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::conflict);
  EXPECT_THAT(refused.error().message, HasSubstr("is not running"));
}

TEST_F(EngineTest, WaitTimesOutAndCanBeCancelled) {
  const auto id = run(spec({"sleep", "300"}));
  ASSERT_FALSE(id.empty());
  auto start = Clock::now();
  auto timed_out = client_->container_wait(id, wait_at_most(std::chrono::milliseconds(500)));
  ASSERT_FALSE(timed_out.has_value());
  EXPECT_EQ(timed_out.error().kind, ErrorKind::timeout);
  EXPECT_THAT(timed_out.error().message, HasSubstr("within 500 ms"));
  EXPECT_LT(since(start), std::chrono::seconds(3));

  std::stop_source stop;
  WaitOptions options;
  options.cancel = stop.get_token();
  std::jthread canceller([&stop] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.request_stop();
  });
  start = Clock::now();
  auto cancelled = client_->container_wait(id, options);
  const auto latency = since(start) - std::chrono::milliseconds(300);
  std::cout << "cancel latency: " << latency.count() << " ms\n";
  ASSERT_FALSE(cancelled.has_value());
  EXPECT_EQ(cancelled.error().kind, ErrorKind::cancelled);
  EXPECT_LT(latency, std::chrono::milliseconds(200));
  EXPECT_TRUE(client_->ping().has_value()) << "the client is usable after a cancel";
}

TEST_F(EngineTest, CreateFromMissingImageIsNotFound) {
  auto container = spec({"true"});
  container.image = "wharf/does-not-exist:0.0.0";
  const auto created = client_->container_create(container);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().kind, ErrorKind::not_found);
  EXPECT_THAT(created.error().message, HasSubstr("wharf/does-not-exist:0.0.0"));
}

TEST_F(EngineTest, SequentialTaskTiming) {
  // create/start/wait/remove of a trivial task over one kept-alive connection.
  std::vector<long> samples;
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    const auto id = run(spec({"true"}));
    ASSERT_TRUE(client_->container_wait(id, wait_at_most(std::chrono::seconds(30))));
    ASSERT_TRUE(client_->container_remove(id));
    samples.push_back(since(start).count());
  }
  std::ranges::sort(samples);
  std::cout << "trivial task create/start/wait/remove median: " << samples[2] << " ms\n";
}

}  // namespace
}  // namespace wharf::engine::test
