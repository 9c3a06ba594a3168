// look_at(): the rules by which one inspect answer decides a container's health, and the
// error HealthReport makes of the verdicts.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "wharf/update/health_wait.hpp"

namespace wharf::update::test {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

// The State part of a real inspect answer (dockerd 20.10, healthcheck "test -f /tmp/ready").
json running(const char* health_status = nullptr) {
  json inspect = json::parse(R"({
    "Id": "c65d6f5b8f87", "Name": "/web", "RestartCount": 0,
    "State": {"Status": "running", "Running": true, "Paused": false, "Restarting": false,
              "OOMKilled": false, "Dead": false, "Pid": 7395, "ExitCode": 0, "Error": "",
              "StartedAt": "2026-11-23T15:19:06.390551308Z",
              "FinishedAt": "0001-01-01T00:00:00Z"}})");
  if (health_status != nullptr) {
    inspect["State"]["Health"] = {
        {"Status", health_status}, {"FailingStreak", 0}, {"Log", json::array()}};
  }
  return inspect;
}

TEST(HealthLook, AStartingHealthcheckIsUndecided) {
  const auto now = running("starting");
  const auto look = look_at(now, now, seconds(3), seconds(5));
  EXPECT_FALSE(look.decided);
  EXPECT_TRUE(look.has_healthcheck);
  EXPECT_EQ(look.outcome, HealthOutcome::timed_out);
  EXPECT_THAT(look.detail, HasSubstr("still said \"starting\""));
}

TEST(HealthLook, HealthyIsDecidedAtOnceWhateverTheSettlePeriod) {
  const auto now = running("healthy");
  const auto look = look_at(now, running("starting"), milliseconds(10), seconds(60));
  EXPECT_TRUE(look.decided);
  EXPECT_EQ(look.outcome, HealthOutcome::healthy);
}

TEST(HealthLook, UnhealthyCarriesTheLastChecksOutput) {
  auto now = running("unhealthy");
  now["State"]["Health"]["FailingStreak"] = 3;
  now["State"]["Health"]["Log"] = json::parse(R"([
    {"Start": "…", "End": "…", "ExitCode": 1, "Output": "first\n"},
    {"Start": "…", "End": "…", "ExitCode": 7, "Output": "not ready: db down\n"}])");
  const auto look = look_at(now, running("starting"), seconds(4), seconds(5));
  EXPECT_TRUE(look.decided);
  EXPECT_EQ(look.outcome, HealthOutcome::unhealthy);
  EXPECT_THAT(look.detail, HasSubstr("after 3 failed checks in a row"));
  EXPECT_THAT(look.detail, HasSubstr("exited with code 7 and printed: not ready: db down"));
}

TEST(HealthLook, ALongCheckOutputIsShortenedWithoutSplittingACharacter) {
  // 299 bytes and then a snowman (3 bytes): a cut at byte 300 would split it, and the
  // journal that records this sentence could then not be written as JSON.
  auto now = running("unhealthy");
  now["State"]["Health"]["Log"] = json::array(
      {{{"ExitCode", 1}, {"Output", std::string(299, 'x') + "\u2603 and more after it"}}});
  const auto look = look_at(now, running("starting"), seconds(4), seconds(5));
  ASSERT_EQ(look.outcome, HealthOutcome::unhealthy);
  EXPECT_THAT(look.detail, HasSubstr(std::string(299, 'x') + "…"));
  EXPECT_NO_THROW((void)json(look.detail).dump());
}

TEST(HealthLook, AnExitedContainerFailsWithItsExitCode) {
  auto now = running("starting");
  now["State"]["Status"] = "exited";
  now["State"]["Running"] = false;
  now["State"]["ExitCode"] = 3;
  const auto look = look_at(now, running("starting"), seconds(1), seconds(5));
  EXPECT_TRUE(look.decided);
  EXPECT_EQ(look.outcome, HealthOutcome::exited);
  EXPECT_THAT(look.detail, HasSubstr("stopped (exited) with exit code 3"));
}

