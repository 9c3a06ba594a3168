// `wharf dispatch` against the real engine peer: results, logs, cleanup, refusing bad input.

#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "integration/dispatch/dispatch_fixture.hpp"

namespace wharf::backends::test {
namespace {

using ::testing::HasSubstr;
using wharf::test::json_lines;

TEST_F(DispatchTest, TwentyTasksWithMixedExitCodesAndATimeout) {
  write_twenty_mixed_tasks();

  const auto started = std::chrono::steady_clock::now();
  const auto out =
      wharf({"--json", "dispatch", "--tasks", path("tasks.jsonl").string(), "--parallel", "4",
             "--results", path("results.jsonl").string(), "--logs", path("logs").string()});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  std::cout << "20 tasks at --parallel 4 took " << seconds.count() << " s\n";
  EXPECT_EQ(out.exit_code, 1) << out.err;

  const auto results = json_lines(wharf::test::read_file(path("results.jsonl")));
  ASSERT_EQ(results.size(), 20U);
  // The peer's worker image was imported, so it has no registry digest: its ID stands in.
  const auto image = engine_->image_inspect("wharf/worker:dev");
  ASSERT_TRUE(image) << image.error().message;
  std::set<std::string> seen;
  for (const auto& result : results) {
    const auto id = result.at("id").get<std::string>();
    EXPECT_TRUE(seen.insert(id).second) << id << " reported twice";
    EXPECT_EQ(result.at("attempts"), 1);
    EXPECT_EQ(result.at("image"), "wharf/worker:dev");
    EXPECT_EQ(result.at("image_digest"), image->id);
    EXPECT_EQ(result.at("worker"), "local");
    if (id == "slow") {
      EXPECT_EQ(result.at("status"), "timed_out");
      EXPECT_TRUE(result.at("exit_code").is_null());
      continue;
    }
    const int n = std::stoi(id.substr(1));
    EXPECT_EQ(result.at("status"), "completed") << id;
    EXPECT_EQ(result.at("exit_code"), n % 4) << id;
    EXPECT_EQ(wharf::test::read_file(path("logs") / (id + ".log")),
              "out-" + std::to_string(n) + "\n");
    EXPECT_EQ(result.at("log"), (path("logs") / (id + ".log")).string());
  }

  const auto report = nlohmann::json::parse(out.out);
  EXPECT_EQ(report.at("counts").at("succeeded"), 5);
  EXPECT_EQ(report.at("counts").at("failed"), 14);
  EXPECT_EQ(report.at("counts").at("timed_out"), 1);
  EXPECT_EQ(report.at("results").size(), 20U);
  EXPECT_TRUE(run_containers(report.at("run_id").get<std::string>()).empty());
}

TEST_F(DispatchTest, AllSucceededExitsZeroAndPrintsTheSummary) {
  wharf::test::write_file(path("tasks.jsonl"), R"({"id": "a", "args": ["true"]})"
                                               "\n"
                                               R"({"id": "b", "args": ["echo", "b"]})"
                                               "\n");
  const auto out = wharf({"dispatch", "--tasks", path("tasks.jsonl").string()});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_THAT(out.out, HasSubstr("ok"));
  EXPECT_THAT(out.err, HasSubstr("all succeeded"));
  EXPECT_TRUE(run_containers().empty());
}

TEST_F(DispatchTest, DefaultLogsGoToTheProjectKeepOnlyTheNewestRunsAndAreNamed) {
  wharf::test::write_file(path("tasks.jsonl"), R"({"id": "a", "args": ["echo", "hi"]})"
                                               "\n");
  const auto logs_root = project_.path() / ".wharf" / "logs";
  std::vector<std::string> runs;
  for (int i = 0; i < 3; ++i) {
    const auto out =
        wharf({"--json", "dispatch", "--keep-logs", "2", "--tasks", path("tasks.jsonl").string()});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    runs.push_back(nlohmann::json::parse(out.out).at("run_id"));
    const auto dir = logs_root / runs.back();
    EXPECT_THAT(out.err, HasSubstr("task logs: " + dir.string()));
    EXPECT_EQ(wharf::test::read_file(dir / "a.log"), "hi\n");
  }
  EXPECT_FALSE(std::filesystem::exists(logs_root / runs[0])) << "the oldest run was kept";
  EXPECT_TRUE(std::filesystem::exists(logs_root / runs[1]));
  EXPECT_TRUE(std::filesystem::exists(logs_root / runs[2]));

  // A folder given with --logs is the user's: nothing in it is ever pruned.
  std::filesystem::create_directories(path("mine") / "20200101t000000-abcdef");
  const auto out = wharf({"dispatch", "--keep-logs", "1", "--logs", path("mine").string(),
                          "--tasks", path("tasks.jsonl").string()});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_TRUE(std::filesystem::exists(path("mine") / "20200101t000000-abcdef"));
  EXPECT_TRUE(std::filesystem::exists(logs_root / runs[2]));
}

TEST_F(DispatchTest, MalformedTaskLineExitsTwoNamingTheLineAndStartsNothing) {
  wharf::test::write_file(path("tasks.jsonl"), R"({"id": "a", "args": ["true"]})"
                                               "\n"
                                               R"({"id": "b", "args": "not-a-list"})"
                                               "\n");
  // Counted by name too: a container would carry the label only if wharf created it.
  const auto before = run_containers().size();
  const auto out = wharf({"dispatch", "--tasks", path("tasks.jsonl").string()});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_THAT(out.err, HasSubstr("tasks.jsonl:2:"));
  EXPECT_EQ(run_containers().size(), before);
  EXPECT_TRUE(out.out.empty()) << out.out;
}

TEST_F(DispatchTest, PullNeverOnAMissingImageFailsWithWhatToDo) {
  wharf::test::write_file(path("tasks.jsonl"), R"({"id": "a", "args": ["true"]})"
                                               "\n");
  const auto out = wharf({"dispatch", "--tasks", path("tasks.jsonl").string(), "--pull", "never",
                          "--image", "wharf/not-here:1.0.0"});
  EXPECT_NE(out.exit_code, 0);
  EXPECT_THAT(out.err, HasSubstr("image wharf/not-here:1.0.0 is not present on " + docker_host_ +
                                 " and --pull never forbids pulling it"));
  EXPECT_THAT(out.err, HasSubstr("--pull missing"));
}

TEST_F(DispatchTest, UnpinnedImageIsRefusedUnlessAllowed) {
  wharf::test::write_file(path("tasks.jsonl"), R"({"id": "a", "args": ["true"]})"
                                               "\n");
  const auto refused =
      wharf({"dispatch", "--tasks", path("tasks.jsonl").string(), "--image", "wharf/worker"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("--allow-unpinned"));
}

}  // namespace
}  // namespace wharf::backends::test
