#include "wharf/dispatch/progress_reporter.hpp"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf::dispatch {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TaskResult result_of(const std::string& id, AttemptStatus status, int exit_code,
                     std::string error = {}) {
  TaskResult result;
  result.id = id;
  result.attempts = 1;
  result.last.status = status;
  result.last.exit_code = exit_code;
  result.last.worker = "local";
  result.last.duration = 1500ms;
  result.last.error = std::move(error);
  return result;
}

const TaskSpec kA{"a", {"x"}, {}, std::nullopt, 1};
const TaskSpec kB{"b", {"x"}, {}, std::nullopt, 2};

TEST(ProgressReporter, PlainOutputHasOneLinePerFinishedTaskAndNoRedraws) {
  std::ostringstream out;
  ProgressReporter reporter(out, {.live = false});
  reporter.progress(RunCounts{.total = 2, .pending = 2});
  reporter.task_finished(kA, result_of("a", AttemptStatus::completed, 0));
  Attempt failed;
  failed.status = AttemptStatus::infrastructure_error;
  failed.worker = "ssh://b";
  failed.error = "connection reset\nmore detail";
  reporter.worker_lost("ssh://b", failed.error);
  reporter.task_retrying(kB, failed, 2);
  reporter.task_finished(kB, result_of("b", AttemptStatus::completed, 3));
  reporter.finish();
  EXPECT_EQ(out.str(),
            "[1/2] ok a (local, 1.5 s)\n"
            "worker lost ssh://b: connection reset (it gets no more tasks in this run)\n"
            "retrying b (attempt 2) after infrastructure error on ssh://b: connection reset\n"
            "[2/2] failed (exit 3) b (local, 1.5 s)\n");
}

TEST(ProgressReporter, LiveOutputRedrawsOneLineAndPrintsProblemsAboveIt) {
  std::ostringstream out;
  ProgressReporter reporter(out, {.live = true, .redraw_interval = std::chrono::hours(1)});
  reporter.progress(RunCounts{.total = 2, .pending = 2});
  // Throttled: within the interval, counts change but nothing is drawn.
  reporter.progress(RunCounts{.total = 2, .pending = 1, .running = 1});
  EXPECT_EQ(out.str(), "\r\x1b[K[0/2] 0 running, 0 ok, 2 pending");
  reporter.task_finished(kA, result_of("a", AttemptStatus::completed, 0));  // quiet on a TTY
  reporter.task_finished(kB, result_of("b", AttemptStatus::timed_out, -1, "killed after 5 s"));
  reporter.progress(RunCounts{.total = 2, .succeeded = 1, .timed_out = 1});
  reporter.finish();
  EXPECT_EQ(out.str(),
            "\r\x1b[K[0/2] 0 running, 0 ok, 2 pending"
            "\r\x1b[K[2/2] timed out b (local, 1.5 s): killed after 5 s\n"
            "\r\x1b[K[0/2] 1 running, 0 ok, 1 pending"
            "\r\x1b[K[2/2] 0 running, 1 ok, 1 timed out\n");
}

TEST(ProgressReporter, StatusTextListsOnlyNonZeroProblems) {
  EXPECT_EQ(ProgressReporter::status_text(RunCounts{.total = 9,
                                                    .pending = 1,
                                                    .running = 2,
                                                    .succeeded = 3,
                                                    .failed = 1,
                                                    .failed_to_start = 1,
                                                    .infrastructure_error = 1}),
            "[6/9] 2 running, 3 ok, 1 failed, 1 failed to start, 1 infrastructure error, "
            "1 pending");
}

TEST(ProgressReporter, ColourOnlyWhenAsked) {
  std::ostringstream out;
  ProgressReporter reporter(out, {.live = false, .color = true});
  reporter.progress(RunCounts{.total = 1, .pending = 1});
  reporter.task_finished(kA, result_of("a", AttemptStatus::completed, 0));
  EXPECT_THAT(out.str(), HasSubstr("\x1b[32mok\x1b[0m"));
}

}  // namespace
}  // namespace wharf::dispatch
