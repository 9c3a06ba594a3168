#include "wharf/runtime/deployment.hpp"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/peers.hpp"

namespace wharf::runtime {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using wharf::test::TempDir;
using wharf::test::write_file;

const std::string kContainerId(64, 'c');

// A probe over a temp root, a map for the environment and canned program answers keyed by
// the argv joined with spaces; programs not listed are "not installed".
struct FakeSystem {
  TempDir root;
  std::map<std::string, std::string> environment;
  std::map<std::string, ProcessResult> programs;
  std::vector<std::string> ran;

  SystemProbe probe() {
    return SystemProbe{
        .root = root.path(),
        .getenv = [this](std::string_view name) -> std::optional<std::string> {
          const auto found = environment.find(std::string(name));
          return found == environment.end() ? std::nullopt
                                            : std::optional<std::string>(found->second);
        },
        .run = [this](const ProcessSpec& spec) -> Result<ProcessResult> {
          std::string key;
          for (const auto& part : spec.argv) {
            key += (key.empty() ? "" : " ") + part;
          }
          ran.push_back(key);
          const auto found = programs.find(key);
          if (found == programs.end()) {
            return fail(ErrorKind::not_found, spec.argv.front() + " is not installed.");
          }
          return found->second;
        }};
  }

  void file(const std::string& absolute, const std::string& content) {
    const auto path = root.path() / std::filesystem::path(absolute).relative_path();
    std::filesystem::create_directories(path.parent_path());
    write_file(path, content);
  }
};

ProcessResult answer(std::string out, int exit_code = 0) {
  return ProcessResult{
      .exit_code = exit_code, .standard_output = std::move(out), .standard_error = {}};
}

TEST(DetectContainerTest, NothingFoundOnAPlainHost) {
  FakeSystem system;
  system.file("/proc/1/cgroup", "0::/init.scope\n");
  system.file("/proc/self/mountinfo",
              "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
              "30 22 8:1 /etc/hostname /etc/hostname rw - ext4 /dev/sda1 rw\n");
  const auto environment = detect_container(system.probe());
  EXPECT_FALSE(environment.inside);
  EXPECT_TRUE(environment.evidence.empty());
  EXPECT_EQ(environment.runtime, "");
}

TEST(DetectContainerTest, DockerenvAlone) {
  FakeSystem system;
  system.file("/.dockerenv", "");
  const auto environment = detect_container(system.probe());
  EXPECT_TRUE(environment.inside);
  EXPECT_EQ(environment.runtime, "docker");
  EXPECT_THAT(environment.evidence, ElementsAre("/.dockerenv exists"));
  EXPECT_EQ(environment.container_id, std::nullopt);
}

TEST(DetectContainerTest, CgroupV1PathNamesTheEngineAndTheContainer) {
  FakeSystem system;
  system.file("/proc/1/cgroup",
              "12:pids:/docker/" + kContainerId + "\n11:memory:/docker/" + kContainerId + "\n");
  const auto environment = detect_container(system.probe());
  EXPECT_TRUE(environment.inside);
  EXPECT_EQ(environment.runtime, "docker");
  EXPECT_EQ(environment.container_id, kContainerId);
  ASSERT_EQ(environment.evidence.size(), 1U);
  EXPECT_THAT(environment.evidence[0], HasSubstr("/proc/1/cgroup"));
}

TEST(DetectContainerTest, KubernetesWinsOverTheRuntimeInItsCgroupPath) {
  FakeSystem system;
  system.file("/proc/1/cgroup",
              "1:name=systemd:/kubepods/besteffort/pod1234/" + kContainerId + "\n");
  const auto environment = detect_container(system.probe());
  EXPECT_EQ(environment.runtime, "kubernetes");
  EXPECT_EQ(environment.container_id, kContainerId);
}

TEST(DetectContainerTest, CgroupV2HidesThePathButMountinfoShowsTheEnginesFiles) {
  FakeSystem system;
  system.file("/proc/1/cgroup", "0::/\n");
  system.file("/proc/self/mountinfo",
              "600 500 0:50 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u\n"
              "610 600 8:1 /var/lib/docker/containers/" +
                  kContainerId + "/hostname /etc/hostname rw,relatime - ext4 /dev/sda1 rw\n");
  const auto environment = detect_container(system.probe());
  EXPECT_TRUE(environment.inside);
  EXPECT_EQ(environment.runtime, "docker");
  EXPECT_EQ(environment.container_id, kContainerId);
  ASSERT_EQ(environment.evidence.size(), 1U);
  EXPECT_THAT(environment.evidence[0], HasSubstr("/etc/hostname is mounted from"));
}

TEST(DetectContainerTest, PodmanByItsFileAndEnvironment) {
  FakeSystem system;
  system.file("/run/.containerenv", "engine=\"podman-4.3\"\n");
  system.environment["container"] = "podman";
  const auto environment = detect_container(system.probe());
  EXPECT_TRUE(environment.inside);
  EXPECT_EQ(environment.runtime, "podman");
  EXPECT_THAT(environment.evidence,
              ElementsAre("/run/.containerenv exists", "container=podman is set"));
}

TEST(DetectContainerTest, ContainerVariableAloneNamesTheManager) {
  FakeSystem system;
  system.environment["container"] = "systemd-nspawn";
  const auto environment = detect_container(system.probe());
  EXPECT_TRUE(environment.inside);
  EXPECT_EQ(environment.runtime, "systemd-nspawn");
}

TEST(SourceCheckoutTest, ReadsBranchCommitAndTags) {
  FakeSystem system;
  system.programs["git -C /srv/app rev-parse --show-toplevel"] = answer("/srv/app\n");
  system.programs["git -C /srv/app symbolic-ref --quiet --short HEAD"] = answer("main\n");
  system.programs["git -C /srv/app rev-parse --verify --quiet --short HEAD"] = answer("abc1234\n");
  system.programs["git -C /srv/app tag --points-at HEAD"] = answer("v1.2.0\nlatest\n");
  const auto checkout = detect_source_checkout("/srv/app", system.probe());
  ASSERT_TRUE(checkout.has_value());
  EXPECT_EQ(checkout->toplevel, "/srv/app");
  EXPECT_EQ(checkout->branch, "main");
  EXPECT_EQ(checkout->commit, "abc1234");
  EXPECT_THAT(checkout->tags_at_head, ElementsAre("v1.2.0", "latest"));
}

TEST(SourceCheckoutTest, DetachedHeadAndNoCheckoutAtAll) {
  FakeSystem system;
  system.programs["git -C /srv/app rev-parse --show-toplevel"] = answer("/srv/app\n");
  system.programs["git -C /srv/app symbolic-ref --quiet --short HEAD"] = answer("", 1);
  system.programs["git -C /srv/app rev-parse --verify --quiet --short HEAD"] = answer("abc1234\n");
  const auto detached = detect_source_checkout("/srv/app", system.probe());
  ASSERT_TRUE(detached.has_value());
  EXPECT_EQ(detached->branch, "");
  EXPECT_TRUE(detached->tags_at_head.empty());

  FakeSystem outside;
  outside.programs["git -C /srv/app rev-parse --show-toplevel"] = answer("", 128);
  EXPECT_EQ(detect_source_checkout("/srv/app", outside.probe()), std::nullopt);
  FakeSystem no_git;  // git not installed: the runner fails.
  EXPECT_EQ(detect_source_checkout("/srv/app", no_git.probe()), std::nullopt);
}

TEST(SourceCheckoutTest, AgainstARealRepository) {
  TempDir repository;
  const auto git = [&](std::vector<std::string> args) {
    (void)wharf::test::git_in(repository.path(), std::move(args));
  };
  git({"init", "--quiet", "--initial-branch=release"});
  write_file(repository.path() / "VERSION", "1.0.0\n");
  git({"add", "VERSION"});
  git({"commit", "--quiet", "-m", "first"});
  git({"tag", "v1.0.0"});
  std::filesystem::create_directories(repository.path() / "docker");
  const auto checkout = detect_source_checkout(repository.path() / "docker", SystemProbe::real());
  ASSERT_TRUE(checkout.has_value());
  EXPECT_EQ(std::filesystem::canonical(checkout->toplevel),
            std::filesystem::canonical(repository.path()));
  EXPECT_EQ(checkout->branch, "release");
  EXPECT_EQ(checkout->commit.size(), 7U);
  EXPECT_THAT(checkout->tags_at_head, ElementsAre("v1.0.0"));
}

TEST(ComposeCliTest, PrefersThePluginAndFallsBackToV1) {
  FakeSystem both;
  both.programs["docker compose version"] = answer("Docker Compose version v2.24.6\n");
  both.programs["docker-compose version"] = answer("docker-compose version 1.29.2, build x\n");
  const auto plugin = find_compose_cli(both.probe());
  ASSERT_TRUE(plugin.has_value());
  EXPECT_THAT(plugin->command, ElementsAre("docker", "compose"));
  EXPECT_EQ(plugin->version, "2.24.6");
  EXPECT_EQ(plugin->describe(), "docker compose 2.24.6");

  FakeSystem v1;
  // docker 20.10 without the plugin: "docker: 'compose' is not a docker command", exit 1.
  v1.programs["docker compose version"] = answer("", 1);
  v1.programs["docker-compose version"] =
      answer("docker-compose version 1.29.2, build unknown\ndocker-py version: 5.0.3\n");
  const auto legacy = find_compose_cli(v1.probe());
  ASSERT_TRUE(legacy.has_value());
  EXPECT_THAT(legacy->command, ElementsAre("docker-compose"));
  EXPECT_EQ(legacy->version, "1.29.2");
  EXPECT_THAT(v1.ran, ElementsAre("docker compose version", "docker-compose version"));

  FakeSystem none;
  EXPECT_EQ(find_compose_cli(none.probe()), std::nullopt);
}

TEST(ComposeCliTest, VersionInItsAnswers) {
  EXPECT_EQ(compose_version_in("Docker Compose version v2.24.6-desktop.1\n"), "2.24.6-desktop.1");
  EXPECT_EQ(compose_version_in("docker-compose version 1.29.2, build unknown"), "1.29.2");
  EXPECT_EQ(compose_version_in("no version here"), "");
}

TEST(UpdateStrategyTest, ComposeOnlyWithBothAFileAndACli) {
  const ComposeCli cli{.command = {"docker-compose"}, .version = "1.29.2"};
  const std::filesystem::path file = "/srv/app/docker/docker-compose.yml";
  const auto compose = choose_update_strategy(file, cli);
  EXPECT_EQ(compose.strategy, UpdateStrategy::compose);
  EXPECT_THAT(compose.reason, HasSubstr("docker-compose 1.29.2"));
  EXPECT_THAT(compose.reason, HasSubstr(file.string()));

  const auto no_cli = choose_update_strategy(file, std::nullopt);
  EXPECT_EQ(no_cli.strategy, UpdateStrategy::recreate);
  EXPECT_THAT(no_cli.reason, HasSubstr("docker-compose"));
  const auto no_file = choose_update_strategy(std::nullopt, cli);
  EXPECT_EQ(no_file.strategy, UpdateStrategy::recreate);
  EXPECT_THAT(no_file.reason, HasSubstr("no compose file"));
  EXPECT_EQ(to_string(UpdateStrategy::compose), "compose");
  EXPECT_EQ(to_string(UpdateStrategy::recreate), "recreate");
}

TEST(DetectDeploymentTest, PutsTheProbesTogether) {
  FakeSystem system;
  system.file("/.dockerenv", "");
  system.programs["docker-compose version"] = answer("docker-compose version 1.29.2\n");
  TempDir project;
  std::filesystem::create_directories(project.path() / "docker");
  write_file(project.path() / "docker/.env", "COMPOSE_PROJECT_NAME=shop\nIMAGE_TAG=1.0.0\n");
  write_file(project.path() / "docker/compose.yaml",
             "services:\n  web:\n    image: shop/web:${IMAGE_TAG}\n");
  std::vector<std::string> asked;
  const auto deployment = detect_deployment(pin::ProjectLayout{project.path()}, system.probe(),
                                            [&](const std::string& name) -> Result<StackPresence> {
                                              asked.push_back(name);
                                              return StackPresence{.containers = 2, .running = 1};
                                            });
  EXPECT_EQ(deployment.checkout, std::nullopt);  // The fake has no git.
  EXPECT_TRUE(deployment.container.inside);
  EXPECT_EQ(deployment.compose_file, project.path() / "docker/compose.yaml");
  EXPECT_EQ(deployment.project_name, "shop");
  EXPECT_THAT(asked, ElementsAre("shop"));
  ASSERT_TRUE(deployment.stack.has_value());
  EXPECT_EQ(deployment.stack->containers, 2U);
  ASSERT_TRUE(deployment.compose_cli.has_value());
  EXPECT_EQ(deployment.strategy.strategy, UpdateStrategy::compose);
}

TEST(DetectDeploymentTest, RecordsWhyWhatCouldNotBeFoundOut) {
  FakeSystem system;
  TempDir project;  // No docker/ at all.
  bool asked = false;
  const auto deployment = detect_deployment(pin::ProjectLayout{project.path()}, system.probe(),
                                            [&](const std::string&) -> Result<StackPresence> {
                                              asked = true;
                                              return StackPresence{};
                                            });
  EXPECT_FALSE(asked);
  EXPECT_EQ(deployment.compose_file, std::nullopt);
  EXPECT_EQ(deployment.project_name, "");
  EXPECT_THAT(deployment.project_error, HasSubstr("no compose file"));
  EXPECT_EQ(deployment.stack, std::nullopt);
  EXPECT_FALSE(deployment.stack_error.empty());
  EXPECT_EQ(deployment.strategy.strategy, UpdateStrategy::recreate);

  FakeSystem engine_down;
  std::filesystem::create_directories(project.path() / "docker");
  write_file(project.path() / "docker/.env", "IMAGE_TAG=1.0.0\n");
  write_file(project.path() / "docker/compose.yaml", "services:\n  web:\n    image: web:1\n");
  const auto unreachable =
      detect_deployment(pin::ProjectLayout{project.path()}, engine_down.probe(),
                        [](const std::string&) -> Result<StackPresence> {
                          return fail(ErrorKind::unavailable, "cannot reach the Docker engine.");
                        });
  EXPECT_EQ(unreachable.project_name, "docker");  // compose's rule: the directory's name.
  EXPECT_EQ(unreachable.stack, std::nullopt);
  EXPECT_EQ(unreachable.stack_error, "cannot reach the Docker engine.");
  EXPECT_EQ(unreachable.strategy.strategy, UpdateStrategy::recreate);
}

}  // namespace
}  // namespace wharf::runtime
