// The command line itself, through the real binary: global options before or after the
// command, one value per use of a repeatable option, what an unknown command or a misplaced
// option is told, and that nothing a command throws ends in std::terminate.
#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/peers.hpp"

namespace wharf::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// An engine address nothing listens on: a command that uses --host names it in its error.
constexpr const char* kNowhere = "unix:///nonexistent/wharf-cli-test.sock";

class CommandLineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A project with everything the engine commands read before they reach the engine.
    std::filesystem::create_directories(root() / "docker");
    write_file(root() / "VERSION", "v1.0.0\n");
    write_file(root() / "docker" / ".env",
               "COMPOSE_PROJECT_NAME=wharfcli\nWORKER_IMAGE=wharf/worker\nIMAGE_TAG=dev\n");
    write_file(root() / "docker" / "compose.yaml",
               "services:\n  app:\n    image: wharf/worker:${IMAGE_TAG}\n");
    write_file(root() / "docker" / "workers.json",
               R"({"workers": [{"name": "here", "host": "local", "slots": 1}]})");
    write_file(root() / "tasks.jsonl", R"({"id": "a", "args": ["true"]})"
                                       "\n");
  }

  [[nodiscard]] const std::filesystem::path& root() const { return dir_.path(); }

  // wharf in the project, with DOCKER_HOST also pointing nowhere unless `env` says otherwise.
  [[nodiscard]] CommandOutput wharf(const std::vector<std::string>& args,
                                    std::map<std::string, std::string> env = {},
                                    TestHooks hooks = TestHooks::with) const {
    env.emplace("DOCKER_HOST", "unix:///nonexistent/docker-host-variable.sock");
    env.emplace("TASK_EXECUTOR_IMAGE", "");
    return run_wharf(args, root(), env, hooks);
  }

  TempDir dir_;
};

// Each command that talks to an engine, with what it needs to get that far.
const std::vector<std::vector<std::string>> kEngineCommands{
    {"run", "--pull", "never", "--", "true"},
    {"dispatch", "--tasks", "tasks.jsonl", "--pull", "never"},
    {"dispatch", "--tasks", "tasks.jsonl", "--workers", "docker/workers.json"},
    {"workers", "check"},
    {"workers", "pull"},
    {"images", "status"},
    {"images", "validate"},
    {"images", "pull"},
    {"images", "check"},
    {"images", "prune", "--keep", "1"},
    {"update"},
    {"rollback", "--to", "0.9.0"},
    {"status"},
    {"logs"},
    {"info"},
};

TEST_F(CommandLineTest, HostIsAGlobalOptionEveryEngineCommandUses) {
  for (const auto& command : kEngineCommands) {
    std::vector<std::string> before{"--host", kNowhere};
    before.insert(before.end(), command.begin(), command.end());
    // After the command, before a `--` (what follows it is the task's command line).
    std::vector<std::string> after = command;
    after.insert(std::find(after.begin(), after.end(), "--"), {"--host", kNowhere});
    for (const auto& args : {before, after}) {
      const auto out = wharf(args);
      const auto shown = ::testing::PrintToString(args);
      EXPECT_NE(out.exit_code, 2) << shown << "\n" << out.err;
      EXPECT_THAT(out.out + out.err, HasSubstr("/nonexistent/wharf-cli-test.sock")) << shown;
      EXPECT_THAT(out.out + out.err, Not(HasSubstr("docker-host-variable"))) << shown;
    }
  }
}

TEST_F(CommandLineTest, HostReachesTheEngineItNames) {
  const auto engine = peer_env("WHARF_TEST_DOCKER_HOST");
  ASSERT_FALSE(HasFailure());
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--host", engine, "--json", "images", "status", "wharf/worker:dev"},
           {"--json", "images", "status", "wharf/worker:dev", "--host", engine}}) {
    const auto out = wharf(args);
    ASSERT_EQ(out.exit_code, 0) << out.err;
    const auto status = nlohmann::json::parse(out.out);
    EXPECT_EQ(status["images"][0]["present"], true) << out.out;
  }
}

TEST_F(CommandLineTest, CommandsWithoutAnEngineIgnoreHost) {
  const std::vector<std::string> tags{"release", "tags", "v1.2.0", "--existing", "v1.1.0"};
  const auto plain = wharf(tags);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  auto with_host = tags;
  with_host.insert(with_host.begin(), {"--host", kNowhere});
  const auto out = wharf(with_host);
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, plain.out);
}

