// `wharf update` end to end: a temp git "origin" with release tags, release images in the
// private registry, and a running "stack" — containers labelled as compose labels them —
// on the private engine.
#include <chrono>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/peers.hpp"

namespace wharf::test {
namespace {

class UpdateStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    docker_cli_ = peer_env("WHARF_TEST_DOCKER_CLI");
    docker_host_ = peer_env("WHARF_TEST_DOCKER_HOST");
    registry_ = peer_env("WHARF_TEST_REGISTRY");
    docker_config_ = peer_env("WHARF_TEST_DOCKER_CONFIG");
    ASSERT_FALSE(HasFailure());
    std::random_device random;
    project_ = "wup" + std::to_string(random() % 1000000);
    repository_ = registry_ + "/wharftest/update-" + project_ + "/app";
    git(root_.path(), {"init", "--quiet", "--bare", "--initial-branch=main", origin().string()});
    git(root_.path(), {"clone", "--quiet", origin().string(), dev().string()});
    std::filesystem::create_directories(dev() / "docker");
    write_file(dev() / ".gitignore", "docker/.env\ndocker/.wharf/\n");
    write_file(dev() / "docker" / "docker-compose.yml",
               "services:\n"
               "  app:\n"
               "    image: ${APP_IMAGE}:${IMAGE_TAG}\n"
               "    healthcheck:\n"
               "      test: [\"CMD\", \"test\", \"-f\", \"/healthy\"]\n");
    release("1.1.0", true);
    git(root_.path(), {"clone", "--quiet", origin().string(), project().string()});
    write_file(
        project() / "docker" / ".env",
        "COMPOSE_PROJECT_NAME=" + project_ + "\nIMAGE_TAG=1.1.0\nAPP_IMAGE=" + repository_ + "\n");
    start_stack("1.1.0");
  }

  void TearDown() override {
    auto listed = docker({"ps", "-aq", "--filter", "label=com.docker.compose.project=" + project_});
    for (const auto& id : lines(listed.out)) {
      (void)docker({"rm", "-f", id});
    }
    for (const auto& tag : {"1.1.0", "1.2.0", "1.3.0"}) {
      (void)docker({"rmi", "-f", repository_ + ":" + tag});
    }
  }

