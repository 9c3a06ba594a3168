// wait_until_healthy() against the private engine: real healthchecks passing and failing,
// a container that exits, one without a healthcheck that must stay up, and cancellation.

#include "wharf/update/health_wait.hpp"

#include <chrono>
#include <iostream>
#include <stop_token>
#include <thread>

#include <gmock/gmock.h>

#include "integration/update/recreate_fixture.hpp"

namespace wharf::update::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

// Prints "line 1" … "line 25", then "oops" on stderr, then sleeps; the last 20 lines are
// 7 … 25 and "oops". The engine copies stdout and stderr concurrently, so the pause keeps
// "oops" after the rest in the log.
const std::vector<std::string> kChatty{"sh", "-c",
                                       "for i in $(seq 1 25); do echo \"line $i\"; done; "
                                       "sleep 0.5; echo oops >&2; sleep 600"};

TEST_F(RecreateTest, HealthWaitSucceedsForHealthyAndSettledContainers) {
  const auto healthy =
      run_container(unique("healthy"), {"--network", "none", "--init", "--health-cmd", "true",
                                        "--health-interval", "1s", image_v1_});
  const auto plain = run_container(unique("plain"), {"--network", "none", "--init", image_v1_});
  ASSERT_FALSE(healthy.empty() || plain.empty());

  const auto start = Clock::now();
  const auto report = wait_until_healthy(*engine_, {healthy, plain}, seconds(30), seconds(2));
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  std::cout << "healthy (1 s interval) and settled (2 s): " << took.count() << " ms; healthy after "
            << report.containers[0].elapsed.count() << " ms\n";
  ASSERT_TRUE(report.as_result().has_value()) << report.as_result().error().message;
  EXPECT_EQ(report.containers[0].outcome, HealthOutcome::healthy);
  EXPECT_TRUE(report.containers[0].has_healthcheck);
  EXPECT_EQ(report.containers[0].name, unique("healthy"));
  EXPECT_EQ(report.containers[1].outcome, HealthOutcome::settled);
  EXPECT_FALSE(report.containers[1].has_healthcheck);
  EXPECT_GE(report.containers[1].elapsed, seconds(2));
  EXPECT_LT(took, seconds(20));
}

TEST_F(RecreateTest, HealthWaitFailsAnUnhealthyContainerWithItsLastLogLines) {
  const auto sick = run_container(
      unique("sick"), {"--network", "none", "--init", "--health-cmd", "echo db down; exit 1",
                       "--health-interval", "1s", "--health-retries", "2", image_v1_});
  const auto fine = run_container(unique("fine"), {"--network", "none", "--init", image_v1_});
  ASSERT_FALSE(sick.empty() || fine.empty());
  // The container's own output comes from the command, not the image.
  const auto chatty = unique("sick-chatty");
  std::vector<std::string> args{
      "--network",        "none", "--init", "--health-cmd", "exit 1", "--health-interval", "1s",
      "--health-retries", "2",    image_v1_};
  args.insert(args.end(), kChatty.begin(), kChatty.end());
  const auto talker = run_container(chatty, args);
  ASSERT_FALSE(talker.empty());

  const auto report = wait_until_healthy(*engine_, {sick, fine, talker}, seconds(60), seconds(1));
  const auto& first = report.containers[0];
  EXPECT_EQ(first.outcome, HealthOutcome::unhealthy);
  EXPECT_THAT(first.detail, HasSubstr("printed: db down"));
  EXPECT_EQ(report.containers[1].outcome, HealthOutcome::settled);
  const auto& third = report.containers[2];
  EXPECT_EQ(third.outcome, HealthOutcome::unhealthy);
  ASSERT_EQ(third.last_log_lines.size(), 20U);
  EXPECT_EQ(third.last_log_lines.front(), "line 7");
  EXPECT_EQ(third.last_log_lines[18], "line 25");
  EXPECT_EQ(third.last_log_lines.back(), "oops");
  std::cout << "unhealthy after " << first.elapsed.count() << " ms (1 s interval, 2 retries)\n";

  const auto result = report.as_result();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::remote);
  EXPECT_THAT(result.error().message, HasSubstr("2 of 3 containers did not become healthy"));
  EXPECT_THAT(result.error().message, HasSubstr(chatty + " (unhealthy after"));
  EXPECT_THAT(result.error().message, HasSubstr("    | line 25\n    | oops"));
  EXPECT_THAT(result.error().message, Not(HasSubstr("| line 6\n")));
}

TEST_F(RecreateTest, HealthWaitFailsAContainerThatExits) {
  const auto quitter = run_container(
      unique("quitter"), {"--network", "none", "--health-cmd", "true", "--health-interval", "1s",
                          image_v1_, "sh", "-c", "echo giving up; sleep 1; exit 3"});
  ASSERT_FALSE(quitter.empty());
  const auto report = wait_until_healthy(*engine_, {quitter}, seconds(30), seconds(1));
  const auto& verdict = report.containers.at(0);
  EXPECT_EQ(verdict.outcome, HealthOutcome::exited);
  EXPECT_THAT(verdict.detail, HasSubstr("exit code 3"));
  EXPECT_THAT(verdict.last_log_lines, ElementsAre("giving up"));
}

TEST_F(RecreateTest, HealthWaitTimesOutAndCanBeCancelled) {
  const auto slow = run_container(unique("slow"), {"--network", "none", "--init", "--health-cmd",
                                                   "true", "--health-interval", "60s", image_v1_});
  ASSERT_FALSE(slow.empty());
  const auto report = wait_until_healthy(*engine_, {slow}, seconds(1), seconds(1));
  EXPECT_EQ(report.containers.at(0).outcome, HealthOutcome::timed_out);
  EXPECT_THAT(report.containers.at(0).detail, HasSubstr("still said \"starting\""));
  EXPECT_EQ(report.as_result().error().kind, ErrorKind::timeout);

  std::stop_source stop;
  std::jthread canceller([&stop] {
    std::this_thread::sleep_for(milliseconds(300));
    stop.request_stop();
  });
  const auto start = Clock::now();
  const auto cancelled =
      wait_until_healthy(*engine_, {slow}, seconds(60), seconds(1), stop.get_token());
  EXPECT_EQ(cancelled.containers.at(0).outcome, HealthOutcome::cancelled);
  EXPECT_LT(Clock::now() - start, seconds(5));
}

TEST_F(RecreateTest, HealthWaitReportsAContainerThatDoesNotExist) {
  const auto report = wait_until_healthy(*engine_, {unique("ghost")}, seconds(5), seconds(1));
  EXPECT_EQ(report.containers.at(0).outcome, HealthOutcome::exited);
  EXPECT_THAT(report.containers.at(0).detail, HasSubstr("no such container"));
}

}  // namespace
}  // namespace wharf::update::test
