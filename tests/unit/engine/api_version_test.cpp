#include "wharf/engine/api_version.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf::engine {
namespace {

using ::testing::HasSubstr;

ApiVersion v(int major, int minor) {
  return ApiVersion{major, minor};
}

TEST(ApiVersion, ParsesAndComparesNumerically) {
  EXPECT_EQ(ApiVersion::parse("1.41"), v(1, 41));
  EXPECT_EQ(ApiVersion::parse("v1.9"), v(1, 9));
  EXPECT_LT(v(1, 9), v(1, 41));
  EXPECT_EQ(v(1, 41).path_prefix(), "/v1.41");
  for (const char* bad : {"", "1", "1.", ".4", "1.4x", "a.b", "1.-2"}) {
    EXPECT_FALSE(ApiVersion::parse(bad).has_value()) << bad;
  }
}

TEST(Negotiation, UsesTheServersVersionWhenWeKnowIt) {
  EXPECT_EQ(negotiate_api_version(v(1, 41), v(1, 12), "e"), v(1, 41));  // Docker 20.10
  EXPECT_EQ(negotiate_api_version(v(1, 45), v(1, 24), "e"), v(1, 45));
}

TEST(Negotiation, CapsAtTheNewestVersionWeKnow) {
  EXPECT_EQ(negotiate_api_version(v(1, 52), v(1, 24), "e"), kMaximumApiVersion);
  EXPECT_EQ(negotiate_api_version(v(2, 0), std::nullopt, "e"), kMaximumApiVersion);
}

TEST(Negotiation, NeverGoesBelowTheServersMinimum) {
  EXPECT_EQ(negotiate_api_version(v(1, 60), v(1, 50), "e"), v(1, 50));
}

TEST(Negotiation, RefusesEnginesOlderThanOurMinimum) {
  const auto old = negotiate_api_version(v(1, 40), v(1, 12), "tcp://old:2375");
  ASSERT_FALSE(old.has_value());
  EXPECT_EQ(old.error().kind, ErrorKind::unavailable);
  EXPECT_THAT(old.error().message, HasSubstr("tcp://old:2375 speaks API 1.40 at most"));
  EXPECT_THAT(old.error().message, HasSubstr("needs 1.41 (Docker 20.10)"));

  const auto silent = negotiate_api_version(std::nullopt, std::nullopt, "e");
  ASSERT_FALSE(silent.has_value());
  EXPECT_THAT(silent.error().message, HasSubstr("did not report its API version"));
}

}  // namespace
}  // namespace wharf::engine
