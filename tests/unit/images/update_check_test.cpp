#include "wharf/images/update_check.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace wharf::images {
namespace {

const std::string kOld = "sha256:" + std::string(64, 'a');
const std::string kNew = "sha256:" + std::string(64, 'b');
const std::string kEntry = "sha256:" + std::string(64, 'c');

LocalImage local_image(std::optional<std::string> digest, bool present = true) {
  LocalImage image{.image = *ImageReference::parse("127.0.0.1:5000/acme/app:1.2.0")};
  image.present = present;
  image.id = present ? "sha256:" + std::string(64, '1') : "";
  image.digest = std::move(digest);
  return image;
}

ContainerUse container(std::string name, std::string state, std::optional<std::string> digest) {
  return ContainerUse{
      .name = std::move(name), .state = std::move(state), .digest = std::move(digest)};
}

registry::ManifestDigest single(const std::string& digest) {
  registry::ManifestDigest manifest;
  manifest.digest = digest;
  manifest.media_type = "application/vnd.docker.distribution.manifest.v2+json";
  return manifest;
}

TEST(UpdateCheckTest, SameDigestEverywhereIsUpToDate) {
  auto image = local_image(kNew);
  image.containers.push_back(container("app-1", "running", kNew));
  const auto check = compare_with_registry(image, single(kNew));
  EXPECT_EQ(check.state, UpdateState::up_to_date);
  EXPECT_FALSE(check.local_outdated);
  EXPECT_TRUE(check.stale_containers.empty());
  EXPECT_EQ(check.summary, "up to date");
}

TEST(UpdateCheckTest, MovedTagIsAnUpdateNotPulled) {
  const auto check = compare_with_registry(local_image(kOld), single(kNew));
  EXPECT_EQ(check.state, UpdateState::update_available);
  EXPECT_TRUE(check.local_outdated);
  EXPECT_NE(check.summary.find("not pulled"), std::string::npos) << check.summary;
  EXPECT_NE(check.summary.find("run `wharf images pull`"), std::string::npos) << check.summary;
}

TEST(UpdateCheckTest, ANamedImageGetsAPullOfItselfSuggested) {
  const auto check =
      compare_with_registry(local_image(kOld), single(kNew), "wharf images pull reg:5000/app:1");
  EXPECT_NE(check.summary.find("run `wharf images pull reg:5000/app:1`"), std::string::npos)
      << check.summary;
}

TEST(UpdateCheckTest, AbsentImageIsAnUpdate) {
  const auto check = compare_with_registry(local_image(std::nullopt, false), single(kNew));
  EXPECT_EQ(check.state, UpdateState::update_available);
  EXPECT_NE(check.summary.find("not pulled yet"), std::string::npos) << check.summary;
}

TEST(UpdateCheckTest, LocallyBuiltImageHasNoDigestToCompare) {
  const auto check = compare_with_registry(local_image(std::nullopt), single(kNew));
  EXPECT_EQ(check.state, UpdateState::update_available);
  EXPECT_NE(check.summary.find("did not come from this registry"), std::string::npos);
}

TEST(UpdateCheckTest, PulledButARunningContainerRunsTheOldImage) {
  auto image = local_image(kNew);
  image.containers.push_back(container("app-1", "running", kOld));
  image.containers.push_back(container("app-2", "running", kNew));
  image.containers.push_back(container("old-stopped", "exited", kOld));
  const auto check = compare_with_registry(image, single(kNew));
  EXPECT_EQ(check.state, UpdateState::update_available);
  EXPECT_FALSE(check.local_outdated);
  ASSERT_EQ(check.stale_containers.size(), 1U);  // The stopped one does not count.
  EXPECT_EQ(check.stale_containers[0].name, "app-1");
  EXPECT_NE(check.summary.find("app-1 still runs"), std::string::npos) << check.summary;
}

TEST(UpdateCheckTest, IndexMatchesByItsPlatformEntryToo) {
  registry::ManifestDigest index;
  index.digest = kNew;
  index.media_type = "application/vnd.oci.image.index.v1+json";
  index.platform_digest = kEntry;
  EXPECT_EQ(compare_with_registry(local_image(kEntry), index).state, UpdateState::up_to_date);
  EXPECT_EQ(compare_with_registry(local_image(kNew), index).state, UpdateState::up_to_date);
  EXPECT_EQ(compare_with_registry(local_image(kOld), index).state, UpdateState::update_available);
}

TEST(UpdateCheckTest, RegistryErrorsKeepTheirSentence) {
  const auto missing =
      compare_with_registry(local_image(kOld), fail(ErrorKind::not_found, "no such tag."));
  EXPECT_EQ(missing.state, UpdateState::not_in_registry);
  EXPECT_EQ(missing.summary, "no such tag.");
  const auto down =
      compare_with_registry(local_image(kOld), fail(ErrorKind::unavailable, "registry down."));
  EXPECT_EQ(down.state, UpdateState::error);
  ASSERT_TRUE(down.error);
  EXPECT_EQ(down.to_json()["error"], "registry down.");
  EXPECT_EQ(down.to_json()["state"], "error");
}

}  // namespace
}  // namespace wharf::images
