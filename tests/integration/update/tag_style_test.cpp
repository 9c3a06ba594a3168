// A project whose images keep the git tag's v (app:v1.1.0, v1.1, v1, latest), end to end
// against the private registry and engine: pin, pin --check, release tags, images, dispatch at
// the v tag, update and rollback. Nothing may turn v1.1.0 into 1.1.0 on the way.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/update/release_fixture.hpp"

namespace wharf::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class VTagStyleTest : public ReleaseFixture {
 protected:
  void SetUp() override {
    strategy_ = "recreate";
    tag_prefix_ = "v";
    extra_tags_ = {"v1.1", "v1", "latest"};
    make_project(
        "services:\n"
        "  app:\n"
        "    image: ${APP_IMAGE}:${IMAGE_TAG}\n"
        "    healthcheck:\n"
        "      test: [\"CMD\", \"test\", \"-f\", \"/healthy\"]\n");
    ASSERT_FALSE(HasFailure());
    // The release image doubles as the worker image: it has a shell.
    env_ = read_file(project() / "docker" / ".env") + "WORKER_IMAGE=" + repository_ + "\n";
    write_file(project() / "docker" / ".env", env_);
  }

  std::string container() const { return project_ + "-app-1"; }

  // The stack's one container as compose would have created it, at `tag`.
  void start_stack(const std::string& tag) {
    auto started = docker({"run",
                           "-d",
                           "--name",
                           container(),
                           "--network",
                           "none",
                           "--label",
                           "com.docker.compose.project=" + project_,
                           "--label",
                           "com.docker.compose.service=app",
                           "--label",
                           "com.docker.compose.container-number=1",
                           "--label",
                           "com.docker.compose.oneoff=False",
                           "--health-cmd",
                           "test -f /healthy",
                           "--health-interval",
                           "1s",
                           "--health-retries",
                           "2",
                           "--stop-timeout",
                           "1",
                           repository_ + ":" + tag,
                           "sleep",
                           "86400"});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    wait_healthy(container());
  }

  // The stack, IMAGE_TAG, VERSION and the checkout all at the release `version` ("1.2.0").
  void expect_on(const std::string& version) {
    const auto info = inspect(container());
    EXPECT_EQ(info["Config"]["Image"], repository_ + ":v" + version);
    EXPECT_EQ(info["State"]["Health"]["Status"], "healthy");
    EXPECT_EQ(env_tag(), "v" + version);
    EXPECT_EQ(read_file(project() / "VERSION"), "v" + version + "\n");
    EXPECT_EQ(git(project(), {"rev-parse", "HEAD"}),
              git(project(), {"rev-parse", "v" + version + "^{commit}"}));
    const auto check = wharf({"pin", "--check"});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_THAT(read_file(project() / "docker" / ".env"), Not(HasSubstr("WHARF_TAG_STYLE")));
  }

  std::string env_;
};

