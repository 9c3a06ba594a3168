// The request sequence of a digest resolution — authentication, retries, index and GET
// fallbacks — driven by hand with scripted answers, no network. The same sequences run
// against real registries in tests/integration/registry.

#include "wharf/registry/digest_resolution.hpp"

#include <cerrno>

#include <gmock/gmock.h>

#include "wharf/registry/content_digest.hpp"
#include "wharf/registry/manifest.hpp"

namespace wharf::registry {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class NoHelper final : public CredentialHelper {
 public:
  Result<std::optional<Credentials>> get(const std::string&, const std::string&) override {
    return std::nullopt;
  }
};

HttpResponse response(long status, std::vector<std::pair<std::string, std::string>> headers = {},
                      std::string body = {}) {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

const std::string kDigest = "sha256:" + std::string(64, 'a');

class DigestResolutionTest : public ::testing::Test {
 protected:
  void use_config(const std::string& json) {
    auto config = DockerConfig::parse(json, "/cfg/config.json");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    auth_.emplace(std::move(*config), std::make_shared<NoHelper>());
    context_.emplace(OperationContext{*auth_, RetryPolicy{}, std::chrono::seconds(30)});
  }

  std::unique_ptr<DigestResolution> resolution(std::string repository = "team/app",
                                               std::string tag = "1.0") {
    if (!context_) {
      use_config("{}");
    }
    OperationTarget target{registry_host("127.0.0.1:5000", {}), repository,
                           "127.0.0.1:5000/" + repository + ":" + tag};
    return std::make_unique<DigestResolution>(*context_, std::move(target), std::move(tag),
                                              Platform{"linux", "arm64", "v8"});
  }

  // By value: the step is usually a temporary.
  static HttpRequest sent(const Exchange::Step& step) {
    const auto* send = std::get_if<Exchange::Send>(&step);
    if (send == nullptr) {
      throw std::runtime_error("expected a request");
    }
    return send->request;
  }

  std::optional<AuthState> auth_;
  std::optional<OperationContext> context_;
};

TEST_F(DigestResolutionTest, OneHeadWhenTheRegistryNamesTheDigest) {
  auto operation = resolution();
  const auto head = sent(operation->begin());
  EXPECT_EQ(head.method, "HEAD");
  EXPECT_EQ(head.url, "http://127.0.0.1:5000/v2/team/app/manifests/1.0");
  EXPECT_THAT(head.headers, Contains(manifest_accept_header()));
  auto step = operation->on_outcome(response(
      200, {{"Docker-Content-Digest", kDigest}, {"Content-Type", std::string(kDockerManifest)}}));
  ASSERT_TRUE(std::holds_alternative<Exchange::Done>(step));
  auto result = operation->take_result();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->digest, kDigest);
  EXPECT_FALSE(result->is_index());
  EXPECT_TRUE(result->matches(kDigest));
  EXPECT_FALSE(result->matches("sha256:" + std::string(64, 'b')));
}

TEST_F(DigestResolutionTest, BearerChallengeGetsATokenForThePullScopeAndKeepsIt) {
  auto operation = resolution();
  (void)sent(operation->begin());
  const auto token_request = sent(operation->on_outcome(
      response(401, {{"WWW-Authenticate",
                      R"(Bearer realm="http://127.0.0.1:5001/token",service="test-registry")"}})));
  EXPECT_EQ(token_request.method, "GET");
  EXPECT_EQ(
      token_request.url,
      "http://127.0.0.1:5001/token?service=test-registry&scope=repository%3Ateam%2Fapp%3Apull");
  const auto retried =
      sent(operation->on_outcome(response(200, {}, R"({"token":"T1","expires_in":300})")));
  EXPECT_THAT(retried.headers, Contains("Authorization: Bearer T1"));
  auto done = operation->on_outcome(response(
      200, {{"Docker-Content-Digest", kDigest}, {"Content-Type", std::string(kOciManifest)}}));
  ASSERT_TRUE(std::holds_alternative<Exchange::Done>(done));
  ASSERT_TRUE(operation->take_result().has_value());

  // The next image of the same repository sends the token straight away.
  auto second = resolution("team/app", "2.0");
  EXPECT_THAT(sent(second->begin()).headers, Contains("Authorization: Bearer T1"));
  // Another repository on the same registry gets its own token first.
  auto other = resolution("team/other", "1.0");
  EXPECT_THAT(sent(other->begin()).url, HasSubstr("/token?service=test-registry&scope="
                                                  "repository%3Ateam%2Fother%3Apull"));
}

TEST_F(DigestResolutionTest, BasicChallengeUsesConfigAuthsAndNamesThemWhenRefused) {
  use_config(R"({"auths":{"127.0.0.1:5000":{"auth":"Y2k6cHc="}}})");
  auto operation = resolution();
  EXPECT_THAT(sent(operation->begin()).headers, Not(Contains(HasSubstr("Authorization"))));
  const auto retried = sent(
      operation->on_outcome(response(401, {{"WWW-Authenticate", R"(Basic realm="wharf-test")"}})));
  EXPECT_THAT(retried.headers, Contains("Authorization: Basic Y2k6cHc="));
  auto done =
      operation->on_outcome(response(401, {{"WWW-Authenticate", R"(Basic realm="wharf-test")"}}));
  ASSERT_TRUE(std::holds_alternative<Exchange::Done>(done));
  auto result = operation->take_result();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::permission);
  EXPECT_EQ(result.error().http_status, 401);
  EXPECT_THAT(result.error().message,
              HasSubstr("127.0.0.1:5000/team/app:1.0: the registry 127.0.0.1:5000 refused access "
                        "(HTTP 401) with the credentials in /cfg/config.json \"auths\""));
  EXPECT_THAT(result.error().message, Not(HasSubstr("Y2k6cHc")));
}

TEST_F(DigestResolutionTest, BasicChallengeWithoutCredentialsSaysNoneWereFound) {
  auto operation = resolution();
  (void)sent(operation->begin());
  auto done =
      operation->on_outcome(response(401, {{"WWW-Authenticate", R"(Basic realm="wharf-test")"}}));
  ASSERT_TRUE(std::holds_alternative<Exchange::Done>(done));
  auto result = operation->take_result();
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message,
              HasSubstr("with no credentials (nothing for it in /cfg/config.json) — run `docker "
                        "login 127.0.0.1:5000`"));
}

TEST_F(DigestResolutionTest, AnIndexIsReadByDigestAndThisPlatformsEntryReported) {
  const std::string index =
      R"({"schemaVersion":2,"mediaType":")" + std::string(kDockerManifestList) + R"(","manifests":[
      {"digest":"sha256:amd","platform":{"os":"linux","architecture":"amd64"}},
      {"digest":"sha256:arm","platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]})";
  const auto index_digest = sha256_digest(index);
  auto operation = resolution();
  (void)sent(operation->begin());
  const auto get = sent(
      operation->on_outcome(response(200, {{"Docker-Content-Digest", index_digest},
                                           {"Content-Type", std::string(kDockerManifestList)}})));
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.url, "http://127.0.0.1:5000/v2/team/app/manifests/" + index_digest);
  auto done = operation->on_outcome(
      response(200, {{"Content-Type", std::string(kDockerManifestList)}}, index));
  ASSERT_TRUE(std::holds_alternative<Exchange::Done>(done));
  auto result = operation->take_result();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->digest, index_digest);
  EXPECT_TRUE(result->is_index());
  EXPECT_EQ(result->platform_digest, "sha256:arm");
  EXPECT_TRUE(result->matches("sha256:arm"));
  EXPECT_TRUE(result->matches(index_digest));
}

TEST_F(DigestResolutionTest, WithoutADigestOnHeadTheManifestIsReadAndHashed) {
  const std::string manifest =
      R"({"schemaVersion":2,"mediaType":")" + std::string(kDockerManifest) + R"(","layers":[]})";
  auto operation = resolution();
  (void)sent(operation->begin());
  const auto get = sent(operation->on_outcome(response(200, {{"Content-Type", "text/plain"}})));
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.url, "http://127.0.0.1:5000/v2/team/app/manifests/1.0");
  auto done =
      operation->on_outcome(response(200, {{"Content-Type", "application/json"}}, manifest));
  ASSERT_TRUE(std::holds_alternative<Exchange::Done>(done));
  auto result = operation->take_result();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->digest, sha256_digest(manifest));
  EXPECT_EQ(result->media_type, kDockerManifest);  // From the body's mediaType.
}

TEST_F(DigestResolutionTest, BytesThatDoNotHashToTheDigestAreRejected) {
  auto operation = resolution();
  (void)sent(operation->begin());
  (void)sent(operation->on_outcome(response(
      200, {{"Docker-Content-Digest", kDigest}, {"Content-Type", std::string(kOciIndex)}})));
  (void)operation->on_outcome(response(200, {}, R"({"manifests":[]})"));
  auto result = operation->take_result();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::remote);
  EXPECT_THAT(result.error().message, HasSubstr("not to its digest " + kDigest));
}

