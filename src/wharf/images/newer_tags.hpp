#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf::images {

/// The tags in `tags` that are semantic versions newer than `current` (a version, with or
/// without "v"), oldest first; pre-releases are included unless `stable_only`. Tags that are
/// not versions are ignored. Fails with invalid_input when `current` is not a version.
[[nodiscard]] Result<std::vector<std::string>> newer_tags(const std::vector<std::string>& tags,
                                                          std::string_view current,
                                                          bool stable_only);

}  // namespace wharf::images
