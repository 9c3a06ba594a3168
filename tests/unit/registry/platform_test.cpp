#include "wharf/registry/platform.hpp"

#include <gmock/gmock.h>

#include "wharf/registry/manifest.hpp"

namespace wharf::registry {
namespace {

using ::testing::HasSubstr;

PlatformManifest entry(std::string digest, std::string os, std::string architecture,
                       std::string variant = "") {
  return PlatformManifest{std::move(digest), std::string(kOciManifest),
                          Platform{std::move(os), std::move(architecture), std::move(variant)}};
}

TEST(Platform, MachineNamesBecomeWhatDockerPulls) {
  EXPECT_EQ(platform_for_machine("x86_64"), (Platform{"linux", "amd64", ""}));
  EXPECT_EQ(platform_for_machine("aarch64"), (Platform{"linux", "arm64", "v8"}));
  EXPECT_EQ(platform_for_machine("armv7l"), (Platform{"linux", "arm", "v7"}));
  EXPECT_EQ(platform_for_machine("armv6l"), (Platform{"linux", "arm", "v6"}));
  EXPECT_EQ(platform_for_machine("i686"), (Platform{"linux", "386", ""}));
  EXPECT_EQ(platform_for_machine("s390x"), (Platform{"linux", "s390x", ""}));  // Passed through.
  EXPECT_EQ(host_platform().os, "linux");
  EXPECT_FALSE(host_platform().architecture.empty());
}

TEST(Platform, ParsesAndPrintsOsArchitectureVariant) {
  auto arm = parse_platform("linux/arm/v7");
  ASSERT_TRUE(arm.has_value());
  EXPECT_EQ(*arm, (Platform{"linux", "arm", "v7"}));
  EXPECT_EQ(arm->to_string(), "linux/arm/v7");
  EXPECT_EQ(parse_platform("linux/amd64")->to_string(), "linux/amd64");
  for (const char* bad : {"linux", "linux/", "/amd64", "linux/arm/v7/x", ""}) {
    auto parsed = parse_platform(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_THAT(parsed.error().message, HasSubstr("is not a platform"));
  }
}

TEST(PlatformSelection, PicksTheMatchingOsAndArchitecture) {
  const std::vector<PlatformManifest> entries{
      entry("sha256:win", "windows", "amd64"), entry("sha256:arm64", "linux", "arm64", "v8"),
      entry("sha256:amd64", "linux", "amd64"), entry("sha256:ppc", "linux", "ppc64le")};
  const auto* amd64 = select_platform_manifest(entries, Platform{"linux", "amd64", ""});
  ASSERT_NE(amd64, nullptr);
  EXPECT_EQ(amd64->digest, "sha256:amd64");
  const auto* arm64 = select_platform_manifest(entries, Platform{"linux", "arm64", "v8"});
  ASSERT_NE(arm64, nullptr);
  EXPECT_EQ(arm64->digest, "sha256:arm64");
  EXPECT_EQ(select_platform_manifest(entries, Platform{"linux", "s390x", ""}), nullptr);
  EXPECT_EQ(select_platform_manifest({}, Platform{"linux", "amd64", ""}), nullptr);
}

TEST(PlatformSelection, SkipsEntriesWithoutPlatformLikeAttestations) {
  std::vector<PlatformManifest> entries{
      PlatformManifest{"sha256:attestation", std::string(kOciManifest), std::nullopt},
      entry("sha256:unknown", "unknown", "unknown"), entry("sha256:amd64", "linux", "amd64")};
  const auto* chosen = select_platform_manifest(entries, Platform{"linux", "amd64", ""});
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->digest, "sha256:amd64");
}

TEST(PlatformSelection, ExactVariantBeatsNoVariantBeatsOlderArmVariant) {
  const std::vector<PlatformManifest> entries{
      entry("sha256:v5", "linux", "arm", "v5"), entry("sha256:v6", "linux", "arm", "v6"),
      entry("sha256:plain", "linux", "arm"), entry("sha256:v7", "linux", "arm", "v7")};
  EXPECT_EQ(select_platform_manifest(entries, Platform{"linux", "arm", "v7"})->digest, "sha256:v7");
  const std::vector<PlatformManifest> no_v7{entries[0], entries[1], entries[2]};
  EXPECT_EQ(select_platform_manifest(no_v7, Platform{"linux", "arm", "v7"})->digest,
            "sha256:plain");
  const std::vector<PlatformManifest> old_only{entries[0], entries[1]};
  // A v7 core runs v6 and v5 code; the newest that runs is best.
  EXPECT_EQ(select_platform_manifest(old_only, Platform{"linux", "arm", "v7"})->digest,
            "sha256:v6");
  // …but a v6 core cannot run v7 code.
  const std::vector<PlatformManifest> v7_only{entries[3]};
  EXPECT_EQ(select_platform_manifest(v7_only, Platform{"linux", "arm", "v6"}), nullptr);
}

TEST(PlatformSelection, Arm64WithAndWithoutV8AreTheSame) {
  const std::vector<PlatformManifest> plain{entry("sha256:plain", "linux", "arm64")};
  EXPECT_EQ(select_platform_manifest(plain, Platform{"linux", "arm64", "v8"})->digest,
            "sha256:plain");
  const std::vector<PlatformManifest> v8{entry("sha256:v8", "linux", "arm64", "v8")};
  EXPECT_EQ(select_platform_manifest(v8, Platform{"linux", "arm64", ""})->digest, "sha256:v8");
  const std::vector<PlatformManifest> v9{entry("sha256:v9", "linux", "arm64", "v9")};
  EXPECT_EQ(select_platform_manifest(v9, Platform{"linux", "arm64", "v8"}), nullptr);
}

TEST(PlatformSelection, FirstOfEqualEntriesWins) {
  const std::vector<PlatformManifest> entries{entry("sha256:first", "linux", "amd64"),
                                              entry("sha256:second", "linux", "amd64")};
  EXPECT_EQ(select_platform_manifest(entries, Platform{"linux", "amd64", ""})->digest,
            "sha256:first");
}

TEST(ManifestIndex, ParsesDescriptorsOfADockerManifestList) {
  auto entries = parse_index(R"({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
    "manifests": [
      {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 527,
       "digest": "sha256:aaa", "platform": {"architecture": "amd64", "os": "linux"}},
      {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 527,
       "digest": "sha256:bbb",
       "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}},
      {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:ccc"}
    ]})");
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  ASSERT_EQ(entries->size(), 3U);
  EXPECT_EQ((*entries)[0].digest, "sha256:aaa");
  EXPECT_EQ((*entries)[0].media_type, kDockerManifest);
  EXPECT_EQ((*entries)[0].platform, (Platform{"linux", "amd64", ""}));
  EXPECT_EQ((*entries)[1].platform, (Platform{"linux", "arm", "v7"}));
  EXPECT_EQ((*entries)[2].platform, std::nullopt);
}

TEST(ManifestIndex, RejectsWhatIsNotAnIndex) {
  for (const char* body : {"", "[]", "{}", R"({"manifests": {}})", R"({"manifests": [{}]})",
                           R"({"manifests": [{"digest": 5}]})"}) {
    auto entries = parse_index(body);
    ASSERT_FALSE(entries.has_value()) << body;
    EXPECT_EQ(entries.error().kind, ErrorKind::remote);
  }
}

TEST(ManifestIndex, MediaTypesFromHeadersAndBodies) {
  EXPECT_EQ(media_type_of("Application/Vnd.OCI.Image.Index.v1+JSON ; charset=utf-8"), kOciIndex);
  EXPECT_TRUE(is_index_media_type(kDockerManifestList));
  EXPECT_TRUE(is_index_media_type(kOciIndex));
  EXPECT_FALSE(is_index_media_type(kDockerManifest));
  EXPECT_TRUE(is_known_manifest_media_type(kOciManifest));
  EXPECT_FALSE(is_known_manifest_media_type("application/json"));
  EXPECT_EQ(declared_media_type(R"({"mediaType":"application/vnd.oci.image.manifest.v1+json"})"),
            kOciManifest);
  EXPECT_EQ(declared_media_type(R"({"schemaVersion":2,"manifests":[]})"), kOciIndex);
  EXPECT_EQ(declared_media_type(R"({"schemaVersion":2,"layers":[]})"), kOciManifest);
  EXPECT_EQ(declared_media_type("not json"), "");
  const auto accept = manifest_accept_header();
  for (const auto type : {kDockerManifest, kDockerManifestList, kOciManifest, kOciIndex}) {
    EXPECT_THAT(accept, HasSubstr(std::string(type)));
  }
}

}  // namespace
}  // namespace wharf::registry
