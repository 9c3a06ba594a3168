#include "wharf/pin/version_source.hpp"

#include <algorithm>
#include <cctype>

#include "wharf/git/repository.hpp"
#include "wharf/pin/project_layout.hpp"
#include "wharf/pin/version_file.hpp"

namespace wharf::pin {
namespace {

bool looks_like_release_tag(const std::string& tag) {
  const std::size_t start = !tag.empty() && tag.front() == 'v' ? 1 : 0;
  return tag.size() > start && std::isdigit(static_cast<unsigned char>(tag[start])) != 0;
}

// True when `root` is not in a git checkout at all: git finds no work tree and there is no
// .git in the root either (which git could not read only when it is missing or broken).
bool outside_git(const std::filesystem::path& root) {
  std::error_code ec;
  return !git::toplevel(root) && !std::filesystem::exists(root / ".git", ec);
}

}  // namespace

std::string ResolvedVersion::origin() const {
  return reason.empty() ? source : source + ": " + reason;
}

Result<std::optional<SemVer>> release_tag_at_head(const std::filesystem::path& root) {
  auto tags = git::tags_at_head(root);
  if (!tags) {
    return std::unexpected(tags.error());
  }
  std::optional<SemVer> best;
  for (const auto& tag : *tags) {
    auto version = SemVer::parse(tag);
    if (!version) {
      if (looks_like_release_tag(tag)) {
        return fail(ErrorKind::invalid_input,
                    "the git tag '" + tag + "' on HEAD is not a release tag: " +
                        version.error().message + " — delete it (git tag -d " + tag +
                        ") and tag the commit like v1.2.3, or pass --version");
      }
      continue;
    }
    if (!best || *best < *version) {
      best = *version;
    }
  }
  return best;
}

Result<std::vector<SemVer>> release_tags_in_repository(const std::filesystem::path& root) {
  auto tags = git::all_tags(root);
  if (!tags) {
    return std::unexpected(tags.error());
  }
  std::vector<SemVer> versions;
  for (const auto& tag : *tags) {
    if (auto version = SemVer::parse_tag(tag)) {
      versions.push_back(*version);
    }
  }
  return versions;
}

Result<ResolvedVersion> resolve_version(const std::filesystem::path& root,
                                        const std::optional<std::string>& explicit_version) {
  if (explicit_version) {
    auto version = SemVer::parse(*explicit_version);
    if (!version) {
      return fail(ErrorKind::invalid_input,
                  version.error().message + " — give a version such as v1.2.3");
    }
    return ResolvedVersion{*version, "--version"};
  }
  const bool archive = outside_git(root);
  if (!archive) {
    auto tag = release_tag_at_head(root);
    if (!tag) {
      return std::unexpected(tag.error());
    }
    if (*tag) {
      return ResolvedVersion{**tag, "git tag"};
    }
  }
  const ProjectLayout layout{root};
  auto from_file = read_version_file(layout.version_file());
  if (!from_file) {
    return std::unexpected(from_file.error());
  }
  const std::string reason = archive ? "not a git checkout" : "HEAD has no release tag";
  if (*from_file) {
    return ResolvedVersion{**from_file, "VERSION", reason};
  }
  const auto missing = layout.version_file().string() + " does not exist";
  if (archive) {
    return fail(ErrorKind::not_found, "no version to pin: " + root.string() +
                                          " is not a git checkout and " + missing +
                                          " — write the release into it (echo v1.2.3 > VERSION) "
                                          "or pass --version v1.2.3");
  }
  return fail(ErrorKind::not_found, "no version to pin: HEAD has no release tag and " + missing +
                                        " — tag the commit (git tag v1.2.3) or pass --version "
                                        "v1.2.3");
}

}  // namespace wharf::pin
