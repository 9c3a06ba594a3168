#include "wharf/images/newer_tags.hpp"

#include <gtest/gtest.h>

namespace wharf::images {
namespace {

const std::vector<std::string> kTags{"1.2.0", "latest", "1.10.0", "v1.3.0",    "1.3.0-dev.2",
                                     "1.1.9", "dev",    "1.2.1",  "1.2.0-rc.1"};

TEST(NewerTagsTest, VersionOrderNotLexical) {
  auto newer = newer_tags(kTags, "1.2.0", false, pin::TagStyle::plain);
  ASSERT_TRUE(newer) << newer.error().message;
  EXPECT_EQ(*newer, (std::vector<std::string>{"1.2.1", "1.3.0-dev.2", "1.10.0"}));
}

TEST(NewerTagsTest, StableOnlyLeavesOutPreReleases) {
  auto newer = newer_tags(kTags, "1.2.0", true, pin::TagStyle::plain);
  ASSERT_TRUE(newer);
  EXPECT_EQ(*newer, (std::vector<std::string>{"1.2.1", "1.10.0"}));
}

TEST(NewerTagsTest, APreReleasePinSeesItsRelease) {
  auto newer = newer_tags({"1.3.0", "1.3.0-dev.1", "1.3.0-dev.3"}, "1.3.0-dev.2", false,
                          pin::TagStyle::plain);
  ASSERT_TRUE(newer);
  EXPECT_EQ(*newer, (std::vector<std::string>{"1.3.0-dev.3", "1.3.0"}));
}

TEST(NewerTagsTest, NewestHasNothingNewer) {
  auto newer = newer_tags(kTags, "1.10.0", false, pin::TagStyle::plain);
  ASSERT_TRUE(newer);
  EXPECT_TRUE(newer->empty());
}

TEST(NewerTagsTest, AnUnversionedPinIsRefused) {
  auto newer = newer_tags(kTags, "latest", false, pin::TagStyle::plain);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(newer.error().message.find("'latest' is not a version"), std::string::npos);
}

// A v-style project's releases are the v tags: its plain tags (and the floating v1.3, v1)
// are not, and build metadata comes back from '_'.
TEST(NewerTagsTest, TheVStyleCountsOnlyVTags) {
  auto newer =
      newer_tags({"v1.2.0", "v1.2.1", "1.2.5", "v1.3", "v1", "latest", "v1.3.0_b.7", "v1.4.0-rc.1"},
                 "v1.2.0", false, pin::TagStyle::v);
  ASSERT_TRUE(newer) << newer.error().message;
  EXPECT_EQ(*newer, (std::vector<std::string>{"v1.2.1", "v1.3.0_b.7", "v1.4.0-rc.1"}));
}

}  // namespace
}  // namespace wharf::images
