// Ctrl-C during `wharf dispatch`: wharf must stop promptly and leave no container behind.
// wharf is spawned here (not through run_wharf) so that the test can signal it mid-run.

#include <algorithm>
#include <csignal>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <gmock/gmock.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integration/dispatch/dispatch_fixture.hpp"
#include "support/spawn.hpp"

namespace wharf::backends::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

using wharf::test::spawn_wharf;
using wharf::test::wait_or_kill;

TEST_F(DispatchTest, SigintMidDispatchStopsPromptlyAndRemovesEveryContainer) {
  std::string tasks;
  for (int i = 0; i < 12; ++i) {
    tasks += R"({"id": "sleep)" + std::to_string(i) +
             R"(", "args": ["sleep", "120"]})"
             "\n";
  }
  wharf::test::write_file(path("tasks.jsonl"), tasks);
  const auto pid = spawn_wharf(
      {"-C", project_.path().string(), "dispatch", "--tasks", path("tasks.jsonl").string(),
       "--parallel", "4", "--results", path("results.jsonl").string()},
      env(), path("out.txt"), path("err.txt"));
  ASSERT_GT(pid, 0);

  // Wait until the run is really under way: four containers of it running.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  std::size_t running = 0;
  while (std::chrono::steady_clock::now() < deadline && running < 4) {
    running = 0;
    for (const auto& container : run_containers()) {
      running += container.state == "running" ? 1 : 0;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(running, 4U) << wharf::test::read_file(path("err.txt"));

  const auto signalled = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const auto status = wait_or_kill(pid, 20s);
  if (!status) {
    FAIL() << "wharf did not exit within 20 s of SIGINT";
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled);
  std::cout << "exited " << seconds.count() << " s after SIGINT\n";
  EXPECT_LT(seconds.count(), 10.0);
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 130);  // As a shell reports a command ended by Ctrl-C.
  EXPECT_TRUE(run_containers().empty());

  const auto err = wharf::test::read_file(path("err.txt"));
  EXPECT_THAT(err, HasSubstr("cancelled"));
  const auto results = wharf::test::read_file(path("results.jsonl"));
  EXPECT_EQ(std::count(results.begin(), results.end(), '\n'), 12);
  EXPECT_THAT(results, ::testing::Not(HasSubstr(R"("status":"completed")")));
}

// wharf run ends like the task would have under the signal: 130 after Ctrl-C, 143 after
// SIGTERM, with its container removed either way.
class RunSignalTest : public DispatchTest, public ::testing::WithParamInterface<int> {};

TEST_P(RunSignalTest, ASignalDuringWharfRunRemovesTheContainerAndExitsWithItsStatus) {
  const auto pid = spawn_wharf(
      {"-C", project_.path().string(), "run", "--", "sh", "-c", "echo started; sleep 120"}, env(),
      path("out.txt"), path("err.txt"));
  ASSERT_GT(pid, 0);
  // The output is streamed live: "started" shows up while the task still runs.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline &&
         wharf::test::read_file(path("out.txt")) != "started\n") {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(wharf::test::read_file(path("out.txt")), "started\n")
      << wharf::test::read_file(path("err.txt"));
  ASSERT_EQ(run_containers().size(), 1U);

  ASSERT_EQ(::kill(pid, GetParam()), 0);
  const auto status = wait_or_kill(pid, 20s);
  if (!status) {
    FAIL() << "wharf run did not exit within 20 s of signal " << GetParam();
  }
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 128 + GetParam());
  EXPECT_TRUE(run_containers().empty());
}

INSTANTIATE_TEST_SUITE_P(IntAndTerm, RunSignalTest, ::testing::Values(SIGINT, SIGTERM),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return param.param == SIGINT ? "Sigint" : "Sigterm";
                         });

}  // namespace
}  // namespace wharf::backends::test
