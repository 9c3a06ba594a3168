#include "wharf/git/repository.hpp"

#include "wharf/git/run_git.hpp"

namespace wharf::git {

std::optional<std::filesystem::path> toplevel(const std::filesystem::path& directory) {
  auto out = run_git(directory, {"rev-parse", "--show-toplevel"});
  if (!out) {
    return std::nullopt;
  }
  auto lines = lines_of(*out);
  if (lines.empty()) {
    return std::nullopt;
  }
  return std::filesystem::path(lines.front());
}

Result<std::vector<std::string>> tags_at_head(const std::filesystem::path& directory) {
  // rev-parse first so that an empty repository (no HEAD yet) reads as "no tags", not an error.
  auto head = run_git(directory, {"rev-parse", "--verify", "--quiet", "HEAD"});
  if (!head) {
    if (head.error().kind == ErrorKind::not_found) {
      return std::unexpected(head.error());
    }
    return std::vector<std::string>{};
  }
  auto out = run_git(directory, {"tag", "--points-at", "HEAD"});
  if (!out) {
    return std::unexpected(out.error());
  }
  return lines_of(*out);
}

Result<std::vector<std::string>> all_tags(const std::filesystem::path& directory) {
  auto out = run_git(directory, {"tag", "--list"});
  if (!out) {
    return std::unexpected(out.error());
  }
  return lines_of(*out);
}

}  // namespace wharf::git
