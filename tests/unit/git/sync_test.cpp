// git sync against real git repositories in temp directories: an "origin" and a clone.
#include "wharf/git/sync.hpp"

#include <gtest/gtest.h>

#include "support/peers.hpp"

namespace wharf::git {
namespace {

using wharf::test::TempDir;
using wharf::test::write_file;

class GitSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    git(root_.path(), {"init", "--quiet", "--initial-branch=main", origin().string()});
    commit(origin(), "VERSION", "1.0.0\n", "first");
    git(root_.path(), {"clone", "--quiet", origin().string(), clone().string()});
  }

  std::filesystem::path origin() const { return root_.path() / "origin"; }
  std::filesystem::path clone() const { return root_.path() / "clone"; }

  static std::string git(const std::filesystem::path& dir, std::vector<std::string> args) {
    return wharf::test::git_in(dir, std::move(args));
  }

  static void commit(const std::filesystem::path& dir, const std::string& file,
                     const std::string& content, const std::string& message) {
    write_file(dir / file, content);
    git(dir, {"add", file});
    git(dir, {"commit", "--quiet", "-m", message});
  }

  TempDir root_;
};

TEST_F(GitSyncTest, BehindFastForwardsAndListsTheNewCommits) {
  commit(origin(), "VERSION", "1.1.0\n", "release 1.1.0");
  auto state = fetch_upstream(clone());
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->branch, "main");
  EXPECT_EQ(state->upstream, "origin/main");
  EXPECT_EQ(state->ahead, 0U);
  EXPECT_EQ(state->behind, 1U);
  EXPECT_FALSE(state->diverged());
  auto commits = commits_between(clone(), state->head, state->upstream_head);
  ASSERT_TRUE(commits);
  ASSERT_EQ(commits->size(), 1U);
  EXPECT_NE(commits->front().find("release 1.1.0"), std::string::npos);
  ASSERT_TRUE(fast_forward(clone()));
  EXPECT_EQ(wharf::test::read_file(clone() / "VERSION"), "1.1.0\n");
  auto head = head_commit(clone());
  ASSERT_TRUE(head);
  EXPECT_EQ(*head, state->upstream_head);
  ASSERT_TRUE(reset_keep(clone(), state->head));
  EXPECT_EQ(wharf::test::read_file(clone() / "VERSION"), "1.0.0\n");
}

TEST_F(GitSyncTest, DivergedIsSeenAndFastForwardRefuses) {
  commit(origin(), "VERSION", "1.1.0\n", "upstream");
  commit(clone(), "NOTES", "local\n", "local");
  auto state = fetch_upstream(clone());
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_TRUE(state->diverged());
  const auto before = head_commit(clone());
  EXPECT_FALSE(fast_forward(clone()));
  const auto after = head_commit(clone());
  ASSERT_TRUE(before && after);
  EXPECT_EQ(*after, *before);
}

TEST_F(GitSyncTest, ChangedFilesIgnoreUntrackedAndTheNamedOnes) {
  std::filesystem::create_directories(clone() / "docker");
  commit(clone(), "docker/.env", "IMAGE_TAG=1.0.0\n", "tracked env");
  write_file(clone() / "untracked.txt", "x");
  auto clean = changed_files(clone(), {"docker/.env"});
  ASSERT_TRUE(clean);
  EXPECT_TRUE(clean->empty());
  write_file(clone() / "docker/.env", "IMAGE_TAG=1.1.0\n");
  write_file(clone() / "VERSION", "9.9.9\n");
  auto changed = changed_files(clone(), {"docker/.env"});
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, std::vector<std::string>{"VERSION"});
}

TEST_F(GitSyncTest, NoUpstreamOrDetachedHeadIsRefusedWithTheFix) {
  git(clone(), {"checkout", "--quiet", "-b", "local-only"});
  auto state = fetch_upstream(clone());
  ASSERT_FALSE(state);
  EXPECT_NE(state.error().message.find("--set-upstream-to"), std::string::npos)
      << state.error().message;
  git(clone(), {"checkout", "--quiet", "--detach"});
  state = fetch_upstream(clone());
  ASSERT_FALSE(state);
  EXPECT_NE(state.error().message.find("detached HEAD"), std::string::npos);
}

}  // namespace
}  // namespace wharf::git