TEST(HealthLook, OutOfMemoryIsSaid) {
  auto now = running();
  now["State"]["Running"] = false;
  now["State"]["Status"] = "exited";
  now["State"]["ExitCode"] = 137;
  now["State"]["OOMKilled"] = true;
  EXPECT_THAT(look_at(now, running(), seconds(1), seconds(5)).detail,
              HasSubstr("running out of memory"));
}

TEST(HealthLook, ARestartingContainerHasExited) {
  auto now = running();
  now["State"]["Restarting"] = true;
  now["State"]["ExitCode"] = 1;
  const auto look = look_at(now, running(), seconds(1), seconds(5));
  EXPECT_EQ(look.outcome, HealthOutcome::exited);
  EXPECT_THAT(look.detail, HasSubstr("restart policy is restarting it"));
}

TEST(HealthLook, ARestartBetweenTwoLooksIsAnExit) {
  auto now = running();
  now["RestartCount"] = 2;
  now["State"]["StartedAt"] = "2026-11-23T15:19:09.000000000Z";
  const auto look = look_at(now, running(), seconds(4), seconds(5));
  EXPECT_TRUE(look.decided);
  EXPECT_EQ(look.outcome, HealthOutcome::exited);
  EXPECT_THAT(look.detail, HasSubstr("restarted (2 time(s))"));
}

TEST(HealthLook, WithoutHealthcheckItMustRunForTheSettlePeriod) {
  const auto now = running();
  const auto early = look_at(now, now, seconds(2), seconds(5));
  EXPECT_FALSE(early.decided);
  EXPECT_FALSE(early.has_healthcheck);
  EXPECT_THAT(early.detail, HasSubstr("had run 2 s of the 5 s"));
  const auto late = look_at(now, now, seconds(5), seconds(5));
  EXPECT_TRUE(late.decided);
  EXPECT_EQ(late.outcome, HealthOutcome::settled);
}

TEST(HealthReport, AllOkIsSuccess) {
  HealthReport report{{ContainerHealth{"a", "a", HealthOutcome::healthy, true, {}, {}, {}},
                       ContainerHealth{"b", "b", HealthOutcome::settled, false, {}, {}, {}}}};
  EXPECT_TRUE(report.all_ok());
  EXPECT_TRUE(report.as_result().has_value());
}

TEST(HealthReport, AFailureNamesTheContainerAndShowsItsLogLines) {
  HealthReport report{{ContainerHealth{"a", "a", HealthOutcome::healthy, true, {}, {}, {}},
                       ContainerHealth{"b1c2",
                                       "web",
                                       HealthOutcome::unhealthy,
                                       true,
                                       "its healthcheck reported unhealthy.",
                                       {"starting", "db down"},
                                       milliseconds(4200)}}};
  EXPECT_FALSE(report.all_ok());
  const auto result = report.as_result();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::remote);
  EXPECT_THAT(result.error().message, HasSubstr("1 of 2 containers did not become healthy"));
  EXPECT_THAT(result.error().message,
              HasSubstr("web (unhealthy after 4.2 s): its healthcheck reported unhealthy. Its last "
                        "2 log lines:\n    | starting\n    | db down"));
}

TEST(HealthReport, CountsInTheRightNumber) {
  HealthReport report{{ContainerHealth{
      "c3d4", "db", HealthOutcome::exited, true, "it exited.", {"bye"}, milliseconds(1000)}}};
  const auto result = report.as_result();
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message, HasSubstr("1 of 1 container did not become healthy:"));
  EXPECT_THAT(result.error().message, HasSubstr("it exited. Its last log line:\n    | bye"));
}

TEST(HealthReport, OnlyTimeoutsAreATimeoutAndCancelWins) {
  HealthReport report{{ContainerHealth{"a", "a", HealthOutcome::timed_out, true, "x", {}, {}}}};
  EXPECT_EQ(report.as_result().error().kind, ErrorKind::timeout);
  report.containers.push_back(ContainerHealth{"b", "b", HealthOutcome::exited, false, "y", {}, {}});
  EXPECT_EQ(report.as_result().error().kind, ErrorKind::remote);
  report.containers.push_back(
      ContainerHealth{"c", "c", HealthOutcome::cancelled, false, "z", {}, {}});
  EXPECT_EQ(report.as_result().error().kind, ErrorKind::cancelled);
}

}  // namespace
}  // namespace wharf::update::test