TEST_F(DigestResolutionTest, RateLimitWaitsForRetryAfterThenSucceeds) {
  auto operation = resolution();
  (void)sent(operation->begin());
  const auto before = std::chrono::steady_clock::now();
  auto step = operation->on_outcome(response(429, {{"Retry-After", "1"}}));
  const auto* sleep = std::get_if<Exchange::Sleep>(&step);
  ASSERT_NE(sleep, nullptr);
  EXPECT_GE(sleep->until - before, std::chrono::milliseconds(990));
  EXPECT_LE(sleep->until - before, std::chrono::milliseconds(1100));
  EXPECT_EQ(sent(operation->on_wake()).method, "HEAD");
  (void)operation->on_outcome(response(
      200, {{"Docker-Content-Digest", kDigest}, {"Content-Type", std::string(kDockerManifest)}}));
  ASSERT_TRUE(operation->take_result().has_value());
}

TEST_F(DigestResolutionTest, ServerErrorsAreRetriedThenReportedWithTheStatus) {
  auto operation = resolution();
  (void)sent(operation->begin());
  for (int attempt = 1; attempt < RetryPolicy{}.max_attempts; ++attempt) {
    auto step = operation->on_outcome(response(503));
    ASSERT_TRUE(std::holds_alternative<Exchange::Sleep>(step)) << attempt;
    (void)sent(operation->on_wake());
  }
  ASSERT_TRUE(std::holds_alternative<Exchange::Done>(operation->on_outcome(response(503))));
  auto result = operation->take_result();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(result.error().http_status, 503);
  EXPECT_THAT(result.error().message, HasSubstr("answered HTTP 503 to all 4 attempts"));
}

