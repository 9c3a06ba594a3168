// `wharf update` on a stack that docker-compose itself started: two services, app depending on
// db being healthy. The compose strategy (compose up -d with the new pin, compose again at the
// old pin to roll back), and the recreate strategy on containers compose created, which compose
// must still own afterwards.
#include <chrono>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integration/update/release_fixture.hpp"
#include "support/spawn.hpp"

namespace wharf::test {
namespace {

// sleep as PID 1 ignores SIGTERM: the 1 s grace keeps every stop short.
constexpr const char* kStack =
    "x-service: &service\n"
    "  image: ${APP_IMAGE}:${IMAGE_TAG}\n"
    "  network_mode: none\n"
    "  command: [\"sleep\", \"86400\"]\n"
    "  stop_grace_period: 1s\n"
    "  healthcheck:\n"
    "    test: [\"CMD\", \"test\", \"-f\", \"/healthy\"]\n"
    "    interval: 1s\n"
    "    timeout: 1s\n"
    "    retries: 2\n"
    "services:\n"
    "  app:\n"
    "    <<: *service\n"
    "    environment:\n"
    "      FOO: bar\n"
    "    labels:\n"
    "      custom: kept\n"
    "    depends_on:\n"
    "      db:\n"
    "        condition: service_healthy\n"
    "  db:\n"
    "    <<: *service\n";

// The command names of `parent`'s child processes.
std::vector<std::string> children_of(pid_t parent) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const auto status = entry.path() / "status";
    std::error_code error;
    if (!std::filesystem::exists(status, error)) {
      continue;
    }
    std::ifstream in(status);
    std::string name;
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with("Name:")) {
        name = line.substr(line.find_first_not_of(" \t", 5));
      } else if (line.starts_with("PPid:") && std::stoi(line.substr(5)) == parent) {
        names.push_back(name);
      }
    }
  }
  return names;
}

class ComposeStrategyTest : public ReleaseFixture {
 protected:
  void SetUp() override {
    make_project(kStack);
    ASSERT_FALSE(HasFailure());
    auto up = compose({"up", "-d"});
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
    wait_healthy(container_of("db"));
    wait_healthy(container_of("app"));
  }

  // Both services on `tag`, running and healthy, nothing else left; .env pins `tag`.
  void expect_on(const std::string& tag) {
    EXPECT_EQ(env_tag(), tag);
    for (const auto* service : {"db", "app"}) {
      SCOPED_TRACE(service);
      const auto name = container_of(service);
      wait_healthy(name);
      const auto info = inspect(name);
      EXPECT_EQ(info["Config"]["Image"], repository_ + ":" + tag);
      EXPECT_EQ(info["State"]["Running"], true);
    }
    EXPECT_EQ(stack_containers().size(), 2U) << "no extra or kept container may remain";
  }

  // db's container started before app's: the depends_on order.
  void expect_db_started_first() {
    const std::string db = inspect(container_of("db"))["State"]["StartedAt"];
    const std::string app = inspect(container_of("app"))["State"]["StartedAt"];
    EXPECT_LT(db, app) << "db must start before app, which depends on it";
  }

  nlohmann::json history() { return nlohmann::json::parse(wharf({"--json", "history"}).out); }
};

