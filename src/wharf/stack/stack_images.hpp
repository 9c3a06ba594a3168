#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/pin/project_layout.hpp"
#include "wharf/pin/tag_style.hpp"
#include "wharf/stack/compose_file.hpp"

namespace wharf::stack {

/// One image the project needs, with what needs it.
struct StackImage {
  ImageReference image{};
  /// The compose services that run it, in file order; empty for the worker image alone.
  std::vector<std::string> services{};
  bool worker = false;  ///< The pinned worker image (WORKER_IMAGE:IMAGE_TAG or its override).
  /// True when its tag is the pin (the compose file's image names ${IMAGE_TAG}, or it is the
  /// worker image from WORKER_IMAGE): its repository is one wharf manages, so `check`,
  /// `tags` and `prune` look at it. An image such as postgres:16 is needed, but not managed.
  bool pinned = false;

  /// "service app", "services app, web", "worker image", "service app and worker image".
  [[nodiscard]] std::string role() const;
};

/// Every image of the project's stack.
struct StackImages {
  std::string image_tag{};  ///< IMAGE_TAG from docker/.env ("" when it has none).
  /// How the project spells a release in its image tags (pin/tag_style.hpp).
  pin::ProjectTagStyle tag_style{};
  /// The compose project name: the file's `name:`, else COMPOSE_PROJECT_NAME from .env,
  /// else the compose file's directory name (compose's own rule).
  std::string project_name{};
  std::optional<std::filesystem::path> compose_file{};
  /// That file as read, interpolated the same way: for callers that need more of it (start
  /// order, healthchecks) without reading it again.
  std::optional<stack::ComposeFile> compose{};
  std::vector<StackImage> images{};  ///< Compose services' images in file order, then the worker.
};

/// Reads docker/.env and the compose file in docker/ (compose.yaml, …, docker-compose.yml),
/// interpolating each service's `image:` with .env's values first and the environment
/// second, and adds the pinned worker image when .env names one. Images named twice are
/// listed once with all their services. Services that are only built (no image:) are left
/// out: there is nothing to pull or check for them.
/// Fails with not_found when docker/.env is missing (run `wharf pin`), with the compose
/// file's error when it cannot be read, and with invalid_input when the project names no
/// image at all, an image does not parse or WHARF_TAG_STYLE is not a style.
[[nodiscard]] Result<StackImages> load_stack_images(const pin::ProjectLayout& layout);

}  // namespace wharf::stack
