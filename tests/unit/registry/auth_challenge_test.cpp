#include "wharf/registry/auth_challenge.hpp"

#include <gmock/gmock.h>

namespace wharf::registry {
namespace {

using ::testing::HasSubstr;

TEST(AuthChallenge, ParsesTheDistributionBearerChallenge) {
  auto parsed = parse_www_authenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull")");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1U);
  const auto& bearer = parsed->front();
  EXPECT_EQ(bearer.scheme, "bearer");
  EXPECT_EQ(bearer.parameter("realm"), "https://auth.docker.io/token");
  EXPECT_EQ(bearer.parameter("service"), "registry.docker.io");
  EXPECT_EQ(bearer.parameter("scope"), "repository:library/nginx:pull");
  EXPECT_EQ(bearer.parameter("error"), std::nullopt);
}

TEST(AuthChallenge, ParsesBasicAsTheHtpasswdRegistrySendsIt) {
  auto parsed = parse_www_authenticate(R"(Basic realm="wharf-test")");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1U);
  EXPECT_EQ(parsed->front().scheme, "basic");
  EXPECT_EQ(parsed->front().parameter("realm"), "wharf-test");
}

TEST(AuthChallenge, SchemeAndParameterNamesAreCaseInsensitiveValuesAreNot) {
  auto parsed = parse_www_authenticate(R"(BEARER Realm="https://x/Token", SERVICE=Reg)");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->front().scheme, "bearer");
  EXPECT_EQ(parsed->front().parameter("realm"), "https://x/Token");
  EXPECT_EQ(parsed->front().parameter("service"), "Reg");  // An unquoted token value.
}

TEST(AuthChallenge, SplitsSeveralChallengesInOneHeader) {
  // Commas separate both parameters and challenges; a word without '=' starts a challenge.
  auto parsed = parse_www_authenticate(
      R"(Basic realm="a, b", Bearer realm="https://t/token",service=s, Newauth abc==)");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 3U);
  EXPECT_EQ((*parsed)[0].scheme, "basic");
  EXPECT_EQ((*parsed)[0].parameter("realm"), "a, b");
  EXPECT_EQ((*parsed)[1].scheme, "bearer");
  EXPECT_EQ((*parsed)[1].parameter("service"), "s");
  EXPECT_EQ((*parsed)[2].scheme, "newauth");
  EXPECT_EQ((*parsed)[2].token68, "abc==");
  ASSERT_NE(find_challenge(*parsed, "Bearer"), nullptr);
  EXPECT_EQ(find_challenge(*parsed, "Bearer")->parameter("realm"), "https://t/token");
  EXPECT_EQ(find_challenge(*parsed, "digest"), nullptr);
}

TEST(AuthChallenge, UnescapesQuotedStringsAndToleratesSpacesAndEmptyElements) {
  auto parsed = parse_www_authenticate(
      R"(, Bearer  realm = "https://h/t?a=\"b\"" ,, error="insufficient_scope" ,)");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1U);
  EXPECT_EQ(parsed->front().parameter("realm"), R"(https://h/t?a="b")");
  EXPECT_EQ(parsed->front().parameter("error"), "insufficient_scope");
}

TEST(AuthChallenge, AcceptsASchemeWithoutParameters) {
  auto parsed = parse_www_authenticate("Negotiate");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->front().scheme, "negotiate");
  EXPECT_TRUE(parsed->front().parameters.empty());
}

TEST(AuthChallenge, RejectsMalformedHeadersSayingWhere) {
  for (const char* header : {"", "   ", R"(Bearer realm="unterminated)", R"(Bearer realm="a" x)",
                             "=value", R"(Bearer realm="a", ="b")"}) {
    auto parsed = parse_www_authenticate(header);
    ASSERT_FALSE(parsed.has_value()) << header;
    EXPECT_EQ(parsed.error().kind, ErrorKind::remote);
    EXPECT_THAT(parsed.error().message, HasSubstr("malformed WWW-Authenticate header"));
  }
  auto unterminated = parse_www_authenticate(R"(Bearer realm="abc)");
  EXPECT_THAT(unterminated.error().message, HasSubstr("unterminated quoted string at character 8"));
}

}  // namespace
}  // namespace wharf::registry