TEST_F(ComposeStrategyTest, AutoPicksComposeAndMovesEveryServiceInDependencyOrder) {
  release("1.2.0", true);
  const auto old_app = inspect(container_of("app"))["Id"];
  auto out = wharf({"update", "--timeout", "60", "--settle", "1"});
  ASSERT_EQ(out.exit_code, 0) << out.out << out.err;
  EXPECT_NE(out.err.find("strategy compose"), std::string::npos) << out.err;
  expect_on("1.2.0");
  expect_db_started_first();
  const auto app = inspect(container_of("app"));
  EXPECT_NE(app["Id"], old_app);
  const auto& env = app["Config"]["Env"];
  EXPECT_NE(std::find(env.begin(), env.end(), "FOO=bar"), env.end()) << env;
  EXPECT_EQ(app["Config"]["Labels"]["custom"], "kept");
  EXPECT_EQ(read_file(project() / "VERSION"), "v1.2.0\n");
  const auto updates = history()["updates"];
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_EQ(updates[0]["outcome"], "updated");
  EXPECT_EQ(updates[0]["strategy"], "compose");
  EXPECT_EQ(updates[0]["services"].size(), 2U) << updates[0];
  auto check = wharf({"--json", "update", "--check"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(nlohmann::json::parse(check.out)["strategy"], "compose");
}

TEST_F(ComposeStrategyTest, AnUnhealthyReleaseIsPutBackByCompose) {
  release("1.2.0", true);
  ASSERT_EQ(wharf({"update", "--strategy", "compose", "--settle", "1"}).exit_code, 0);
  const auto head = git(project(), {"rev-parse", "HEAD"});
  release("1.3.0", false);
  auto out = wharf({"update", "--strategy", "compose", "--timeout", "20", "--settle", "1"});
  EXPECT_EQ(out.exit_code, 1) << out.out << out.err;
  // Compose gives up on app because db is unhealthy; the report says what db says of itself.
  EXPECT_NE(out.err.find("healthcheck reported unhealthy"), std::string::npos) << out.err;
  EXPECT_NE(out.err.find("back on 1.2.0"), std::string::npos) << out.err;
  expect_on("1.2.0");
  EXPECT_EQ(git(project(), {"rev-parse", "HEAD"}), head);
  const auto updates = history()["updates"];
  ASSERT_EQ(updates.size(), 2U);
  EXPECT_EQ(updates[1]["outcome"], "rolled_back");
}

TEST_F(ComposeStrategyTest, AKilledRunIsRolledBackByComposeAtEveryStep) {
  release("1.2.0", true);
  for (const std::string point : {"restarting", "recreated", "waiting_healthy"}) {
    SCOPED_TRACE(point);
    auto killed = wharf({"update", "--strategy", "compose", "--settle", "1"},
                        {{"WHARF_UPDATE_FAILPOINT", point}});
    EXPECT_NE(killed.exit_code, 0) << killed.err;
    ASSERT_TRUE(std::filesystem::exists(project() / "docker" / ".wharf" / "update.json"));
    // --resume only rolls back: compose must bring 1.1.0 back, whatever the kill left.
    auto next = wharf({"update", "--strategy", "compose", "--resume"});
    ASSERT_EQ(next.exit_code, 0) << next.out << next.err;
    EXPECT_NE(next.out.find("rolled back to 1.1.0"), std::string::npos) << next.out << next.err;
    expect_on("1.1.0");
    EXPECT_EQ(read_file(project() / "VERSION"), "v1.1.0\n");
  }
}

TEST_F(ComposeStrategyTest, ContainersWharfRecreatedStayComposes) {
  release("1.2.0", true);
  auto out = wharf({"update", "--strategy", "recreate", "--timeout", "60", "--settle", "1"});
  ASSERT_EQ(out.exit_code, 0) << out.out << out.err;
  expect_on("1.2.0");
  expect_db_started_first();
  // compose finds them as its own: listed by `ps`, and `up -d` leaves one container per
  // service, on the pinned release.
  auto listed = compose({"ps", "-q"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(lines(listed.out).size(), 2U) << listed.out;
  auto up = compose({"up", "-d"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  expect_on("1.2.0");
}

TEST_F(ComposeStrategyTest, ComposeWaitsWhileAnEarlierComposeHoldsTheLock) {
  // What a wharf killed while compose worked leaves: a compose process holding
  // docker/.wharf/compose.lock. Here the test holds it; the update must not run compose until
  // it is released.
  release("1.2.0", true);
  const auto old_app = inspect(container_of("app"))["Id"];
  const auto directory = project() / "docker" / ".wharf";
  std::filesystem::create_directories(directory);
  const int lock = ::open((directory / "compose.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(lock, 0);
  ASSERT_EQ(::flock(lock, LOCK_EX), 0);
  TempDir logs;
  const pid_t pid =
      spawn_wharf({"-C", project().string(), "update", "--strategy", "compose", "--settle", "1"},
                  {{"DOCKER_HOST", docker_host_}, {"DOCKER_CONFIG", config_.path().string()}},
                  logs.path() / "out", logs.path() / "err");
  ASSERT_GT(pid, 0);
  const auto journal = directory / "update.json";
  bool restarting = false;
  for (int i = 0; i < 300 && !restarting; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    restarting = std::filesystem::exists(journal) &&
                 read_file(journal).find("\"restarting\"") != std::string::npos;
  }
  EXPECT_TRUE(restarting) << read_file(logs.path() / "err");
  // Compose would be wharf's child for several seconds (it waits for db to be healthy).
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(children_of(pid), std::vector<std::string>{})
        << "compose ran while the lock was held";
  }
  EXPECT_EQ(inspect(container_of("app"))["Id"], old_app) << "compose ran while the lock was held";
  ::close(lock);
  const auto status = wait_or_kill(pid, std::chrono::seconds(120));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << read_file(logs.path() / "err");
  expect_on("1.2.0");
}

TEST_F(ComposeStrategyTest, AskingForComposeWithoutACliIsRefusedChangingNothing) {
  release("1.2.0", true);
  const auto app = inspect(container_of("app"))["Id"];
  // A PATH with git but neither docker nor docker-compose.
  TempDir bin;
  std::filesystem::create_symlink("/usr/bin/git", bin.path() / "git");
  auto out = wharf({"update", "--strategy", "compose"}, {{"PATH", bin.path().string()}});
  EXPECT_EQ(out.exit_code, 3) << out.err;
  EXPECT_NE(out.err.find("neither answered"), std::string::npos) << out.err;
  EXPECT_EQ(env_tag(), "1.1.0");
  EXPECT_EQ(inspect(container_of("app"))["Id"], app);
  EXPECT_FALSE(std::filesystem::exists(project() / "docker" / ".wharf" / "update.json"));
}

}  // namespace
}  // namespace wharf::test
