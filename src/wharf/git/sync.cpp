#include "wharf/git/sync.hpp"

#include <algorithm>
#include <sstream>

#include "wharf/core/wording.hpp"
#include "wharf/git/run_git.hpp"

namespace wharf::git {
namespace {

Result<std::string> single_line(const std::filesystem::path& directory,
                                std::vector<std::string> arguments) {
  auto out = run_git(directory, std::move(arguments));
  if (!out) {
    return std::unexpected(out.error());
  }
  auto lines = lines_of(*out);
  return lines.empty() ? std::string() : lines.front();
}

}  // namespace

Result<std::string> head_commit(const std::filesystem::path& directory) {
  return single_line(directory, {"rev-parse", "--verify", "HEAD"});
}

Result<std::optional<std::string>> commit_of(const std::filesystem::path& directory,
                                             const std::string& revision) {
  auto commit =
      single_line(directory, {"rev-parse", "--quiet", "--verify", revision + "^{commit}"});
  if (!commit) {
    // rev-parse --verify --quiet says nothing and exits 1 for a name that is not there.
    if (commit.error().kind == ErrorKind::io) {
      return std::optional<std::string>();
    }
    return std::unexpected(commit.error());
  }
  return commit->empty() ? std::optional<std::string>() : std::optional<std::string>(*commit);
}

Result<bool> kept_by_tag_or_remote(const std::filesystem::path& directory,
                                   const std::string& commit) {
  auto refs = run_git(directory, {"for-each-ref", "--contains", commit, "--count=1",
                                  "--format=%(refname)", "refs/tags", "refs/remotes"});
  if (!refs) {
    return std::unexpected(refs.error());
  }
  return !lines_of(*refs).empty();
}

Result<std::vector<std::string>> changed_files(const std::filesystem::path& directory,
                                               const std::vector<std::string>& ignored) {
  auto out = run_git(directory, {"status", "--porcelain=v1", "--untracked-files=no"});
  if (!out) {
    return std::unexpected(out.error());
  }
  std::vector<std::string> changed;
  for (const auto& line : lines_of(*out)) {
    if (line.size() < 4) {
      continue;
    }
    std::string path = line.substr(3);
    if (const auto arrow = path.find(" -> "); arrow != std::string::npos) {
      path = path.substr(arrow + 4);  // A rename: the new name is what is in the tree.
    }
    if (std::find(ignored.begin(), ignored.end(), path) == ignored.end()) {
      changed.push_back(std::move(path));
    }
  }
  return changed;
}

Result<UpstreamState> fetch_upstream(const std::filesystem::path& directory) {
  UpstreamState state;
  auto branch = single_line(directory, {"symbolic-ref", "--quiet", "--short", "HEAD"});
  if (!branch || branch->empty()) {
    return fail(ErrorKind::invalid_input,
                directory.string() +
                    " has a detached HEAD, so there is no branch to update — check out the "
                    "release branch (git switch main) first.");
  }
  state.branch = *branch;
  auto upstream =
      single_line(directory, {"rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"});
  if (!upstream || upstream->empty()) {
    return fail(ErrorKind::invalid_input,
                "the branch " + state.branch + " in " + directory.string() +
                    " has no upstream to update from — set one with `git branch "
                    "--set-upstream-to=origin/" +
                    state.branch + "`.");
  }
  state.upstream = *upstream;
  if (auto fetched = run_git(directory, {"fetch", "--quiet", "--tags"}); !fetched) {
    auto error = fetched.error();
    error.kind = ErrorKind::unavailable;
    error.message = std::string(clause(error.message)) + " — check that the remote of " +
                    state.upstream + " is reachable.";
    return std::unexpected(error);
  }
  auto head = head_commit(directory);
  auto remote_head = single_line(directory, {"rev-parse", "--verify", "@{upstream}"});
  auto counts =
      single_line(directory, {"rev-list", "--left-right", "--count", "HEAD...@{upstream}"});
  if (!head || !remote_head || !counts) {
    return std::unexpected(!head          ? head.error()
                           : !remote_head ? remote_head.error()
                                          : counts.error());
  }
  state.head = *head;
  state.upstream_head = *remote_head;
  std::istringstream numbers(*counts);
  numbers >> state.ahead >> state.behind;
  return state;
}

Result<void> fast_forward(const std::filesystem::path& directory) {
  auto merged = run_git(directory, {"merge", "--ff-only", "--quiet", "@{upstream}"});
  if (!merged) {
    return std::unexpected(merged.error());
  }
  return {};
}

Result<void> reset_keep(const std::filesystem::path& directory, const std::string& commit) {
  auto reset = run_git(directory, {"reset", "--keep", "--quiet", commit});
  if (!reset) {
    return std::unexpected(reset.error());
  }
  return {};
}

Result<std::vector<std::string>> commits_between(const std::filesystem::path& directory,
                                                 const std::string& from, const std::string& to) {
  auto out = run_git(directory, {"log", "--format=%h %s", from + ".." + to});
  if (!out) {
    return std::unexpected(out.error());
  }
  return lines_of(*out);
}

Result<std::optional<std::string>> file_at(const std::filesystem::path& directory,
                                           const std::string& revision, const std::string& path) {
  auto exists = run_git(directory, {"cat-file", "-e", revision + ":" + path});
  if (!exists) {
    if (exists.error().kind == ErrorKind::not_found) {
      return std::unexpected(exists.error());  // Not a repository at all.
    }
    return std::optional<std::string>();
  }
  auto content = run_git(directory, {"show", revision + ":" + path});
  if (!content) {
    return std::unexpected(content.error());
  }
  return std::optional<std::string>(std::move(*content));
}

}  // namespace wharf::git
