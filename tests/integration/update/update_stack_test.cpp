// `wharf update` end to end: a temp git "origin" with release tags, release images in the
// private registry, and a running "stack" — containers labelled as compose labels them —
// on the private engine.
#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/update/release_fixture.hpp"

namespace wharf::test {
namespace {

// The recreate strategy (compose_strategy_test.cpp has compose's), said explicitly: with a
// compose CLI installed, `auto` would pick compose.
class UpdateStackTest : public ReleaseFixture {
 protected:
  void SetUp() override {
    strategy_ = "recreate";
    make_project(
        "services:\n"
        "  app:\n"
        "    image: ${APP_IMAGE}:${IMAGE_TAG}\n"
        "    healthcheck:\n"
        "      test: [\"CMD\", \"test\", \"-f\", \"/healthy\"]\n");
    ASSERT_FALSE(HasFailure());
    start_stack("1.1.0");
  }

  std::string container() const { return project_ + "-app-1"; }

  // The stack as compose would have created it, at `tag`, with settings to preserve.
  void start_stack(const std::string& tag) {
    auto started = docker(
        {"run", "-d", "--name", container(), "--network", "none", "--label",
         "com.docker.compose.project=" + project_, "--label", "com.docker.compose.service=app",
         "--label", "com.docker.compose.container-number=1", "--label",
         "com.docker.compose.oneoff=False", "--label", "custom=kept", "--env", "FOO=bar",
         "--restart", "unless-stopped", "--health-cmd", "test -f /healthy", "--health-interval",
         "1s", "--health-timeout", "1s", "--health-retries", "2", "--workdir", "/tmp",
         // sleep as PID 1 ignores SIGTERM: without this, every stop would
         // wait docker's 10 s.
         "--stop-timeout", "1", repository_ + ":" + tag, "sleep", "86400"});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    wait_healthy();
  }

  void wait_healthy() { ReleaseFixture::wait_healthy(container()); }
  nlohmann::json inspect() { return ReleaseFixture::inspect(container()); }

