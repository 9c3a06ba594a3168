#include "wharf/release/release_tags.hpp"

#include <gtest/gtest.h>

namespace wharf::release {
namespace {

SemVer v(const char* text) {
  return *SemVer::parse(text);
}

std::vector<SemVer> versions(std::initializer_list<const char*> texts) {
  std::vector<SemVer> out;
  for (const auto* t : texts) {
    out.push_back(v(t));
  }
  return out;
}

using Tags = std::vector<std::string>;

Tags plain_tags(const SemVer& version, const std::vector<SemVer>& existing) {
  return release_image_tags(version, existing, pin::TagStyle::plain);
}

TEST(ReleaseTags, FirstReleaseGetsEveryFloatingTag) {
  EXPECT_EQ(plain_tags(v("v1.0.0"), {}), (Tags{"1.0.0", "1.0", "1", "latest"}));
}

TEST(ReleaseTags, TheReleasedTagItselfBeingInTheListChangesNothing) {
  EXPECT_EQ(plain_tags(v("v1.2.0"), versions({"v1.1.0", "v1.2.0"})),
            (Tags{"1.2.0", "1.2", "1", "latest"}));
}

TEST(ReleaseTags, OrdersNumericallyNotLexically) {
  // 1.10.0 is above 1.9.0: a string comparison would get this wrong.
  EXPECT_EQ(plain_tags(v("v1.10.0"), versions({"v1.9.0", "v1.10.0"})),
            (Tags{"1.10.0", "1.10", "1", "latest"}));
  EXPECT_EQ(plain_tags(v("v1.9.1"), versions({"v1.9.0", "v1.10.0"})), (Tags{"1.9.1", "1.9"}));
}

TEST(ReleaseTags, PatchOfAnOlderMajorNeverTakesLatest) {
  EXPECT_EQ(plain_tags(v("v1.9.1"), versions({"v1.9.0", "v2.0.0"})), (Tags{"1.9.1", "1.9", "1"}));
}

TEST(ReleaseTags, PatchOfAnOlderMinorOnlyMovesItsMinor) {
  EXPECT_EQ(plain_tags(v("v1.8.5"), versions({"v1.8.4", "v1.9.0"})), (Tags{"1.8.5", "1.8"}));
}

TEST(ReleaseTags, OlderPatchThanAnExistingOneGetsOnlyItsOwnTag) {
  EXPECT_EQ(plain_tags(v("v1.8.3"), versions({"v1.8.4"})), (Tags{"1.8.3"}));
}

TEST(ReleaseTags, PreReleaseGetsOnlyItsOwnTag) {
  EXPECT_EQ(plain_tags(v("v1.3.0-dev.2"), versions({"v1.2.0"})), (Tags{"1.3.0-dev.2"}));
  EXPECT_EQ(plain_tags(v("v3.0.0-rc.1"), {}), (Tags{"3.0.0-rc.1"}));
}

TEST(ReleaseTags, ExistingPreReleasesDoNotHoldBackAStableRelease) {
  EXPECT_EQ(plain_tags(v("v1.2.0"), versions({"v1.3.0-dev.1", "v2.0.0-rc.1"})),
            (Tags{"1.2.0", "1.2", "1", "latest"}));
}

TEST(ReleaseTags, BuildMetadataBecomesADockerSafeTag) {
  const auto tags = plain_tags(v("v1.2.3-rc.1+build.7"), {});
  EXPECT_EQ(tags, (Tags{"1.2.3-rc.1_build.7"}));
}

TEST(ReleaseTags, LatestNeverGoesToALowerVersionThanAStableTag) {
  // Property over a grid: whenever "latest" is given, no existing stable version is higher.
  const auto all = versions({"v0.9.0", "v1.0.0", "v1.0.1", "v1.1.0", "v1.10.0", "v1.9.9",
                             "v2.0.0-rc.1", "v2.0.0", "v2.1.0-dev.3"});
  for (const auto& candidate : all) {
    for (std::size_t cut = 0; cut <= all.size(); ++cut) {
      std::vector<SemVer> existing(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(cut));
      const auto tags = plain_tags(candidate, existing);
      const bool latest = std::find(tags.begin(), tags.end(), "latest") != tags.end();
      if (!latest) {
        continue;
      }
      EXPECT_FALSE(candidate.is_prerelease()) << candidate.to_string();
      for (const auto& other : existing) {
        EXPECT_FALSE(!other.is_prerelease() && candidate < other)
            << candidate.to_string() << " got latest although " << other.to_string() << " exists";
      }
    }
  }
}

// The v style keeps the git tag's v on the version and on the floating tags; latest is the
// same in both styles, and the rule that decides which floating tags move is unchanged.
TEST(ReleaseTags, TheVStyleKeepsTheVOnEveryTagButLatest) {
  EXPECT_EQ(release_image_tags(v("v1.10.0"), versions({"v1.9.0"}), pin::TagStyle::v),
            (Tags{"v1.10.0", "v1.10", "v1", "latest"}));
  EXPECT_EQ(release_image_tags(v("v1.9.1"), versions({"v1.9.0", "v2.0.0"}), pin::TagStyle::v),
            (Tags{"v1.9.1", "v1.9", "v1"}));
  EXPECT_EQ(release_image_tags(v("v1.8.5"), versions({"v1.9.0"}), pin::TagStyle::v),
            (Tags{"v1.8.5", "v1.8"}));
  EXPECT_EQ(release_image_tags(v("v2.0.0-rc.1+b.7"), {}, pin::TagStyle::v),
            (Tags{"v2.0.0-rc.1_b.7"}));
}

}  // namespace
}  // namespace wharf::release
