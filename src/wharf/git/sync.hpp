#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf::git {

/// Where the checked-out branch stands against its upstream, after a fetch.
struct UpstreamState {
  std::string branch;    ///< "main"
  std::string upstream;  ///< "origin/main"
  std::string head;      ///< HEAD's full commit id.
  std::string upstream_head;
  std::size_t ahead = 0;   ///< Local commits the upstream does not have.
  std::size_t behind = 0;  ///< Upstream commits HEAD does not have.

  [[nodiscard]] bool diverged() const { return ahead > 0 && behind > 0; }
};

/// The full commit id of HEAD.
[[nodiscard]] Result<std::string> head_commit(const std::filesystem::path& directory);

/// Tracked files with uncommitted changes (staged or not), as `git status --porcelain`
/// paths, except those in `ignored` (paths relative to the top level, such as
/// "docker/.env", which wharf itself writes). Untracked files do not count.
[[nodiscard]] Result<std::vector<std::string>> changed_files(
    const std::filesystem::path& directory, const std::vector<std::string>& ignored);

/// Fetches the current branch's upstream (no prompts; bounded by git's own timeouts and
/// wharf's 30 s) and compares. Fails with invalid_input on a detached HEAD or a branch
/// without an upstream, naming the fix.
[[nodiscard]] Result<UpstreamState> fetch_upstream(const std::filesystem::path& directory);

/// Fast-forwards the checkout to its upstream (what `git pull --ff-only` does after the
/// fetch). Fails, changing nothing, when that is not a fast-forward.
[[nodiscard]] Result<void> fast_forward(const std::filesystem::path& directory);

/// The commit `revision` (a tag, a branch, a hash) names; nullopt when it names none.
[[nodiscard]] Result<std::optional<std::string>> commit_of(const std::filesystem::path& directory,
                                                           const std::string& revision);

/// Whether a tag or a remote-tracking branch contains `commit`: moving the branch away from it
/// then loses nothing.
[[nodiscard]] Result<bool> kept_by_tag_or_remote(const std::filesystem::path& directory,
                                                 const std::string& commit);

/// Moves the checkout back to `commit` (`git merge --ff-only` cannot go back; this is
/// `git reset --keep`, which refuses to overwrite local changes). For rolling an update back.
[[nodiscard]] Result<void> reset_keep(const std::filesystem::path& directory,
                                      const std::string& commit);

/// One line per commit in `from..to`, newest first ("abc1234 subject").
[[nodiscard]] Result<std::vector<std::string>> commits_between(
    const std::filesystem::path& directory, const std::string& from, const std::string& to);

/// The content of `path` (relative to the top level) at `revision`, without checking it out;
/// nullopt when the file does not exist there.
[[nodiscard]] Result<std::optional<std::string>> file_at(const std::filesystem::path& directory,
                                                         const std::string& revision,
                                                         const std::string& path);

}  // namespace wharf::git
