#pragma once

// Shared setup for the registry integration tests: the private registries and engine that
// tools/test.sh starts, a client whose config.json is an empty temp dir (never the user's
// ~/.docker), and helpers that push images with the docker CLI under wharftest/… so the
// wharf/worker tags other tests rely on are never touched.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wharf/registry/registry_client.hpp"

#include "support/peers.hpp"

namespace wharf::registry::test {

/// What `docker push` reported and the engine recorded for an image.
struct PushedImage {
  std::string reference;    ///< "127.0.0.1:PORT/wharftest/x:tag".
  std::string push_digest;  ///< From "tag: digest: sha256:… size: N".
  std::string repo_digest;  ///< The digest in the engine's RepoDigests after the push.
};

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override;

  /// A client reading config.json from `config_dir` (default: this test's empty temp dir).
  [[nodiscard]] RegistryClient make_client(RegistryOptions options = {});

  /// `reference` parsed; records a failure when it does not parse.
  [[nodiscard]] static ImageReference ref(const std::string& reference);

  /// Runs the docker CLI against the test engine, with the peers' DOCKER_CONFIG.
  [[nodiscard]] wharf::test::CommandOutput docker(const std::vector<std::string>& args,
                                                  const std::string& input = {});

  /// Imports a one-file image whose file holds `content`, pushes it as `reference`, reads
  /// its RepoDigests, and removes it from the engine again (the engine's image list stays
  /// as other tests expect it).
  [[nodiscard]] PushedImage push_image(const std::string& reference, const std::string& content);

  /// GET of a manifest on the open registry with curl, as the bytes the registry stores.
  [[nodiscard]] std::string get_manifest(const std::string& repository, const std::string& tag,
                                         const std::string& media_type);

  /// PUTs a manifest (or index) to the open registry with curl; returns the
  /// Docker-Content-Digest the registry answered.
  [[nodiscard]] std::string put_manifest(const std::string& repository, const std::string& tag,
                                         const std::string& media_type, const std::string& body);

  /// Makes sure <registry>/wharftest/many has the tags t01…t50 (and "base"), all the same
  /// image; pushes it on first use. Returns the image's digest.
  [[nodiscard]] std::string ensure_many_tags();

  /// Lines the open registry's access log has for wharf's user agent and `request`
  /// ("HEAD /v2/wharftest/x/manifests/tag"), waiting up to 2 s for at least `at_least`.
  [[nodiscard]] std::size_t wharf_log_lines(const std::string& request, std::size_t at_least = 0);

  std::string registry_;       // WHARF_TEST_REGISTRY
  std::string auth_registry_;  // WHARF_TEST_AUTH_REGISTRY (htpasswd, Basic)
  std::string user_;
  std::string password_;
  std::string worker_repo_;  // <registry>/wharf/worker, tags 1.0.0 and 1.1.0
  std::string docker_host_;
  std::string docker_cli_;
  std::string docker_config_;
  std::string registry_log_;
  wharf::test::TempDir config_dir_;
};

/// Milliseconds since `start`, for printing.
[[nodiscard]] double elapsed_ms(std::chrono::steady_clock::time_point start);

}  // namespace wharf::registry::test
