#include "wharf/registry/token_request.hpp"

#include <gmock/gmock.h>

namespace wharf::registry {
namespace {

using std::chrono::seconds;
using ::testing::Contains;
using ::testing::HasSubstr;

AuthChallenge bearer(std::string realm, std::string service = "registry.example") {
  AuthChallenge challenge;
  challenge.scheme = "bearer";
  challenge.parameters["realm"] = std::move(realm);
  if (!service.empty()) {
    challenge.parameters["service"] = std::move(service);
  }
  return challenge;
}

TEST(TokenRequest, AnonymousGetWithServiceAndScope) {
  auto request = make_token_request(bearer("https://auth.example/token"),
                                    pull_scope("library/nginx"), std::nullopt, false, seconds(5));
  ASSERT_TRUE(request.has_value()) << request.error().message;
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(
      request->url,
      "https://auth.example/token?service=registry.example&scope=repository%3Alibrary%2Fnginx%"
      "3Apull");
  EXPECT_TRUE(request->headers.empty());
  EXPECT_EQ(request->timeout, seconds(5));
}

TEST(TokenRequest, CredentialsGoAsBasicAndRealmQueriesAreKept) {
  const Credentials login{"ci", "s3cret", ""};
  auto request = make_token_request(bearer("https://auth.example/token?tenant=a", ""),
                                    pull_scope("team/app"), login, false, seconds(5));
  ASSERT_TRUE(request.has_value()) << request.error().message;
  EXPECT_EQ(request->url,
            "https://auth.example/token?tenant=a&scope=repository%3Ateam%2Fapp%3Apull");
  EXPECT_THAT(request->headers, Contains("Authorization: Basic Y2k6czNjcmV0"));
}

TEST(TokenRequest, IdentityTokensUseTheOAuthRefreshGrant) {
  const Credentials login{"", "", "refresh/me"};
  auto request = make_token_request(bearer("https://auth.example/token"), pull_scope("a"), login,
                                    false, seconds(5));
  ASSERT_TRUE(request.has_value()) << request.error().message;
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->url, "https://auth.example/token");
  EXPECT_EQ(request->body,
            "service=registry.example&scope=repository%3Aa%3Apull&grant_type=refresh_token&"
            "refresh_token=refresh%2Fme&client_id=wharf");
  EXPECT_THAT(request->headers, Contains("Content-Type: application/x-www-form-urlencoded"));
}

TEST(TokenRequest, RefusesToSendCredentialsToAPlainHttpRealmElsewhere) {
  const Credentials login{"ci", "s3cret", ""};
  auto refused = make_token_request(bearer("http://auth.example/token"), pull_scope("a"), login,
                                    false, seconds(5));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::permission);
  EXPECT_THAT(refused.error().message, HasSubstr("http://auth.example/token"));
  EXPECT_THAT(refused.error().message, ::testing::Not(HasSubstr("s3cret")));
  // Anonymous is fine, and so are loopback and registries the user marked insecure.
  EXPECT_TRUE(make_token_request(bearer("http://auth.example/token"), pull_scope("a"), std::nullopt,
                                 false, seconds(5))
                  .has_value());
  EXPECT_TRUE(make_token_request(bearer("http://127.0.0.1:9/token"), pull_scope("a"), login, false,
                                 seconds(5))
                  .has_value());
  EXPECT_TRUE(make_token_request(bearer("http://auth.example/token"), pull_scope("a"), login, true,
                                 seconds(5))
                  .has_value());
}

TEST(TokenRequest, ARealmIsRequired) {
  AuthChallenge no_realm;
  no_realm.scheme = "bearer";
  for (const auto& challenge : {no_realm, bearer("ftp://x/token"), bearer("/token")}) {
    auto request = make_token_request(challenge, pull_scope("a"), std::nullopt, false, seconds(5));
    ASSERT_FALSE(request.has_value());
    EXPECT_EQ(request.error().kind, ErrorKind::remote);
    EXPECT_THAT(request.error().message, HasSubstr("names no http(s) token service"));
  }
}

TEST(TokenResponse, TokenOrAccessTokenAndExpiry) {
  auto token = parse_token_response(R"({"token":"t1","expires_in":300,"issued_at":"x"})");
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->token, "t1");
  EXPECT_EQ(token->expires_in, seconds(300));
  auto oauth = parse_token_response(R"({"access_token":"t2"})");
  ASSERT_TRUE(oauth.has_value());
  EXPECT_EQ(oauth->token, "t2");
  EXPECT_EQ(oauth->expires_in, seconds(60));
  for (const char* bad : {"", "{}", R"({"token":""})", R"({"token":5})", "[]"}) {
    auto parsed = parse_token_response(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().kind, ErrorKind::remote);
  }
}

}  // namespace
}  // namespace wharf::registry