  void expect_on(const std::string& tag) {
    auto info = inspect();
    EXPECT_EQ(info["Config"]["Image"], repository_ + ":" + tag);
    EXPECT_EQ(info["State"]["Running"], true);
    EXPECT_EQ(info["State"]["Health"]["Status"], "healthy");
    EXPECT_EQ(env_tag(), tag);
    EXPECT_EQ(stack_containers().size(), 1U) << "no extra or kept container may remain";
  }
};

TEST_F(UpdateStackTest, MovesToTheNewReleaseKeepingEverySetting) {
  release("1.2.0", true);
  const auto old_id = inspect()["Id"];
  auto out = wharf({"update", "--timeout", "60", "--settle", "1"});
  ASSERT_EQ(out.exit_code, 0) << out.out << out.err;
  expect_on("1.2.0");
  EXPECT_NE(out.err.find("(1 commit)"), std::string::npos) << out.err;
  EXPECT_NE(out.err.find("asking the registry for 1 image\n"), std::string::npos) << out.err;
  EXPECT_NE(out.err.find("waiting until 1 container is healthy"), std::string::npos) << out.err;
  auto info = inspect();
  EXPECT_NE(info["Id"], old_id);
  const auto& env = info["Config"]["Env"];
  EXPECT_NE(std::find(env.begin(), env.end(), "FOO=bar"), env.end()) << env;
  EXPECT_NE(std::find(env.begin(), env.end(), "APP_RELEASE=1.2.0"), env.end())
      << "the new image's own environment must win: " << env;
  EXPECT_EQ(info["Config"]["Labels"]["custom"], "kept");
  EXPECT_EQ(info["Config"]["Labels"]["org.example.release"], "1.2.0");
  EXPECT_EQ(info["Config"]["Labels"]["com.docker.compose.service"], "app");
  EXPECT_EQ(info["HostConfig"]["RestartPolicy"]["Name"], "unless-stopped");
  EXPECT_EQ(info["HostConfig"]["NetworkMode"], "none");
  EXPECT_EQ(info["Config"]["WorkingDir"], "/tmp");
  EXPECT_EQ(info["Config"]["StopTimeout"], 1) << info["Config"].dump();
  EXPECT_EQ(info["Config"]["Cmd"], nlohmann::json({"sleep", "86400"}));
  EXPECT_EQ(info["Config"]["Healthcheck"]["Test"],
            nlohmann::json({"CMD-SHELL", "test -f /healthy"}));
  EXPECT_EQ(read_file(project() / "VERSION"), "v1.2.0\n");
  auto history = wharf({"--json", "history"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const auto updates = nlohmann::json::parse(history.out)["updates"];
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_EQ(updates[0]["outcome"], "updated");
  EXPECT_EQ(updates[0]["from_tag"], "1.1.0");
}

TEST_F(UpdateStackTest, AnUnhealthyReleaseIsRolledBackByItself) {
  release("1.2.0", true);
  ASSERT_EQ(wharf({"update", "--settle", "1"}).exit_code, 0);
  const auto head = git(project(), {"rev-parse", "HEAD"});
  const auto good_id = inspect()["Id"];
  release("1.3.0", false);
  auto out = wharf({"update", "--timeout", "30", "--settle", "1"});
  EXPECT_EQ(out.exit_code, 1) << out.out << out.err;
  EXPECT_NE(out.err.find("not healthy"), std::string::npos) << out.err;
  EXPECT_NE(out.err.find("back on 1.2.0"), std::string::npos) << out.err;
  wait_healthy();
  expect_on("1.2.0");
  EXPECT_EQ(inspect()["Id"], good_id) << "the previous container itself comes back";
  EXPECT_EQ(git(project(), {"rev-parse", "HEAD"}), head);
  auto history = nlohmann::json::parse(wharf({"--json", "history"}).out)["updates"];
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(history[1]["outcome"], "rolled_back");
}

TEST_F(UpdateStackTest, AKilledRunIsRecoveredByTheNextAtEveryStep) {
  release("1.2.0", true);
  for (const std::string point : {"started", "git_pulled", "env_written", "images_pulled",
                                  "restarting", "recreated", "waiting_healthy"}) {
    SCOPED_TRACE(point);
    auto killed = wharf({"update", "--settle", "1"}, {{"WHARF_UPDATE_FAILPOINT", point}});
    EXPECT_NE(killed.exit_code, 0) << killed.err;
    ASSERT_TRUE(std::filesystem::exists(project() / "docker" / ".wharf" / "update.json"));
    auto next = wharf({"update", "--settle", "1"});
    ASSERT_EQ(next.exit_code, 0) << next.out << next.err;
    EXPECT_NE(next.err.find("interrupted at step"), std::string::npos) << next.err;
    expect_on("1.2.0");
    // Back to 1.1.0 for the next step: the checkout, then the stack.
    git(project(), {"reset", "--quiet", "--hard", "v1.1.0"});
    auto back = wharf({"rollback", "--to", "1.1.0", "--settle", "1"});
    ASSERT_EQ(back.exit_code, 0) << back.out << back.err;
    expect_on("1.1.0");
  }
}

// A wharf built without tests (tools/install.sh, the image) has no failpoints: an update with
// every failpoint variable set runs through as if none were.
TEST_F(UpdateStackTest, AWharfWithoutTestHooksIsNotStoppedByAFailpoint) {
  release("1.2.0", true);
  auto out = wharf({"update", "--settle", "1"},
                   {{"WHARF_UPDATE_FAILPOINT", "started"},
                    {"WHARF_ATOMIC_WRITE_FAILPOINT", "update.json"},
                    {"WHARF_CLI_FAILPOINT", "exception"}},
                   TestHooks::without);
  ASSERT_EQ(out.exit_code, 0) << out.out << out.err;
  EXPECT_EQ(out.err.find("interrupted at step"), std::string::npos) << out.err;
  expect_on("1.2.0");
  EXPECT_FALSE(std::filesystem::exists(project() / "docker" / ".wharf" / "update.json"));
  auto history = nlohmann::json::parse(wharf({"--json", "history"}).out)["updates"];
  ASSERT_EQ(history.size(), 1U);
  EXPECT_EQ(history[0]["outcome"], "updated");
}

TEST_F(UpdateStackTest, RollbackTakesTheCheckoutToTheReleaseTagToo) {
  release("1.2.0", true);
  ASSERT_EQ(wharf({"update", "--settle", "1"}).exit_code, 0);
  auto back = wharf({"rollback", "--settle", "1"});
  ASSERT_EQ(back.exit_code, 0) << back.out << back.err;
  expect_on("1.1.0");
  EXPECT_EQ(read_file(project() / "VERSION"), "v1.1.0\n");
  EXPECT_EQ(git(project(), {"rev-parse", "HEAD"}),
            git(project(), {"rev-parse", "v1.1.0^{commit}"}));
  auto check = wharf({"pin", "--check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  // The next update goes forward to the newest release again.
  auto forward = wharf({"update", "--settle", "1"});
  ASSERT_EQ(forward.exit_code, 0) << forward.out << forward.err;
  expect_on("1.2.0");
  EXPECT_EQ(read_file(project() / "VERSION"), "v1.2.0\n");
}

TEST_F(UpdateStackTest, RollbackLeavesACheckoutWithLocalCommitsWhereItIs) {
  release("1.2.0", true);
  ASSERT_EQ(wharf({"update", "--settle", "1"}).exit_code, 0);
  write_file(project() / "NOTES", "local\n");
  git(project(), {"add", "NOTES"});
  git(project(), {"commit", "--quiet", "-m", "local only"});
  const auto head = git(project(), {"rev-parse", "HEAD"});
  write_file(project() / "NOTES", "edited, not committed\n");
  auto back = wharf({"rollback", "--to", "1.1.0", "--settle", "1"});
  ASSERT_EQ(back.exit_code, 0) << back.out << back.err;
  EXPECT_NE(back.err.find("HEAD has commits no tag or remote branch holds"), std::string::npos)
      << back.err;
  expect_on("1.1.0");
  EXPECT_EQ(git(project(), {"rev-parse", "HEAD"}), head);
  EXPECT_EQ(read_file(project() / "NOTES"), "edited, not committed\n");
}

TEST_F(UpdateStackTest, ADirtyTreeOrADivergedBranchIsRefusedChangingNothing) {
  release("1.2.0", true);
  const auto id = inspect()["Id"];
  write_file(project() / "VERSION", "v9.9.9\n");
  auto dirty = wharf({"update"});
  EXPECT_EQ(dirty.exit_code, 2) << dirty.err;
  EXPECT_NE(dirty.err.find("uncommitted changes (VERSION)"), std::string::npos) << dirty.err;
  git(project(), {"checkout", "--quiet", "--", "VERSION"});
  write_file(project() / "NOTES", "local\n");
  git(project(), {"add", "NOTES"});
  git(project(), {"commit", "--quiet", "-m", "local"});
  auto diverged = wharf({"update"});
  EXPECT_EQ(diverged.exit_code, 2) << diverged.err;
  EXPECT_NE(diverged.err.find("diverged"), std::string::npos) << diverged.err;
  EXPECT_EQ(inspect()["Id"], id);
  EXPECT_EQ(env_tag(), "1.1.0");
  EXPECT_FALSE(std::filesystem::exists(project() / "docker" / ".wharf" / "update.json"));
}

TEST_F(UpdateStackTest, CheckShowsTheChangeAndChangesNothing) {
  release("1.2.0", true);
  auto out = wharf({"--json", "update", "--check"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  auto plan = nlohmann::json::parse(out.out);
  EXPECT_EQ(plan["from_tag"], "1.1.0");
  EXPECT_EQ(plan["to_tag"], "1.2.0");
  EXPECT_EQ(plan["git"]["commits"].size(), 1U);
  EXPECT_EQ(plan["images"], nlohmann::json({repository_ + ":1.2.0"}));
  EXPECT_EQ(plan["strategy"], "recreate");
  EXPECT_EQ(plan["ok"], true);
  EXPECT_EQ(plan["missing"], nlohmann::json::array());
  ASSERT_EQ(plan["registry"].size(), 1U) << plan.dump();
  EXPECT_EQ(plan["registry"][0]["image"], repository_ + ":1.2.0");
  EXPECT_EQ(plan["registry"][0]["available"], true);
  EXPECT_TRUE(plan["registry"][0]["digest"].get<std::string>().starts_with("sha256:"));
  EXPECT_EQ(env_tag(), "1.1.0");
  EXPECT_EQ(read_file(project() / "VERSION"), "v1.1.0\n");
  EXPECT_EQ(inspect()["Config"]["Image"], repository_ + ":1.1.0");
  const auto text = wharf({"update", "--check"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("commits: 1\n"), std::string::npos) << text.out;
}

// The same release without --check: the pull step stops it and nothing that runs is touched.
// The report joins the registry's sentence into longer ones without doubling its full stop.
TEST_F(UpdateStackTest, AnImageMissingFromTheRegistryStopsTheUpdateBeforeTheStackMoves) {
  release("1.2.0", true, false);
  const auto id = inspect()["Id"];
  auto out = wharf({"update", "--timeout", "30", "--settle", "1"});
  EXPECT_EQ(out.exit_code, 1) << out.out << out.err;
  EXPECT_NE(out.err.find("is not in the registry"), std::string::npos) << out.err;
  EXPECT_NE(out.err.find("and tag — rolling back to 1.1.0"), std::string::npos) << out.err;
  for (const auto* doubled : {". —", ".;", "..", ". \n"}) {
    EXPECT_EQ(out.err.find(doubled), std::string::npos) << "'" << doubled << "' in " << out.err;
  }
  EXPECT_EQ(inspect()["Id"], id);
  EXPECT_EQ(env_tag(), "1.1.0");
}

// The release is tagged but its image is not in the registry (built, not pushed): the update
// would fail at the pull and roll back, so --check says so now and exits 1.
TEST_F(UpdateStackTest, CheckNamesTheImagesTheRegistryDoesNotHave) {
  release("1.2.0", true, false);
  const auto missing = repository_ + ":1.2.0";
  auto out = wharf({"update", "--check"});
  EXPECT_EQ(out.exit_code, 1) << out.out << out.err;
  EXPECT_NE(out.out.find(missing + "  not in the registry"), std::string::npos) << out.out;
  EXPECT_NE(out.err.find("1 image of release 1.2.0 is not in the registry: " + missing),
            std::string::npos)
      << out.err;
  auto json = wharf({"--json", "update", "--check"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  auto plan = nlohmann::json::parse(json.out);
  EXPECT_EQ(plan["ok"], false);
  EXPECT_EQ(plan["missing"], nlohmann::json({missing}));
  EXPECT_EQ(plan["registry"][0]["available"], false);
  EXPECT_EQ(plan["registry"][0]["digest"], nullptr);
  EXPECT_NE(plan["registry"][0]["error"].get<std::string>().find("1.2.0"), std::string::npos);
  EXPECT_EQ(env_tag(), "1.1.0");
  EXPECT_EQ(read_file(project() / "VERSION"), "v1.1.0\n");
  EXPECT_EQ(inspect()["Config"]["Image"], repository_ + ":1.1.0");
}

}  // namespace
}  // namespace wharf::test
