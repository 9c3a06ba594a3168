#include "wharf/registry/retry_policy.hpp"

#include <gtest/gtest.h>

namespace wharf::registry {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryPolicy, RetriesRateLimitsAndServerErrorsOnly) {
  EXPECT_TRUE(is_retryable_status(429));
  EXPECT_TRUE(is_retryable_status(500));
  EXPECT_TRUE(is_retryable_status(503));
  EXPECT_TRUE(is_retryable_status(599));
  for (long status : {200L, 301L, 400L, 401L, 403L, 404L, 408L, 600L}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(RetryPolicy, RetryAfterInSeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("1", now), seconds(1));
  EXPECT_EQ(parse_retry_after(" 120 ", now), seconds(120));
  EXPECT_EQ(parse_retry_after("0", now), seconds(0));
  EXPECT_EQ(parse_retry_after("99999999999999999999999", now), seconds::max());
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
}

TEST(RetryPolicy, RetryAfterAsAnHttpDate) {
  // 1994-11-06 08:49:37 UTC is the RFC's example date.
  const auto date = std::chrono::system_clock::from_time_t(784111777);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", date - seconds(30)), seconds(30));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", date - seconds(5)), seconds(5));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", date - seconds(2)), seconds(2));
  // A date in the past means "now".
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", date + seconds(60)), seconds(0));
}

TEST(RetryPolicy, BackoffDoublesUpToTheCapAndRetryAfterWins) {
  RetryPolicy policy;
  policy.first_backoff = milliseconds(250);
  policy.max_backoff = milliseconds(1500);
  EXPECT_EQ(retry_delay(policy, 1, std::nullopt), milliseconds(250));
  EXPECT_EQ(retry_delay(policy, 2, std::nullopt), milliseconds(500));
  EXPECT_EQ(retry_delay(policy, 3, std::nullopt), milliseconds(1000));
  EXPECT_EQ(retry_delay(policy, 4, std::nullopt), milliseconds(1500));
  EXPECT_EQ(retry_delay(policy, 60, std::nullopt), milliseconds(1500));
  EXPECT_EQ(retry_delay(policy, 3, seconds(1)), milliseconds(1000));
  // Clamped, never overflowing: callers refuse such waits before asking.
  EXPECT_EQ(retry_delay(policy, 1, seconds::max()), policy.max_retry_after);
}

}  // namespace
}  // namespace wharf::registry
