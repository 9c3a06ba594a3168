#pragma once

#include <string_view>
#include <vector>

namespace wharf {

/// Splits `text` at every `separator`, keeping empty parts ("a..b" gives "a", "", "b"), so a
/// parser can report an empty component instead of silently skipping it. The views point into
/// `text`.
[[nodiscard]] std::vector<std::string_view> split(std::string_view text, char separator);

}  // namespace wharf
