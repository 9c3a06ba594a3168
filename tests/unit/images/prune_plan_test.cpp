#include "wharf/images/prune_plan.hpp"

#include <gtest/gtest.h>

namespace wharf::images {
namespace {

engine::ImageSummary image(std::string id, std::vector<std::string> tags) {
  engine::ImageSummary summary;
  summary.id = std::move(id);
  summary.repo_tags = std::move(tags);
  return summary;
}

const std::string kRepo = "127.0.0.1:5000/acme/app";
constexpr auto kPlain = pin::TagStyle::plain;

std::vector<ImageReference> managed(const std::string& pinned_tag) {
  return {*ImageReference::parse(kRepo + ":" + pinned_tag)};
}

// reference -> (remove, reason)
std::map<std::string, std::pair<bool, std::string>> by_reference(
    const std::vector<PruneDecision>& plan) {
  std::map<std::string, std::pair<bool, std::string>> result;
  for (const auto& decision : plan) {
    result[decision.reference] = {decision.remove, decision.reason};
  }
  return result;
}

TEST(PrunePlanTest, KeepsTheNewestByVersionNotByName) {
  const std::vector<engine::ImageSummary> local{
      image("sha256:a", {kRepo + ":1.9.0"}), image("sha256:b", {kRepo + ":1.10.0"}),
      image("sha256:c", {kRepo + ":1.2.0"}), image("sha256:d", {kRepo + ":1.10.0-rc.1"})};
  const auto plan = plan_prune(managed("1.10.0"), 1, local, {}, kPlain);
  ASSERT_EQ(plan.size(), 4U);
  EXPECT_EQ(plan[0].reference, kRepo + ":1.10.0");  // Newest first.
  const auto decisions = by_reference(plan);
  EXPECT_FALSE(decisions.at(kRepo + ":1.10.0").first);
  EXPECT_TRUE(decisions.at(kRepo + ":1.10.0-rc.1").first);  // A pre-release is older.
  EXPECT_TRUE(decisions.at(kRepo + ":1.9.0").first);
  EXPECT_TRUE(decisions.at(kRepo + ":1.2.0").first);
  EXPECT_EQ(decisions.at(kRepo + ":1.9.0").second, "older than the newest");
}

TEST(PrunePlanTest, ThePinnedTagAndUsedImagesStay) {
  const std::vector<engine::ImageSummary> local{
      image("sha256:new", {kRepo + ":1.3.0"}), image("sha256:pin", {kRepo + ":1.2.0"}),
      image("sha256:used", {kRepo + ":1.1.0"}), image("sha256:old", {kRepo + ":1.0.0"})};
  const std::map<std::string, std::vector<std::string>> users{{"sha256:used", {"app-1"}}};
  const auto decisions = by_reference(plan_prune(managed("1.2.0"), 1, local, users, kPlain));
  EXPECT_EQ(decisions.at(kRepo + ":1.3.0"), std::make_pair(false, std::string("the newest")));
  EXPECT_EQ(decisions.at(kRepo + ":1.2.0"), std::make_pair(false, std::string("pinned")));
  EXPECT_EQ(decisions.at(kRepo + ":1.1.0"),
            std::make_pair(false, std::string("used by container app-1")));
  EXPECT_TRUE(decisions.at(kRepo + ":1.0.0").first);
}

TEST(PrunePlanTest, OtherRepositoriesAndNonVersionTagsAreLeftAlone) {
  const std::vector<engine::ImageSummary> local{
      image("sha256:a", {kRepo + ":1.0.0", kRepo + ":dev", "127.0.0.1:5000/acme/other:0.1.0"}),
      image("sha256:b", {kRepo + ":latest"}), image("sha256:c", {kRepo + ":2.0.0"})};
  const auto plan = plan_prune(managed("2.0.0"), 1, local, {}, kPlain);
  const auto decisions = by_reference(plan);
  EXPECT_EQ(decisions.count("127.0.0.1:5000/acme/other:0.1.0"), 0U);
  EXPECT_EQ(decisions.at(kRepo + ":dev"), std::make_pair(false, std::string("not a version tag")));
  EXPECT_FALSE(decisions.at(kRepo + ":latest").first);
  EXPECT_TRUE(decisions.at(kRepo + ":1.0.0").first);
}

TEST(PrunePlanTest, KeepZeroStillKeepsThePin) {
  const std::vector<engine::ImageSummary> local{image("sha256:a", {kRepo + ":1.0.0"}),
                                                image("sha256:b", {kRepo + ":0.9.0"})};
  const auto decisions = by_reference(plan_prune(managed("1.0.0"), 0, local, {}, kPlain));
  EXPECT_FALSE(decisions.at(kRepo + ":1.0.0").first);
  EXPECT_TRUE(decisions.at(kRepo + ":0.9.0").first);
}

TEST(PrunePlanTest, DockerHubNamesAreNormalisedBeforeComparing) {
  const std::vector<engine::ImageSummary> local{image("sha256:a", {"acme/app:1.0.0"}),
                                                image("sha256:b", {"acme/app:0.9.0"})};
  const auto plan =
      plan_prune({*ImageReference::parse("docker.io/acme/app:1.0.0")}, 1, local, {}, kPlain);
  ASSERT_EQ(plan.size(), 2U);
  EXPECT_EQ(plan[1].reference, "acme/app:0.9.0");
  EXPECT_TRUE(plan[1].remove);
}

// In a v-style project the releases are the v tags; a plain tag of the same repository (left
// from before the project kept its v) and the floating v1 are never removed.
TEST(PrunePlanTest, TheVStyleOrdersVTagsAndLeavesTheOthers) {
  const std::vector<engine::ImageSummary> local{
      image("sha256:a", {kRepo + ":v1.10.0", kRepo + ":v1"}),
      image("sha256:b", {kRepo + ":v1.9.0"}), image("sha256:c", {kRepo + ":1.2.0"}),
      image("sha256:d", {kRepo + ":v1.0.0_b.1"})};
  const auto plan = plan_prune(managed("v1.10.0"), 1, local, {}, pin::TagStyle::v);
  EXPECT_EQ(plan[0].reference, kRepo + ":v1.10.0");
  const auto decisions = by_reference(plan);
  EXPECT_FALSE(decisions.at(kRepo + ":v1.10.0").first);
  EXPECT_TRUE(decisions.at(kRepo + ":v1.9.0").first);
  EXPECT_TRUE(decisions.at(kRepo + ":v1.0.0_b.1").first);
  EXPECT_EQ(decisions.at(kRepo + ":1.2.0"),
            std::make_pair(false, std::string("not in this project's tag style (v)")));
  EXPECT_EQ(decisions.at(kRepo + ":v1"), std::make_pair(false, std::string("not a version tag")));
}

}  // namespace
}  // namespace wharf::images
