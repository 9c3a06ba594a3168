#include "wharf/registry/content_digest.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace wharf::registry {
namespace {

TEST(ContentDigest, Sha256OfKnownVectors) {
  EXPECT_EQ(sha256_digest(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_digest("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(is_sha256_digest(sha256_digest("x")));
}

TEST(ContentDigest, WellFormedDigests) {
  const std::string hex64(64, 'a');
  EXPECT_TRUE(is_sha256_digest("sha256:" + hex64));
  EXPECT_FALSE(is_sha256_digest("sha256:" + std::string(64, 'A')));
  EXPECT_FALSE(is_sha256_digest("sha256:" + hex64 + "0"));
  EXPECT_TRUE(is_well_formed_digest("sha256:" + hex64));
  EXPECT_TRUE(is_well_formed_digest("sha512:" + std::string(128, '0')));
  EXPECT_TRUE(is_well_formed_digest("multihash+base58:" + std::string(32, '1')));
  for (const std::string& bad : std::vector<std::string>{
           std::string(), "sha256", "sha256:", ":" + hex64, "sha256:" + std::string(31, 'a'),
           "+sha:" + hex64, "sha256:" + std::string(64, 'g'), "SHA256:" + hex64}) {
    EXPECT_FALSE(is_well_formed_digest(bad)) << bad;
  }
}

}  // namespace
}  // namespace wharf::registry
