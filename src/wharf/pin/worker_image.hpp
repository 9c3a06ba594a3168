#pragma once

#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/pin/project_layout.hpp"

namespace wharf::pin {

/// The image tasks run in, as the project pins it:
///   1. TASK_EXECUTOR_IMAGE from the process environment when set and non-empty (it wins, so a
///      developer can point one shell at a local build without editing files);
///   2. else TASK_EXECUTOR_IMAGE from docker/.env when set and non-empty;
///   3. else WORKER_IMAGE:IMAGE_TAG from docker/.env.
/// Unless `allow_unpinned`, a reference with the tag "latest" or without an explicit tag is
/// refused (invalid_input) with a sentence saying to run `wharf pin` or pass
/// --allow-unpinned; a reference by digest is always pinned. Fails with not_found when
/// docker/.env is absent and no environment override is set, invalid_input when WORKER_IMAGE
/// or IMAGE_TAG is missing or the reference does not parse.
[[nodiscard]] Result<ImageReference> resolve_worker_image(const ProjectLayout& layout,
                                                          bool allow_unpinned);

/// Checks an image reference given explicitly (--image) against the same unpinned rule;
/// `origin` names where it came from ("--image") for the message.
[[nodiscard]] Result<ImageReference> check_pinned_image(std::string_view text,
                                                        std::string_view origin,
                                                        bool allow_unpinned);

}  // namespace wharf::pin
