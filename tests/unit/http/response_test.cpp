// Header lookup on the one response type: HTTP header names are case-insensitive.

#include "wharf/http/response.hpp"

#include <gtest/gtest.h>

namespace wharf::http {
namespace {

Response with_headers() {
  Response response;
  response.status = 401;
  response.headers = {{"WWW-Authenticate", "Bearer realm=\"a\""},
                      {"Content-Type", "application/json"},
                      {"www-authenticate", "Basic realm=\"b\""}};
  return response;
}

TEST(ResponseTest, HeaderFindsTheFirstOfANameInAnyCase) {
  const auto response = with_headers();
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(response.header("Www-Authenticate"), "Bearer realm=\"a\"");
  EXPECT_FALSE(response.header("Location").has_value());
  EXPECT_FALSE(response.header("Content").has_value());
}

TEST(ResponseTest, JoinedHeaderCombinesRepeatedHeadersInOrder) {
  const auto response = with_headers();
  EXPECT_EQ(response.joined_header("www-authenticate"), "Bearer realm=\"a\", Basic realm=\"b\"");
  EXPECT_EQ(response.joined_header("Content-Type"), "application/json");
  EXPECT_EQ(response.joined_header("Link"), "");
}

}  // namespace
}  // namespace wharf::http
