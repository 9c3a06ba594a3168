#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/pin/tag_style.hpp"

namespace wharf::images {

/// The tags in `tags` that name versions newer than `current` (an image tag of a version, in
/// either style), oldest first; pre-releases are included unless `stable_only`. Only tags spelt
/// in `style` count (in the v style 1.3.0 is not a release, v1.3.0 is); tags that are not
/// versions are ignored. Fails with invalid_input when `current` is not a version.
[[nodiscard]] Result<std::vector<std::string>> newer_tags(const std::vector<std::string>& tags,
                                                          std::string_view current,
                                                          bool stable_only, pin::TagStyle style);

}  // namespace wharf::images