  static std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) {
        result.push_back(line);
      }
    }
    return result;
  }

  std::filesystem::path origin() const { return root_.path() / "origin.git"; }
  std::filesystem::path dev() const { return root_.path() / "dev"; }
  std::filesystem::path project() const { return root_.path() / "project"; }
  std::string container() const { return project_ + "-app-1"; }

  static std::string git(const std::filesystem::path& dir, std::vector<std::string> args) {
    std::vector<std::string> argv{"git",
                                  "-C",
                                  dir.string(),
                                  "-c",
                                  "user.name=wharf test",
                                  "-c",
                                  "user.email=test@wharf.invalid"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto out = run(argv);
    EXPECT_EQ(out.exit_code, 0) << "git " << args.front() << ": " << out.err;
    return out.out;
  }

  CommandOutput docker(const std::vector<std::string>& args) {
    std::vector<std::string> argv{docker_cli_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {}, {{"DOCKER_HOST", docker_host_}, {"DOCKER_CONFIG", docker_config_}});
  }

  // These tests are the recreate strategy's (compose_strategy_test has compose's): said
  // explicitly, since with a compose CLI installed `auto` would pick compose.
  CommandOutput wharf(std::vector<std::string> args,
                      std::map<std::string, std::string> extra = {}) {
    for (auto arg = args.begin(); arg != args.end(); ++arg) {
      if (*arg == "update" || *arg == "rollback") {
        args.insert(arg + 1, {"--strategy", "recreate"});
        break;
      }
    }
    extra["DOCKER_HOST"] = docker_host_;
    extra["DOCKER_CONFIG"] = config_.path().string();
    return run_wharf(args, project(), extra);
  }

  // A release: VERSION committed and tagged in the origin, and its image in the registry
  // (healthy images hold /healthy, which the compose healthcheck tests for).
  void release(const std::string& version, bool healthy) {
    write_file(dev() / "VERSION", "v" + version + "\n");
    git(dev(), {"add", "-A"});
    git(dev(), {"commit", "--quiet", "-m", "release " + version});
    git(dev(), {"tag", "v" + version});
    git(dev(), {"push", "--quiet", "origin", "HEAD:main", "v" + version});
    TempDir context;
    write_file(context.path() / "Dockerfile",
               std::string("FROM wharf/worker:dev\nENV APP_RELEASE=") + version +
                   "\nLABEL org.example.release=" + version + "\n" +
                   (healthy ? "COPY healthy /healthy\n" : ""));
    write_file(context.path() / "healthy", "yes\n");
    const auto image = repository_ + ":" + version;
    auto built = run({docker_cli_, "build", "--quiet", "--network", "none", "-t", image,
                      context.path().string()},
                     {}, {{"DOCKER_HOST", docker_host_}, {"DOCKER_BUILDKIT", "0"}});
    ASSERT_EQ(built.exit_code, 0) << built.err;
    auto pushed = docker({"push", image});
    ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  }

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

  void wait_healthy() {
    for (int i = 0; i < 100; ++i) {
      if (inspect()["State"]["Health"]["Status"] == "healthy") {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << container() << " did not become healthy";
  }

  nlohmann::json inspect(const std::string& name = {}) {
    auto out = docker({"inspect", name.empty() ? container() : name});
    if (out.exit_code != 0) {
      return nlohmann::json::object();
    }
    auto parsed = nlohmann::json::parse(out.out, nullptr, false);
    return parsed.is_array() && !parsed.empty() ? parsed[0] : nlohmann::json::object();
  }

  std::string env_tag() {
    const auto text = read_file(project() / "docker" / ".env");
    const auto at = text.find("IMAGE_TAG=");
    return text.substr(at + 10, text.find('\n', at) - at - 10);
  }

  // Every container of the project: name -> image reference.
  std::map<std::string, std::string> stack_containers() {
    std::map<std::string, std::string> result;
    auto listed = docker({"ps", "-a", "--format", "{{.Names}} {{.Image}}", "--filter",
                          "label=com.docker.compose.project=" + project_});
    for (const auto& line : lines(listed.out)) {
      result[line.substr(0, line.find(' '))] = line.substr(line.find(' ') + 1);
    }
    return result;
  }

  void expect_on(const std::string& tag) {
    auto info = inspect();
    EXPECT_EQ(info["Config"]["Image"], repository_ + ":" + tag);
    EXPECT_EQ(info["State"]["Running"], true);
    EXPECT_EQ(info["State"]["Health"]["Status"], "healthy");
    EXPECT_EQ(env_tag(), tag);
    EXPECT_EQ(stack_containers().size(), 1U) << "no extra or kept container may remain";
  }

  std::string docker_cli_, docker_host_, registry_, docker_config_;
  std::string project_, repository_;
  TempDir root_;
  TempDir config_;
};

TEST_F(UpdateStackTest, MovesToTheNewReleaseKeepingEverySetting) {
  release("1.2.0", true);
  const auto old_id = inspect()["Id"];
  auto out = wharf({"update", "--timeout", "60", "--settle", "1"});
  ASSERT_EQ(out.exit_code, 0) << out.out << out.err;
  expect_on("1.2.0");
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
  const auto plan = nlohmann::json::parse(out.out);
  EXPECT_EQ(plan["from_tag"], "1.1.0");
  EXPECT_EQ(plan["to_tag"], "1.2.0");
  EXPECT_EQ(plan["git"]["commits"].size(), 1U);
  EXPECT_EQ(plan["images"], nlohmann::json({repository_ + ":1.2.0"}));
  EXPECT_EQ(env_tag(), "1.1.0");
  EXPECT_EQ(read_file(project() / "VERSION"), "v1.1.0\n");
  EXPECT_EQ(inspect()["Config"]["Image"], repository_ + ":1.1.0");
}

}  // namespace
}  // namespace wharf::test
