#pragma once

#include <filesystem>
#include <optional>

#include "wharf/core/error.hpp"
#include "wharf/core/semver.hpp"

namespace wharf::pin {

/// Reads a VERSION file, which holds one line: the release tag, e.g. "v1.2.3". Absent → nullopt.
/// Unreadable, empty, several lines or not semver → an error that names the file and line and says
/// how to fix it.
[[nodiscard]] Result<std::optional<SemVer>> read_version_file(const std::filesystem::path& path);

/// The exact bytes wharf writes for `version`: its tag name and a newline.
[[nodiscard]] std::string version_file_content(const SemVer& version);

}  // namespace wharf::pin
