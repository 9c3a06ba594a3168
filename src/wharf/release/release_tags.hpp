#pragma once

#include <string>
#include <vector>

#include "wharf/core/semver.hpp"

namespace wharf::release {

/// The image tags a release of `version` pushes, given the versions already tagged in the
/// repository (which may or may not include `version` itself):
/// - X.Y.Z (in its docker-safe form) always;
/// - X.Y, X and latest each only when `version` is a stable release and no existing stable
///   version in that tag's scope (same X.Y; same X; everything) has higher precedence.
/// A pre-release gets only its own tag, so it can never move a floating tag. Existing
/// pre-releases are ignored when deciding floating tags.
[[nodiscard]] std::vector<std::string> release_image_tags(const SemVer& version,
                                                          const std::vector<SemVer>& existing);

}  // namespace wharf::release