TEST_F(VTagStyleTest, PinReleaseDispatchUpdateAndRollbackKeepTheV) {
  // pin on the release tag keeps IMAGE_TAG=v1.1.0 byte for byte and writes no style key.
  const auto pinned = wharf({"pin"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_THAT(pinned.out, HasSubstr("IMAGE_TAG=v1.1.0 (unchanged)"));
  EXPECT_EQ(read_file(project() / "docker" / ".env"), env_);
  const auto check = wharf({"pin", "--check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

  // release tags names v tags; pushing them is what CI does.
  const auto tags = wharf({"release", "tags", "--image", repository_});
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  EXPECT_EQ(tags.out, repository_ + ":v1.1.0\n" + repository_ + ":v1.1\n" + repository_ + ":v1\n" +
                          repository_ + ":latest\n");
  for (const auto& tag : lines(tags.out)) {
    if (tag != repository_ + ":v1.1.0") {
      ASSERT_EQ(docker({"tag", repository_ + ":v1.1.0", tag}).exit_code, 0);
      ASSERT_EQ(docker({"push", tag}).exit_code, 0) << tag;
    }
  }

  // dispatch at the v tag, pulled from the registry (the engine had only built it).
  for (const auto& tag : {"v1.1.0", "v1.1", "v1", "latest"}) {
    (void)docker({"rmi", repository_ + ":" + tag});
  }
  write_file(project() / "tasks.jsonl",
             R"({"id": "release", "args": ["sh", "-c", "echo \"$APP_RELEASE\""]})"
             "\n");
  const auto dispatched =
      wharf({"dispatch", "--tasks", (project() / "tasks.jsonl").string(), "--results",
             (project() / "results.jsonl").string(), "--logs", (project() / "logs").string()});
  ASSERT_EQ(dispatched.exit_code, 0) << dispatched.out << dispatched.err;
  const auto results = json_lines(read_file(project() / "results.jsonl"));
  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0]["image"], repository_ + ":v1.1.0");
  EXPECT_EQ(results[0]["status"], "completed");
  EXPECT_EQ(read_file(project() / "logs" / "release.log"), "1.1.0\n");
  std::filesystem::remove_all(project() / "logs");
  std::filesystem::remove(project() / "tasks.jsonl");
  std::filesystem::remove(project() / "results.jsonl");

  start_stack("v1.1.0");
  ASSERT_FALSE(HasFailure());
  const auto validated = wharf({"images", "validate"});
  EXPECT_EQ(validated.exit_code, 0) << validated.out << validated.err;

  // A new release: the registry's newer tags are the v releases, not the floating tags.
  release("1.2.0", true);
  const auto newer = wharf({"--json", "images", "tags"});
  ASSERT_EQ(newer.exit_code, 0) << newer.out << newer.err;
  const auto newer_json = nlohmann::json::parse(newer.out);
  EXPECT_EQ(newer_json["images"][0]["newer"], nlohmann::json({"v1.2.0"})) << newer.out;

  const auto planned = wharf({"--json", "update", "--check"});
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  const auto plan = nlohmann::json::parse(planned.out);
  EXPECT_EQ(plan["from_tag"], "v1.1.0");
  EXPECT_EQ(plan["to_tag"], "v1.2.0");
  EXPECT_EQ(plan["changes_version"], true);

  auto updated = wharf({"update", "--timeout", "60", "--settle", "1"});
  ASSERT_EQ(updated.exit_code, 0) << updated.out << updated.err;
  expect_on("1.2.0");
  const auto again = wharf({"update", "--settle", "1"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("already at v1.2.0"));

  // rollback finds the release's git tag from the image tag v1.1.0.
  auto back = wharf({"rollback", "--settle", "1"});
  ASSERT_EQ(back.exit_code, 0) << back.out << back.err;
  expect_on("1.1.0");

  // A version spelt without the v still means this project's v1.2.0.
  auto forward = wharf({"rollback", "--to", "1.2.0", "--settle", "1"});
  ASSERT_EQ(forward.exit_code, 0) << forward.out << forward.err;
  expect_on("1.2.0");

  auto history = nlohmann::json::parse(wharf({"--json", "history"}).out)["updates"];
  ASSERT_EQ(history.size(), 3U);
  EXPECT_EQ(history[0]["from_tag"], "v1.1.0");
  EXPECT_EQ(history[0]["to_tag"], "v1.2.0");
  EXPECT_EQ(history[2]["to_tag"], "v1.2.0");

  // Without docker/.env a rollback has nothing to go from, and says how to get one.
  std::filesystem::remove(project() / "docker" / ".env");
  const auto no_env = wharf({"rollback", "--to", "1.1.0"});
  EXPECT_EQ(no_env.exit_code, 2) << no_env.err;
  EXPECT_THAT(no_env.err, HasSubstr("no " + (project() / "docker" / ".env").string()));
}

}  // namespace
}  // namespace wharf::test
