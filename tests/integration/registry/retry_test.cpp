// 429 and 5xx answers from a scripted registry: wharf waits as asked (or backs off) and
// succeeds, and gives up at once, carrying retry_after, when the wait asked for is too long.

#include <atomic>

#include <gmock/gmock.h>

#include "wharf/registry/manifest.hpp"

#include "integration/registry/registry_fixture.hpp"
#include "integration/registry/test_http_server.hpp"

namespace wharf::registry::test {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

const std::string kDigest = "sha256:" + std::string(64, 'e');

/// Answers the first `failures` requests with `status` (and `extra` headers), then 200.
Handler failing_first(int failures, int status,
                      std::vector<std::pair<std::string, std::string>> extra = {}) {
  auto count = std::make_shared<int>(0);
  return [=](const ReceivedRequest&) {
    if ((*count)++ < failures) {
      return ScriptedResponse{status, extra, R"({"errors":[{"code":"TOOMANYREQUESTS"}]})"};
    }
    return ScriptedResponse{
        200,
        {{"Docker-Content-Digest", kDigest}, {"Content-Type", std::string(kDockerManifest)}},
        ""};
  };
}

TEST_F(RegistryTest, RateLimitedWithRetryAfterOneSecondWaitsThenSucceeds) {
  TestHttpServer registry(failing_first(1, 429, {{"Retry-After", "1"}}));
  auto client = make_client();
  const auto start = std::chrono::steady_clock::now();
  auto resolved = client.resolve_digest(ref(registry.domain() + "/team/app:1"));
  const auto took = elapsed_ms(start);
  ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
  EXPECT_EQ(resolved->digest, kDigest);
  const auto requests = registry.requests();
  ASSERT_EQ(requests.size(), 2U);
  const auto gap = requests[1].at - requests[0].at;
  std::cout << "429 + Retry-After: 1 -> succeeded after " << took << " ms (gap "
            << std::chrono::duration_cast<milliseconds>(gap).count() << " ms)\n";
  EXPECT_GE(gap, milliseconds(990));
  EXPECT_LT(gap, milliseconds(5000));  // Not the default backoff or a hang.
}

TEST_F(RegistryTest, ServerErrorsAreRetriedWithBackoffThenSucceed) {
  for (const int status : {500, 502, 503}) {
    TestHttpServer registry(failing_first(2, status));
    const auto start = std::chrono::steady_clock::now();
    auto resolved = make_client().resolve_digest(ref(registry.domain() + "/team/app:1"));
    const auto took = elapsed_ms(start);
    ASSERT_TRUE(resolved.has_value()) << status << ": " << resolved.error().message;
    ASSERT_EQ(registry.requests().size(), 3U);
    // Backoff 250 ms, then 500 ms.
    EXPECT_GE(took, 740.0) << status;
    EXPECT_LT(took, 5000.0) << status;
    std::cout << "2 x HTTP " << status << " then 200 -> succeeded after " << took << " ms\n";
  }
}

TEST_F(RegistryTest, PersistentServerErrorsEndInASentenceWithTheStatus) {
  TestHttpServer registry(failing_first(100, 503));
  RegistryOptions options;
  options.retry.first_backoff = milliseconds(10);
  auto failed = make_client(options).resolve_digest(ref(registry.domain() + "/team/app:1"));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(failed.error().http_status, 503);
  EXPECT_THAT(failed.error().message,
              HasSubstr(registry.domain() + "/team/app:1: the registry " + registry.domain() +
                        " answered HTTP 503 to all 4 attempts"));
  EXPECT_EQ(registry.requests().size(), 4U);
}

TEST_F(RegistryTest, ARetryAfterLongerThanTheCapFailsAtOnceWithRetryAfter) {
  TestHttpServer registry(failing_first(100, 429, {{"Retry-After", "600"}}));
  const auto start = std::chrono::steady_clock::now();
  auto failed = make_client().resolve_digest(ref(registry.domain() + "/team/app:1"));
  ASSERT_FALSE(failed.has_value());
  EXPECT_LT(elapsed_ms(start), 5000.0);  // Not the 600 s asked for.
  EXPECT_EQ(failed.error().retry_after, std::chrono::seconds(600));
  EXPECT_EQ(failed.error().http_status, 429);
  EXPECT_THAT(failed.error().message, HasSubstr("HTTP 429 (too many requests) and asks to retry "
                                                "after 600 s"));
  EXPECT_EQ(registry.requests().size(), 1U);
}

TEST_F(RegistryTest, RetriesOfManyImagesOverlapInsteadOfAddingUp) {
  // Each of 10 images is rate limited once for 1 s; the waits run side by side.
  std::atomic<int> seen{0};
  TestHttpServer registry([&](const ReceivedRequest& request) {
    const bool first_time =
        request.target.find("/manifests/") != std::string::npos && seen.fetch_add(1) < 10;
    if (first_time) {
      return ScriptedResponse{429, {{"Retry-After", "1"}}, ""};
    }
    return ScriptedResponse{
        200,
        {{"Docker-Content-Digest", kDigest}, {"Content-Type", std::string(kDockerManifest)}},
        ""};
  });
  std::vector<ImageReference> images;
  for (int i = 0; i < 10; ++i) {
    images.push_back(ref(registry.domain() + "/team/app:" + std::to_string(i)));
  }
  const auto start = std::chrono::steady_clock::now();
  auto results = make_client().resolve_digests(images);
  const auto took = elapsed_ms(start);
  for (const auto& result : results) {
    ASSERT_TRUE(result.has_value()) << result.error().message;
  }
  EXPECT_GE(took, 990.0);
  EXPECT_LT(took, 5000.0) << "the ten 1-second waits must overlap (10 s if serialised)";
  std::cout << "10 images each rate limited for 1 s: " << took << " ms\n";
}

}  // namespace
}  // namespace wharf::registry::test