TEST_F(CommandLineTest, HelpListsHostWithTheGlobalOptions) {
  const auto out = wharf({"--help"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_THAT(out.out, HasSubstr("--host"));
  const auto status = wharf({"status", "--help"});
  EXPECT_THAT(status.out, Not(HasSubstr("--host"))) << "one --host, the global one";
}

// --insecure-registry H IMAGE: IMAGE is the image, not a second registry.
TEST_F(CommandLineTest, ARepeatableOptionTakesOneValuePerUse) {
  const auto engine = peer_env("WHARF_TEST_DOCKER_HOST");
  ASSERT_FALSE(HasFailure());
  const TempDir empty;  // No project: the images named are the only ones.
  for (const std::string command : {"check", "pull", "tags"}) {
    const auto out = run_wharf({"images", command, "--insecure-registry", "127.0.0.1:1",
                                "127.0.0.1:1/acme/app:1.0.0", "--insecure-registry", "127.0.0.2:1"},
                               empty.path(), {{"DOCKER_HOST", engine}});
    EXPECT_NE(out.exit_code, 0) << command;
    EXPECT_NE(out.exit_code, 2) << command << ": " << out.err;
    EXPECT_THAT(out.err, Not(HasSubstr(".env"))) << command;
    EXPECT_THAT(out.out + out.err, HasSubstr("127.0.0.1:1/acme/app")) << command;
  }
  // release tags --existing A B: B is the version released.
  const auto tags =
      run_wharf({"release", "tags", "--existing", "v1.3.0", "v1.2.0"}, empty.path(), {});
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  EXPECT_EQ(tags.out, "1.2.0\n1.2\n");
  const auto both = run_wharf({"release", "tags", "--existing", "v1.3.0", "--existing", "v1.2.5",
                               "v1.2.4", "--image", "r/a", "--image", "r/b"},
                              empty.path(), {});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_EQ(both.out, "r/a:1.2.4\nr/b:1.2.4\n");
  // run -e K=V CMD: CMD is the command, not a second variable.
  const auto run = wharf({"run", "--image", "wharf/not-here:1", "--pull", "never", "-e", "A=1",
                          "true", "--host", kNowhere});
  EXPECT_THAT(run.err, Not(HasSubstr("not a variable name"))) << run.err;
}

struct Refusal {
  std::vector<std::string> args;
  std::string sentence;
};

TEST_F(CommandLineTest, AnUnknownCommandIsNamedWithTheNearestOne) {
  const std::vector<Refusal> refusals{
      {{"pni"}, "wharf: error: unknown command 'pni' — did you mean 'pin'?\n"},
      {{"--json", "updaet", "--check"},
       "wharf: error: unknown command 'updaet' — did you mean 'update'?\n"},
      {{"images", "chek"},
       "wharf: error: unknown command 'images chek' — did you mean 'images check'?\n"},
      {{"-C", ".", "workers", "chekc", "--json"},
       "wharf: error: unknown command 'workers chekc' — did you mean 'workers check'?\n"},
      {{"release", "tag"},
       "wharf: error: unknown command 'release tag' — did you mean 'release tags'?\n"},
      {{"frobnicate"},
       "wharf: error: unknown command 'frobnicate' — the commands of `wharf` are pin, release, "
       "run, dispatch, workers, images, update, rollback, history, status, logs, info.\n"},
      {{"images"},
       "wharf: error: `wharf images` needs a command: status, check, pull, validate, prune, tags "
       "— see `wharf images --help`.\n"},
  };
  for (const auto& refusal : refusals) {
    const auto out = wharf(refusal.args);
    EXPECT_EQ(out.exit_code, 2) << ::testing::PrintToString(refusal.args);
    EXPECT_EQ(out.err, refusal.sentence);
    EXPECT_EQ(out.out, "");
  }
}

TEST_F(CommandLineTest, AnOptionOfAnotherCommandNamesThatCommand) {
  const std::vector<Refusal> refusals{
      {{"pin", "--tasks", "x"},
       "wharf: error: --tasks is an option of `wharf dispatch`, not of `wharf pin`.\n"},
      {{"images", "status", "--keep=2"},
       "wharf: error: --keep is an option of `wharf images prune`, not of `wharf images "
       "status`.\n"},
      {{"pin", "--pull", "never"},
       "wharf: error: --pull is an option of `wharf run` and `wharf dispatch`, not of `wharf "
       "pin`.\n"},
      {{"status", "--tail", "5"},
       "wharf: error: --tail is an option of `wharf logs`, not of `wharf status`.\n"},
      {{"run", "--pull", "never", "sh", "-c", "echo hi"},
       "wharf: error: -c is not an option of `wharf run`; if it belongs to the command, put the "
       "command after `--`: wharf run [OPTIONS] -- CMD ARG….\n"},
      {{"pin", "--jsno"},
       "wharf: error: unknown option --jsno for `wharf pin` — did you mean "
       "--json?\n"},
  };
  for (const auto& refusal : refusals) {
    const auto out = wharf(refusal.args);
    EXPECT_EQ(out.exit_code, 2) << ::testing::PrintToString(refusal.args);
    EXPECT_EQ(out.err, refusal.sentence);
  }
  // Nothing was changed by a refused command line.
  EXPECT_EQ(read_file(root() / "VERSION"), "v1.0.0\n");
  // What CLI11 says best stays CLI11's: a missing value, a missing required option.
  const auto missing = wharf({"dispatch"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--tasks is required"));
  const auto no_value = wharf({"-C"});
  EXPECT_EQ(no_value.exit_code, 2);
  EXPECT_THAT(no_value.err, HasSubstr("--root: 1 required TEXT missing"));
  EXPECT_THAT(no_value.err, Not(HasSubstr("needs a command")));
}

TEST_F(CommandLineTest, WhateverACommandThrowsEndsInOneSentenceAndExit3) {
  const std::vector<std::string> tags{"release", "tags", "v1.2.0", "--existing", "v1.1.0"};
  const std::map<std::string, std::string> thrown{
      {"exception", "failpoint: a std::exception escaped the command"},
      {"other", "an exception that is not a std::exception"},
      {"thread", "failpoint: an exception escaped a thread"}};
  for (const auto& [point, what] : thrown) {
    const auto out = wharf(tags, {{"WHARF_CLI_FAILPOINT", point}});
    EXPECT_EQ(out.exit_code, 3) << point << ": " << out.err;
    EXPECT_EQ(out.err, "wharf: error: internal error: " + what + " — please report it.\n");
  }
}

// wharf's own --version answers only without a command. After a command, --version is that
// command's option (`pin`, `release tags`) or a usage error — never wharf's version and exit 0,
// which made `wharf release tags --version v1.2.3` look like it had worked.
TEST_F(CommandLineTest, TheVersionFlagAnswersOnlyWithoutACommand) {
  const auto version = wharf({"--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, std::string("wharf ") + WHARF_VERSION + "\n");
  const auto tags = wharf({"release", "tags", "--version", "v1.2.0", "--existing", "v1.1.0"});
  EXPECT_EQ(tags.exit_code, 0) << tags.err;
  EXPECT_EQ(tags.out, "1.2.0\n1.2\n1\nlatest\n");
  const std::string status_has_none =
      "wharf: error: `wharf status` has no --version option — wharf's own version is "
      "`wharf --version`, without a command.\n";
  for (const auto& args : {std::vector<std::string>{"status", "--version"},
                           std::vector<std::string>{"--version", "status"},
                           std::vector<std::string>{"status", "--json", "--version"}}) {
    const auto out = wharf(args);
    EXPECT_EQ(out.exit_code, 2) << ::testing::PrintToString(args) << ": " << out.err;
    EXPECT_EQ(out.out, "") << ::testing::PrintToString(args);
    EXPECT_EQ(out.err, status_has_none) << ::testing::PrintToString(args);
  }
  const auto images = wharf({"images", "check", "--version"});
  EXPECT_EQ(images.exit_code, 2) << images.err;
  EXPECT_THAT(images.err, HasSubstr("`wharf images check` has no --version option"));
}

// The failpoints are test hooks: a wharf built without tests (tools/install.sh, the image)
// runs the command as if no failpoint variable were set.
TEST_F(CommandLineTest, AWharfWithoutTestHooksIgnoresTheFailpoints) {
  const std::vector<std::string> tags{"release", "tags", "v1.2.0", "--existing", "v1.1.0"};
  const auto plain = wharf(tags);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  for (const std::string point : {"exception", "other", "thread"}) {
    const auto out = wharf(tags,
                           {{"WHARF_CLI_FAILPOINT", point},
                            {"WHARF_ATOMIC_WRITE_FAILPOINT", "VERSION"},
                            {"WHARF_UPDATE_FAILPOINT", "started"}},
                           TestHooks::without);
    EXPECT_EQ(out.exit_code, 0) << point << ": " << out.err;
    EXPECT_EQ(out.out, plain.out) << point;
    EXPECT_THAT(out.err, Not(HasSubstr("internal error"))) << point;
  }
}

// An argument that is not UTF-8 cannot travel in the Engine API's JSON: whatever wharf says
// about it, it says it in a sentence, not with std::terminate and SIGABRT.
TEST_F(CommandLineTest, NoInputEndsInTerminate) {
  const auto engine = peer_env("WHARF_TEST_DOCKER_HOST");
  ASSERT_FALSE(HasFailure());
  const auto out =
      wharf({"--json", "run", "--host", engine, "--pull", "never", "--", "echo", "caf\xe9"});
  EXPECT_THAT(out.exit_code, ::testing::AnyOf(2, 3)) << out.err;
  EXPECT_THAT(out.err, Not(HasSubstr("terminate called")));
  EXPECT_THAT(out.err, HasSubstr("wharf: error: "));
}

}  // namespace
}  // namespace wharf::test
