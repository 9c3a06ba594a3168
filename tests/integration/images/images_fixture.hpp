#pragma once

// Shared setup for the `wharf images …` end-to-end tests: the wharf binary run as a process
// against the private engine and registries that tools/test.sh starts, with DOCKER_CONFIG
// pointing at an empty directory of the test (never the user's ~/.docker). Each test's
// images live under <registry>/wharftest/images-<test>/…, so other tests' images are never
// touched, and everything a test made on the engine is removed when it ends, pass or fail.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/peers.hpp"

namespace wharf::images::test {

/// The docker CLI aimed at one engine, with a given config directory.
struct DockerCli {
  std::string program;
  std::string host;
  std::string config_directory;

  [[nodiscard]] wharf::test::CommandOutput operator()(const std::vector<std::string>& args,
                                                      const std::string& input = {}) const;
};

/// Removes, when destroyed, the containers and images a test made on the engine: the
/// containers it named, every tag containing `marker` (the test's repository prefix) and the
/// image IDs it recorded (dangling ones included). Runs even when an assertion ended the test.
class EngineCleanup {
 public:
  EngineCleanup(DockerCli docker, std::string marker);
  EngineCleanup(const EngineCleanup&) = delete;
  EngineCleanup& operator=(const EngineCleanup&) = delete;
  ~EngineCleanup();

  void add_container(std::string name) { containers_.push_back(std::move(name)); }
  void add_image(std::string id) { image_ids_.push_back(std::move(id)); }

 private:
  DockerCli docker_;
  std::string marker_;
  std::vector<std::string> containers_;
  std::vector<std::string> image_ids_;
};

/// A wharf run: its output and, for --json runs, the document on stdout (null when stdout
/// held no JSON).
struct WharfRun {
  wharf::test::CommandOutput output;
  nlohmann::json json;
};

class ImagesTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// "<registry>/wharftest/images-<test>/<name>", on the open registry unless told.
  [[nodiscard]] std::string repository(const std::string& name) const;
  [[nodiscard]] std::string repository_on(const std::string& registry,
                                          const std::string& name) const;

  /// The docker CLI on the test engine with the peers' config (logged in to the htpasswd
  /// registry, for pushing); wharf never sees that config.
  [[nodiscard]] wharf::test::CommandOutput docker(const std::vector<std::string>& args,
                                                  const std::string& input = {}) const;

  /// Imports a one-file image whose file holds `content` (plus a nanosecond stamp, so every
  /// call makes a distinct image) as `reference`; returns its ID, recorded for cleanup.
  [[nodiscard]] std::string import_image(const std::string& reference, const std::string& content);

  /// `docker push`; returns the manifest digest it reported.
  [[nodiscard]] std::string push(const std::string& reference);

  /// `docker create --network none` of a container that is never started; recorded for cleanup.
  void create_container(const std::string& name, const std::string& image);

  /// The image ID of a reference or ID on the engine, "" when it has none.
  [[nodiscard]] std::string image_id(const std::string& reference_or_id) const;

  /// The engine's images under this test's prefix, one "ID repository:tag digest" line each,
  /// from `docker images --all --no-trunc --digests`, sorted.
  [[nodiscard]] std::string engine_images() const;

  /// Runs wharf with DOCKER_HOST at the test engine and DOCKER_CONFIG at this test's own
  /// config directory; `env` adds or overrides variables.
  [[nodiscard]] WharfRun wharf(const std::vector<std::string>& args,
                               const std::map<std::string, std::string>& env = {}) const;

  /// Writes config.json into wharf's DOCKER_CONFIG with "auths" for the htpasswd registry.
  void write_auth_config() const;

  /// A project in a temp dir: docker/.env (COMPOSE_PROJECT_NAME, IMAGE_TAG, APP_IMAGE and
  /// WORKER_IMAGE under this test's prefix) and the repository's docker/docker-compose.yml.
  /// Returns its root, for -C.
  [[nodiscard]] std::filesystem::path write_project(const std::string& image_tag);

  /// "127.0.0.1:PORT" where nothing listens (a port bound and released just now).
  [[nodiscard]] static std::string closed_registry();

  std::string registry_;
  std::string auth_registry_;
  std::string user_;
  std::string password_;
  std::string docker_host_;
  std::string test_name_;  ///< "images-<test name in lower case>"
  DockerCli docker_;
  wharf::test::TempDir config_dir_;   ///< wharf's DOCKER_CONFIG.
  wharf::test::TempDir project_dir_;  ///< write_project()'s root.
  std::unique_ptr<EngineCleanup> cleanup_;
};

}  // namespace wharf::images::test