TEST_F(DigestResolutionTest, ARetryAfterBeyondTheCapFailsAtOnceCarryingIt) {
  auto operation = resolution();
  (void)sent(operation->begin());
  auto step = operation->on_outcome(response(429, {{"Retry-After", "3600"}}));
  ASSERT_TRUE(std::holds_alternative<Exchange::Done>(step));
  auto result = operation->take_result();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().retry_after, std::chrono::seconds(3600));
  EXPECT_EQ(result.error().http_status, 429);
  EXPECT_THAT(result.error().message, HasSubstr("asks to retry after 3600 s"));
}

TEST_F(DigestResolutionTest, NotFoundAndTransportFailuresAreSentences) {
  auto missing = resolution();
  (void)sent(missing->begin());
  (void)missing->on_outcome(response(404));
  auto not_found = missing->take_result();
  ASSERT_FALSE(not_found.has_value());
  EXPECT_EQ(not_found.error().kind, ErrorKind::not_found);
  EXPECT_THAT(not_found.error().message,
              HasSubstr("127.0.0.1:5000/team/app:1.0 is not in the registry 127.0.0.1:5000"));

  auto down = resolution();
  (void)sent(down->begin());
  (void)down->on_outcome(
      HttpOutcome(std::unexpect, http::TransferFailure{http::FailureKind::cannot_connect,
                                                       "Connection refused", ECONNREFUSED}));
  auto refused = down->take_result();
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
  EXPECT_THAT(refused.error().message,
              HasSubstr("127.0.0.1:5000/team/app:1.0: cannot connect to the registry "
                        "127.0.0.1:5000 at http://127.0.0.1:5000 (Connection refused)"));
}

}  // namespace
}  // namespace wharf::registry
