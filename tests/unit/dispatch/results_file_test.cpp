#include "wharf/dispatch/results_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/peers.hpp"

namespace wharf::dispatch {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TaskResult completed(std::string id, int exit_code) {
  TaskResult result;
  result.id = std::move(id);
  result.attempts = 1;
  result.workers_tried = {"local"};
  result.last.status = AttemptStatus::completed;
  result.last.exit_code = exit_code;
  result.last.worker = "local";
  result.last.image = "registry.test/app:v1.2.3";
  result.last.image_digest = "sha256:abc";
  result.last.log_path = "logs/" + result.id + ".log";
  result.last.duration = 1234ms;
  return result;
}

TaskResult never_started(std::string id) {
  TaskResult result;
  result.id = std::move(id);
  result.last.status = AttemptStatus::cancelled;
  result.last.error = "the task did not start: the run was cancelled.";
  return result;
}

TEST(TaskResultJson, HasEveryFieldWithNullsForUnknowns) {
  EXPECT_EQ(task_result_json(completed("build", 3)),
            nlohmann::json::parse(R"({"id": "build", "status": "completed", "exit_code": 3,
              "image": "registry.test/app:v1.2.3", "image_digest": "sha256:abc",
              "worker": "local", "attempts": 1, "duration_ms": 1234,
              "log": "logs/build.log", "error": null})"));
  EXPECT_EQ(task_result_json(never_started("later")),
            nlohmann::json::parse(R"({"id": "later", "status": "cancelled", "exit_code": null,
              "image": null, "image_digest": null, "worker": null, "attempts": 0,
              "duration_ms": 0, "log": null,
              "error": "the task did not start: the run was cancelled."})"));
}

TEST(ResultsFile, WritesOneFlushedLinePerFinishedTask) {
  const wharf::test::TempDir dir;
  const auto path = dir.path() / "results.jsonl";
  wharf::test::write_file(path, "old content that must go\n");
  auto file = ResultsFile::open(path);
  ASSERT_TRUE(file.has_value()) << file.error().message;

  const TaskSpec spec{"a", {"x"}, {}, std::nullopt, 1};
  file->task_finished(spec, completed("a", 0));
  // Flushed per line: readable while the run goes on.
  EXPECT_EQ(wharf::test::read_file(path), task_result_json(completed("a", 0)).dump() + "\n");

  auto odd = completed("b", 1);
  odd.last.error = "bad byte \xff here";
  file->task_finished(spec, odd);
  EXPECT_TRUE(file->status().has_value());

  const auto content = wharf::test::read_file(path);
  const auto second = content.substr(content.find('\n') + 1);
  const auto parsed = nlohmann::json::parse(second);
  EXPECT_EQ(parsed["id"], "b");
  EXPECT_EQ(parsed["error"], "bad byte \xEF\xBF\xBD here");  // replaced, not lost
}

TEST(ResultsFile, OpenFailureNamesThePath) {
  const wharf::test::TempDir dir;
  const auto result = ResultsFile::open(dir.path() / "missing-dir" / "r.jsonl");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::io);
  EXPECT_THAT(result.error().message, HasSubstr("missing-dir/r.jsonl: No such file or directory"));
}

TEST(ResultsFile, WriteFailureIsKeptForAfterTheRun) {
  auto file = ResultsFile::open("/dev/full");
  ASSERT_TRUE(file.has_value()) << file.error().message;
  const TaskSpec spec{"a", {"x"}, {}, std::nullopt, 1};
  file->task_finished(spec, completed("a", 0));
  const auto status = file->status();
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::io);
  EXPECT_THAT(status.error().message, HasSubstr("/dev/full: No space left on device"));
}

RunReport sample_report() {
  RunReport report;
  report.results = {completed("ok", 0), completed("tests", 2), never_started("late")};
  report.results[1].attempts = 2;
  report.results[1].last.error = "first line\nsecond line";
  report.counts = RunCounts{.total = 3, .succeeded = 1, .failed = 1, .cancelled = 1, .retries = 1};
  report.lost_workers = {LostWorker{"ssh://b", "reset"}};
  report.wall_time = 12'345ms;
  return report;
}

TEST(SummaryTable, ListsEveryTaskOrOnlyProblems) {
  const auto report = sample_report();
  EXPECT_EQ(summary_table(report).render(false),
            "task   result     worker  attempts  time   detail\n"
            "ok     ok         local   1         1.2 s  logs/ok.log\n"
            "tests  exit 2     local   2         1.2 s  first line\n"
            "late   cancelled  -       0         -      the task did not start: the run was "
            "cancelled.\n");
  const auto problems = summary_table(report, SummaryRows::problems).render(false);
  EXPECT_THAT(problems, ::testing::Not(HasSubstr("logs/ok.log")));
  EXPECT_THAT(problems, HasSubstr("tests"));
}

TEST(SummaryLine, CountsOnlyWhatHappened) {
  EXPECT_EQ(summary_line(sample_report()),
            "3 tasks in 12.3 s: 1 succeeded, 1 failed, 1 cancelled; 1 retry; lost workers: "
            "ssh://b.");
  RunReport good;
  good.counts = RunCounts{.total = 2, .succeeded = 2};
  good.wall_time = 80ms;
  EXPECT_EQ(summary_line(good), "2 tasks in 80 ms: all succeeded.");
}

TEST(FormatDuration, PicksAReadableUnit) {
  EXPECT_EQ(format_duration(0ms), "0 ms");
  EXPECT_EQ(format_duration(999ms), "999 ms");
  EXPECT_EQ(format_duration(1000ms), "1.0 s");
  EXPECT_EQ(format_duration(59'999ms), "59.9 s");
  EXPECT_EQ(format_duration(125'000ms), "2 min 05 s");
  EXPECT_EQ(format_duration(3'720'000ms), "1 h 02 min");
}

}  // namespace
}  // namespace wharf::dispatch
