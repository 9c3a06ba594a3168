#pragma once

// Shared setup for the recreate and health-wait tests: a client of the private test engine,
// the docker CLI aimed at it (containers are made the way users make them, with `docker
// run`), two images that differ like two releases do, and RAII cleanup of every container,
// image and volume a test makes, also when an assertion ends the test halfway.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "wharf/engine/engine_client.hpp"

#include "support/peers.hpp"

namespace wharf::update::test {

/// The docker CLI on the test engine.
struct DockerCli {
  std::string program;
  std::string host;

  [[nodiscard]] wharf::test::CommandOutput operator()(const std::vector<std::string>& args,
                                                      const std::string& input = {}) const;
};

/// Removes, when destroyed, what it was told about: containers (by name or ID, together with
/// the names wharf reserves next to them), then images, then volumes.
class EngineCleanup {
 public:
  explicit EngineCleanup(DockerCli docker) : docker_(std::move(docker)) {}
  EngineCleanup(const EngineCleanup&) = delete;
  EngineCleanup& operator=(const EngineCleanup&) = delete;
  ~EngineCleanup();

  void add_container(std::string name) { containers_.push_back(std::move(name)); }
  void add_image(std::string reference) { images_.push_back(std::move(reference)); }
  void add_volume(std::string name) { volumes_.push_back(std::move(name)); }

 private:
  DockerCli docker_;
  std::vector<std::string> containers_;
  std::vector<std::string> images_;
  std::vector<std::string> volumes_;
};

class RecreateTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  static void TearDownTestSuite();

  /// "wharftest-recreate-<pid>-<n>-<what>": names no other test run uses.
  [[nodiscard]] std::string unique(const std::string& what) const;

  [[nodiscard]] wharf::test::CommandOutput docker(const std::vector<std::string>& args,
                                                  const std::string& input = {}) const;

  /// Imports the worker image's busybox filesystem as `reference` with Dockerfile `changes`
  /// ("ENV VERSION=1", "LABEL a=b", "CMD [\"sleep\",\"1000\"]"); recorded for cleanup.
  void make_image(const std::string& reference, const std::vector<std::string>& changes);

  /// `docker run -d --name <name> <args…>`; the container is recorded for cleanup. Returns
  /// its ID, "" after recording a failure.
  [[nodiscard]] std::string run_container(const std::string& name,
                                          const std::vector<std::string>& args);

  /// `docker inspect` of a container (null after recording a failure).
  [[nodiscard]] nlohmann::json inspect(const std::string& container) const;
  /// Whether the engine knows a container by this name or ID.
  [[nodiscard]] bool exists(const std::string& container) const;

  std::optional<engine::EngineClient> engine_;
  DockerCli docker_;
  std::unique_ptr<EngineCleanup> cleanup_;
  std::string run_id_;
  std::string image_v1_;  ///< VERSION=1.0.0, CMD sleep 1000, labels version=1.0.0, vendor=acme
  std::string image_v2_;  ///< VERSION=2.0.0, CMD sleep 1001, labels version=2.0.0, vendor=acme

 private:
  void make_release_images();
  void import_image(const std::string& reference, const std::vector<std::string>& changes);

  // The two releases are made once per suite: the tests only run containers of them.
  static inline std::unique_ptr<EngineCleanup> suite_cleanup_;
  static inline std::string suite_image_v1_;
  static inline std::string suite_image_v2_;
  static inline std::string rootfs_tar_;
};

}  // namespace wharf::update::test
