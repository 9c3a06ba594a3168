#pragma once

#include <string>
#include <vector>

#include "wharf/core/semver.hpp"
#include "wharf/pin/tag_style.hpp"

namespace wharf::release {

/// The image tags a release of `version` pushes, given the versions already tagged in the
/// repository (which may or may not include `version` itself):
/// - X.Y.Z (its image tag in `style`) always;
/// - X.Y, X and latest each only when `version` is a stable release and no existing stable
///   version in that tag's scope (same X.Y; same X; everything) has higher precedence.
/// The floating tags follow `style` too (1.2 / v1.2, 1 / v1); latest is latest in both.
/// A pre-release gets only its own tag, so it can never move a floating tag. Existing
/// pre-releases are ignored when deciding floating tags.
[[nodiscard]] std::vector<std::string> release_image_tags(const SemVer& version,
                                                          const std::vector<SemVer>& existing,
                                                          pin::TagStyle style);

}  // namespace wharf::release
