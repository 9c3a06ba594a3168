#pragma once

// Shared setup for the `wharf status|logs|info` end-to-end tests: a temp project (docker/.env
// and a compose file) whose compose project is unique to the test, and its "stack" made by the
// docker CLI on the private engine — containers with compose's labels, network none or host,
// images tagged from the peers' busybox image — so wharf finds it exactly as it finds a stack
// compose started. Everything the test made is removed when it ends, pass or fail.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/peers.hpp"

namespace wharf::runtime::test {

/// A wharf run: its output and, for --json runs, the document on stdout (null when none).
struct WharfRun {
  wharf::test::CommandOutput output;
  nlohmann::json json;
};

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// The docker CLI on the test engine.
  [[nodiscard]] wharf::test::CommandOutput docker(const std::vector<std::string>& args) const;

  /// "wharftest/<test>/<service>:1.0.0", the image the compose file names for `service`.
  [[nodiscard]] std::string image(const std::string& service) const;

  /// Writes docker/.env (COMPOSE_PROJECT_NAME, IMAGE_TAG=1.0.0) and docker/docker-compose.yml
  /// with one service per name, in this order, each running image(service); tags every image
  /// from the peers' busybox image (`docker tag`).
  void write_project(const std::vector<std::string>& services);

  /// `docker run -d` (or `docker create` when `start` is false) of a container of `service`
  /// with compose's labels and name (<project>-<service>-<number>), `--network none` unless
  /// `flags` says otherwise, running `command` under sh -c. Returns its ID.
  std::string add_container(const std::string& service, int number, const std::string& command,
                            const std::vector<std::string>& flags = {}, bool start = true);

  /// Polls `docker inspect --format <format> <container>` until it prints `expected`; fails the
  /// test after `limit`.
  void wait_for(const std::string& container, const std::string& format,
                const std::string& expected,
                std::chrono::milliseconds limit = std::chrono::seconds(30)) const;

  /// Runs wharf -C <project> with DOCKER_HOST at the test engine.
  [[nodiscard]] WharfRun wharf(const std::vector<std::string>& args) const;

  /// The environment for a spawned wharf.
  [[nodiscard]] std::map<std::string, std::string> wharf_environment() const;

  std::string docker_cli_;
  std::string docker_host_;
  std::string test_name_;  ///< lower case, separators as '-'
  std::string project_;    ///< The compose project name: "wharftest-<test>".
  wharf::test::TempDir root_;
};

}  // namespace wharf::runtime::test
