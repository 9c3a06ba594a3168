#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/core/semver.hpp"

namespace wharf::pin {

/// A version and where it came from, so output can say "v1.2.3 (from git tag)".
struct ResolvedVersion {
  SemVer version;
  std::string source;  ///< "--version", "git tag", or "VERSION".
  /// Why VERSION was used: "HEAD has no release tag" or "not a git checkout"; "" otherwise.
  std::string reason{};

  /// "git tag", "VERSION: HEAD has no release tag": what output puts in "(from …)".
  [[nodiscard]] std::string origin() const;
};

/// The release tag on HEAD: the highest semver tag among the tags pointing at it, if any.
/// A tag that looks like a release (v followed by a digit) but is not semver is an error,
/// because silently skipping it would pin an older version than the user meant.
[[nodiscard]] Result<std::optional<SemVer>> release_tag_at_head(const std::filesystem::path& root);

/// Every semver tag of the repository (others, like "stable", are ignored).
[[nodiscard]] Result<std::vector<SemVer>> release_tags_in_repository(
    const std::filesystem::path& root);

/// The version to pin: `explicit_version` (from --version) if given, else the release tag on
/// HEAD, else the VERSION file. A project that is not a git checkout (an unpacked archive) has
/// no tags to ask, so VERSION it is; a checkout that git cannot read (git missing) is an
/// error rather than silently the VERSION file. Fails when none of them yields a version,
/// saying what to do.
[[nodiscard]] Result<ResolvedVersion> resolve_version(
    const std::filesystem::path& root, const std::optional<std::string>& explicit_version);

}  // namespace wharf::pin
