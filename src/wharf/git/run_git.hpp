#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf::git {

/// Runs `git -C directory arguments…` with a fixed locale, no pager and no prompts, and
/// returns its stdout. Fails with not_found when git is missing or `directory` is not in a
/// repository, else with io and git's first line of stderr.
[[nodiscard]] Result<std::string> run_git(const std::filesystem::path& directory,
                                          std::vector<std::string> arguments);

/// The non-empty lines of `text`.
[[nodiscard]] std::vector<std::string> lines_of(const std::string& text);

}  // namespace wharf::git
