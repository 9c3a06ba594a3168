// `wharf run`: one task, output live, exit code passed through, arguments byte for byte; with
// --json one results-file line on stdout.

#include <algorithm>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "integration/dispatch/dispatch_fixture.hpp"

namespace wharf::backends::test {
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

TEST_F(DispatchTest, RunRefusesArgumentsAndValuesThatAreNotUtf8BeforeAnythingStarts) {
  // The Engine API carries argv and env as JSON strings: such bytes cannot arrive unchanged.
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"run", "--", "printf", "caf\xE9\n"},
                                             {"run", "-e", "K=\xFF", "--", "true"},
                                             {"--json", "run", "--", "echo", "caf\xE9"}}) {
    const auto out = wharf(args);
    EXPECT_EQ(out.exit_code, 2) << out.err;
    EXPECT_THAT(out.err, HasSubstr("is not UTF-8 text"));
    EXPECT_THAT(out.err, ::testing::Not(HasSubstr("terminate")));
    EXPECT_EQ(out.out, "");
  }
  EXPECT_TRUE(run_containers().empty());
}

TEST_F(DispatchTest, RunJsonStaysValidWhenTheTaskWritesBytesThatAreNotUtf8) {
  const auto out = wharf({"--json", "run", "--", "sh", "-c", "printf 'caf\\351'; exit 4"});
  EXPECT_EQ(out.exit_code, 4) << out.err;
  EXPECT_EQ(out.err, "caf\xE9");  // The task's own bytes, on stderr in --json mode.
  const auto result = nlohmann::json::parse(out.out);
  EXPECT_EQ(result.at("exit_code"), 4);
}

TEST_F(DispatchTest, RunExitsLikeDockerRunWhenTheCommandCannotRun) {
  const auto missing = wharf({"run", "--", "no-such-command"});
  EXPECT_EQ(missing.exit_code, 127) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("executable file not found"));
  const auto not_executable = wharf({"run", "--", "/etc/passwd"});
  EXPECT_EQ(not_executable.exit_code, 126) << not_executable.err;
  EXPECT_THAT(not_executable.err, HasSubstr("permission denied"));
  EXPECT_TRUE(run_containers().empty());
}

TEST_F(DispatchTest, RunThatCannotStartExits125AndStillPrintsItsJson) {
  wharf::test::write_file(project_.path() / "docker" / ".env",
                          "WORKER_IMAGE=wharf/worker\nIMAGE_TAG=9.9.9\n");
  const auto absent = wharf({"--json", "run", "--pull", "never", "--", "true"});
  EXPECT_EQ(absent.exit_code, 125) << absent.err;
  EXPECT_THAT(absent.err, HasSubstr("wharf/worker:9.9.9 is not present"));
  auto result = nlohmann::json::parse(absent.out);
  EXPECT_EQ(result.at("status"), "failed_to_start");
  EXPECT_TRUE(result.at("exit_code").is_null());
  EXPECT_THAT(result.at("error").get<std::string>(), HasSubstr("--pull never"));

  // No engine at all: the same exit code, the engine named.
  auto env = this->env();
  env["DOCKER_HOST"] = "unix://" + (project_.path() / "no-engine.sock").string();
  auto unreachable = wharf::test::run_wharf(
      {"-C", project_.path().string(), "--json", "run", "--", "true"}, project_.path(), env);
  EXPECT_EQ(unreachable.exit_code, 125) << unreachable.err;
  result = nlohmann::json::parse(unreachable.out);
  EXPECT_EQ(result.at("status"), "infrastructure_error");
  EXPECT_THAT(result.at("error").get<std::string>(), HasSubstr("no-engine.sock"));
}

TEST_F(DispatchTest, AProjectWithoutDockerEnvIsAnInputErrorThatSaysWhatToDo) {
  std::filesystem::remove(project_.path() / "docker" / ".env");
  wharf::test::write_file(path("tasks.jsonl"), R"({"id": "a", "args": ["true"]})"
                                               "\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"run", "--", "true"}, {"dispatch", "--tasks", path("tasks.jsonl").string()}}) {
    const auto out = wharf(args);
    EXPECT_EQ(out.exit_code, 2) << args.front() << ": " << out.err;
    EXPECT_THAT(out.err, HasSubstr(".env does not exist"));
    EXPECT_THAT(out.err, HasSubstr("--image"));
  }
  EXPECT_TRUE(run_containers().empty());
}

}  // namespace
}  // namespace wharf::backends::test
