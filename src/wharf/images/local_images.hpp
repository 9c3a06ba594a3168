#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/stack/compose_labels.hpp"

namespace wharf::images {

/// A container that uses an image: created from its reference, or one of the compose
/// project's containers of a service that runs it.
struct ContainerUse {
  std::string name{};
  std::string id{};
  std::string state{};         ///< "running", "exited", …
  std::string service{};       ///< Its compose service label, "" when none.
  std::string created_from{};  ///< The reference it was created from (Config.Image).
  std::string image_id{};      ///< The image it actually runs.
  /// The registry digest of the image it runs, for the image's repository (RepoDigests);
  /// nullopt when that image was never pulled from or pushed to it.
  std::optional<std::string> digest{};

  [[nodiscard]] bool running() const { return state == "running"; }
};

/// What the engine has for one reference.
struct LocalImage {
  ImageReference image{};
  bool present = false;
  std::string id{};                     ///< "sha256:…" when present.
  std::optional<std::string> digest{};  ///< Its registry digest for this repository.
  std::string created{};                ///< RFC 3339.
  std::int64_t size = 0;
  std::vector<ContainerUse> containers{};
};

/// Which image to look up and which compose services run it.
struct LocalQuery {
  ImageReference image{};
  std::vector<std::string> services{};
};

/// Looks each image up in the engine's image list (never pulls) and finds the containers, stopped
/// ones too, that use it: those created from the same reference, and — when `compose_project` is
/// not empty — that project's containers of the image's services, whatever image they run
/// now (a stack not yet restarted after a pull runs the old one). Fails only when the engine
/// fails; an absent image is `present == false`.
[[nodiscard]] Result<std::vector<LocalImage>> inspect_local_images(
    engine::EngineClient& engine, std::span<const LocalQuery> queries,
    std::string_view compose_project);

/// The digest in `repo_digests` ("repo@sha256:…") that belongs to `image`'s repository.
[[nodiscard]] std::optional<std::string> digest_for_repository(
    const std::vector<std::string>& repo_digests, const ImageReference& image);

// The compose labels wharf reads from a stack's containers live with the rest of the stack's
// runtime; images uses the same ones.
using stack::kComposeProjectLabel;
using stack::kComposeServiceLabel;

}  // namespace wharf::images
