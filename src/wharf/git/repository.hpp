#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf::git {

/// The top-level directory of the work tree containing `directory`, if it is in one.
[[nodiscard]] std::optional<std::filesystem::path> toplevel(const std::filesystem::path& directory);

/// Every tag that points at HEAD (annotated or lightweight), in git's order. Fails with a
/// sentence the user can act on when `directory` is not in a git work tree or git is missing.
[[nodiscard]] Result<std::vector<std::string>> tags_at_head(const std::filesystem::path& directory);

/// Every tag in the repository.
[[nodiscard]] Result<std::vector<std::string>> all_tags(const std::filesystem::path& directory);

}  // namespace wharf::git
