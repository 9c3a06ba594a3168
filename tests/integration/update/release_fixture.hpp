#pragma once

// What the `wharf update` end-to-end tests share: a temp git "origin" whose commits are
// tagged releases, each release's image in the private registry, a clone of it as the
// installed project (docker/.env pinned at 1.1.0), and the docker and docker-compose CLIs
// aimed at the private engine. TearDown removes every container of the compose project and
// every release image, also when an assertion ended the test halfway.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/peers.hpp"

namespace wharf::test {

class ReleaseFixture : public ::testing::Test {
 protected:
  /// The origin with `compose_yaml` as docker/docker-compose.yml and release 1.1.0, cloned as
  /// project() with .env pinning image_tag("1.1.0") (APP_IMAGE names the release repository).
  void make_project(const std::string& compose_yaml);
  void TearDown() override;

  /// A release: VERSION committed and tagged in the origin, and its image in the registry
  /// at image_tag(version) (healthy images hold /healthy, which the stacks' healthchecks test
  /// for). Without `push_image` the image is only built on the engine: a release CI has not
  /// pushed yet.
  void release(const std::string& version, bool healthy, bool push_image = true);

  /// The image tag of `version` ("1.2.0") in the project's tag style: tag_prefix_ + version.
  [[nodiscard]] std::string image_tag(const std::string& version) const {
    return tag_prefix_ + version;
  }

  [[nodiscard]] std::filesystem::path origin() const { return root_.path() / "origin.git"; }
  [[nodiscard]] std::filesystem::path dev() const { return root_.path() / "dev"; }
  [[nodiscard]] std::filesystem::path project() const { return root_.path() / "project"; }

  static std::string git(const std::filesystem::path& dir, std::vector<std::string> args);
  [[nodiscard]] CommandOutput docker(const std::vector<std::string>& args) const;
  /// docker-compose on the project, as an operator runs it in docker/.
  [[nodiscard]] CommandOutput compose(const std::vector<std::string>& args) const;
  /// wharf in the project; `update` and `rollback` get `--strategy strategy_` when it is set.
  [[nodiscard]] CommandOutput wharf(std::vector<std::string> args,
                                    std::map<std::string, std::string> extra = {},
                                    TestHooks hooks = TestHooks::with) const;

  /// docker inspect of one container; an empty object when it does not exist.
  [[nodiscard]] nlohmann::json inspect(const std::string& name) const;
  /// IMAGE_TAG in the project's docker/.env.
  [[nodiscard]] std::string env_tag() const;
  /// Every container of the project: name -> image reference.
  [[nodiscard]] std::map<std::string, std::string> stack_containers() const;
  /// The project's container of `service` (the only one); "" when there is none.
  [[nodiscard]] std::string container_of(const std::string& service) const;
  /// Waits up to 20 s for `name` to report healthy; a failure when it does not.
  void wait_healthy(const std::string& name) const;

  static std::vector<std::string> lines(const std::string& text);

  std::string docker_cli_, docker_host_, registry_, docker_config_;
  std::string project_, repository_;
  std::string strategy_;  ///< --strategy for update and rollback; "" leaves it to wharf.
  /// "v" for a project whose images are tagged v1.2.0 (set before make_project), "" for 1.2.0.
  std::string tag_prefix_;
  /// Tags of the release repository TearDown removes besides those of the releases.
  std::vector<std::string> extra_tags_;
  TempDir root_;
  TempDir config_;
};

}  // namespace wharf::test
