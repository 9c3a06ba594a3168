// `wharf run`: one task, output live, exit code passed through, arguments byte for byte; with
// --json one results-file line on stdout.

#include <algorithm>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "integration/dispatch/dispatch_fixture.hpp"

namespace wharf::local::test {
namespace {

using ::testing::HasSubstr;

TEST_F(DispatchTest, RunPassesArgumentsUnchangedAndTheExitCodeThrough) {
  const std::vector<std::string> tricky = {"plain",
                                           "two words",
                                           "\"double\" and 'single'",
                                           "$(id) `id` $HOME",
                                           "line1\nline2",
                                           "naïve — ☃ 日本",
                                           "",
                                           "-e",
                                           "--"};
  std::vector<std::string> args = {"run", "--", "sh", "-c", "printf '%s\\n' \"$@\"; exit 7", "x"};
  args.insert(args.end(), tricky.begin(), tricky.end());
  const auto out = wharf(args);
  EXPECT_EQ(out.exit_code, 7) << out.err;
  std::string expected;
  for (const auto& arg : tricky) {
    expected += arg + "\n";
  }
  EXPECT_EQ(out.out, expected);
  EXPECT_TRUE(run_containers().empty());
}

TEST_F(DispatchTest, RunSeparatesStreamsAndPassesEnvironment) {
  const auto out = wharf(
      {"run", "-e", "GREETING=hé llo", "--", "sh", "-c", "echo \"$GREETING\"; echo oops >&2"});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, "hé llo\n");
  EXPECT_THAT(out.err, HasSubstr("oops\n"));
}

TEST_F(DispatchTest, RunTimeoutKillsTheTask) {
  const auto started = std::chrono::steady_clock::now();
  const auto out = wharf({"run", "--timeout", "1", "--", "sleep", "60"});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  EXPECT_EQ(out.exit_code, 124) << out.err;
  EXPECT_LT(seconds.count(), 15.0);
  EXPECT_THAT(out.err, HasSubstr("timeout"));
  EXPECT_TRUE(run_containers().empty());
}

TEST_F(DispatchTest, RunJsonPrintsOneResultLineAndMovesTheTaskOutputToStderr) {
  const auto out =
      wharf({"--json", "run", "--", "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"});
  EXPECT_EQ(out.exit_code, 3) << out.err;
  EXPECT_THAT(out.err, HasSubstr("to-stdout\n"));
  EXPECT_THAT(out.err, HasSubstr("to-stderr\n"));
  // One line (stdout is a pipe, so compact JSON) and nothing else.
  ASSERT_EQ(std::count(out.out.begin(), out.out.end(), '\n'), 1) << out.out;
  const auto result = nlohmann::json::parse(out.out);
  const auto image = engine_->image_inspect("wharf/worker:dev");
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(result.at("id"), "run");
  EXPECT_EQ(result.at("status"), "completed");
  EXPECT_EQ(result.at("exit_code"), 3);
  EXPECT_EQ(result.at("image"), "wharf/worker:dev");
  EXPECT_EQ(result.at("image_digest"), image->id);
  EXPECT_EQ(result.at("worker"), "local");
  EXPECT_EQ(result.at("attempts"), 1);
  EXPECT_GT(result.at("duration_ms").get<long>(), 0);
  EXPECT_THAT(result.at("error").get<std::string>(), HasSubstr("exited with code 3"));
}

TEST_F(DispatchTest, RunJsonReportsATimeoutWithoutAnExitCode) {
  // --json after the subcommand works too: global options fall through.
  const auto out = wharf({"run", "--json", "--timeout", "1", "--", "sleep", "60"});
  EXPECT_EQ(out.exit_code, 124) << out.err;
  const auto result = nlohmann::json::parse(out.out);
  EXPECT_EQ(result.at("status"), "timed_out");
  EXPECT_TRUE(result.at("exit_code").is_null());
  EXPECT_GE(result.at("duration_ms").get<long>(), 1000);
  EXPECT_THAT(result.at("error").get<std::string>(), HasSubstr("timeout"));
}

}  // namespace
}  // namespace wharf::local::test
