#include "wharf/engine/registry_auth.hpp"

#include <gtest/gtest.h>

namespace wharf::engine {
namespace {

TEST(RegistryAuth, Base64UrlMatchesRfc4648) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg==");
  EXPECT_EQ(base64url_encode("fo"), "Zm8=");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64url_encode("\xfb\xff\xfe"), "-__-");  // '+' and '/' in plain base64.
}

TEST(RegistryAuth, EncodesOnlyTheFieldsGiven) {
  RegistryAuth auth;
  auth.username = "ci";
  auth.password = "s3cret";
  auth.server_address = "127.0.0.1:5000";
  EXPECT_EQ(encode_registry_auth(auth),
            base64url_encode(
                R"({"password":"s3cret","serveraddress":"127.0.0.1:5000","username":"ci"})"));
  EXPECT_EQ(encode_registry_auth(RegistryAuth{}), base64url_encode("{}"));
}

}  // namespace
}  // namespace wharf::engine
