#include "wharf/dispatch/log_retention.hpp"

#include <set>

#include <gtest/gtest.h>

#include "support/peers.hpp"

namespace wharf::dispatch {
namespace {

std::set<std::string> entries(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

TEST(LogRetention, RunIdsAreRecognisedByTheirShape) {
  EXPECT_TRUE(looks_like_run_id("20261203t194437-1a2b3c"));
  EXPECT_FALSE(looks_like_run_id("20261203t194437-1A2B3C"));
  EXPECT_FALSE(looks_like_run_id("20261203T194437-1a2b3c"));
  EXPECT_FALSE(looks_like_run_id("my-notes"));
  EXPECT_FALSE(looks_like_run_id("20261203t194437-1a2b3c-old"));
}

TEST(LogRetention, KeepsTheNewestRunsAndTheCurrentOneAndNothingElseIsTouched) {
  wharf::test::TempDir root;
  const std::vector<std::string> runs = {"20261201t000000-aaaaaa", "20261202t000000-bbbbbb",
                                         "20261203t000000-cccccc", "20261204t000000-dddddd"};
  for (const auto& run : runs) {
    std::filesystem::create_directories(root.path() / run);
    wharf::test::write_file(root.path() / run / "t.log", "x");
  }
  std::filesystem::create_directories(root.path() / "keep-me");
  wharf::test::write_file(root.path() / "20261130t000000-ffffff", "a file, not a run folder");
  const std::string current = "20261205t000000-eeeeee";
  std::filesystem::create_directories(root.path() / current);

  const auto removed = prune_run_logs(root.path(), 3, current);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 2U);
  EXPECT_EQ(entries(root.path()),
            (std::set<std::string>{"20261203t000000-cccccc", "20261204t000000-dddddd", current,
                                   "keep-me", "20261130t000000-ffffff"}));
}

TEST(LogRetention, RunsOfTheSameSecondAreOrderedByWhenTheyWereWritten) {
  // Ids that start in the same second differ only in their random part.
  wharf::test::TempDir root;
  const std::vector<std::string> runs = {"20261201t000000-ffffff", "20261201t000000-000000",
                                         "20261201t000000-888888"};
  auto written = std::filesystem::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& run : runs) {
    std::filesystem::create_directories(root.path() / run);
    std::filesystem::last_write_time(root.path() / run, written);
    written += std::chrono::seconds(1);
  }
  const auto removed = prune_run_logs(root.path(), 2, "20261201t000001-aaaaaa");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 2U);
  EXPECT_EQ(entries(root.path()), (std::set<std::string>{"20261201t000000-888888"}));
}

TEST(LogRetention, ZeroKeepsEverythingAndAMissingFolderIsNothingToDo) {
  wharf::test::TempDir root;
  std::filesystem::create_directories(root.path() / "20261201t000000-aaaaaa");
  EXPECT_EQ(prune_run_logs(root.path(), 0, "x").value_or(99), 0U);
  EXPECT_EQ(entries(root.path()).size(), 1U);
  EXPECT_EQ(prune_run_logs(root.path() / "absent", 5, "x").value_or(99), 0U);
}

TEST(LogRetention, TheDefaultFolderIsInTheProject) {
  EXPECT_EQ(default_run_logs_dir("/p", "r"), std::filesystem::path("/p/.wharf/logs/r"));
}

}  // namespace
}  // namespace wharf::dispatch
