#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/registry/registry_client.hpp"

namespace wharf::images {

/// How pulling one image went.
struct ImagePullOutcome {
  ImageReference image{};
  bool ok = false;
  bool updated = false;       ///< The tag names another image than before (or a new one).
  std::string previous_id{};  ///< "" when it was not there.
  std::string id{};           ///< After the pull.
  std::string digest{};       ///< The manifest digest the engine reported.
  std::optional<Error> error{};
  std::chrono::milliseconds duration{};

  [[nodiscard]] nlohmann::json to_json() const;
};

/// Sees progress: the image's index and where its pull stands. Called from the pulling
/// threads, so it must be thread-safe.
using ImagePullObserver = std::function<void(std::size_t, const engine::PullProgress&)>;

/// Pulls every image through `engine`, up to `parallel` at once, each over its own clone of
/// the client. The login for each registry comes from `registry`'s config.json lookup and
/// goes to the engine as X-Registry-Auth; a failed credential lookup fails only that image.
/// One image's failure does not stop the others. Outcomes in the order of `images`.
[[nodiscard]] std::vector<ImagePullOutcome> pull_images(const engine::EngineClient& engine,
                                                        registry::RegistryClient& registry,
                                                        std::span<const ImageReference> images,
                                                        const ImagePullObserver& observer,
                                                        std::stop_token cancel,
                                                        std::size_t parallel = 4);

/// The X-Registry-Auth credentials for `image` from a registry lookup; nullopt: anonymous.
[[nodiscard]] std::optional<engine::RegistryAuth> engine_auth(
    const registry::FoundCredentials& found, const ImageReference& image);

}  // namespace wharf::images
