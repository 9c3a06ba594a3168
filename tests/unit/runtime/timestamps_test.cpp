#include "wharf/runtime/timestamps.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf::runtime {
namespace {

using std::chrono::system_clock;

constexpr UnixNanos kSecond = 1'000'000'000;
// 2024-05-01T12:00:00Z
constexpr std::int64_t kMayFirstNoon = 1714564800;

system_clock::time_point at(std::int64_t unix_seconds) {
  return system_clock::time_point(std::chrono::seconds(unix_seconds));
}

TEST(ParseRfc3339Test, ReadsTheEngineFormatWithAnyNumberOfFractionDigits) {
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:00:00Z"), kMayFirstNoon * kSecond);
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:00:00.123456789Z"), kMayFirstNoon * kSecond + 123456789);
  // Go's RFC3339Nano drops trailing zeros, so ".1" is 100 ms, not 1 ns.
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:00:00.1Z"), kMayFirstNoon * kSecond + 100'000'000);
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:00:00.1234567891234Z"),
            kMayFirstNoon * kSecond + 123456789);
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
}

TEST(ParseRfc3339Test, AppliesOffsetsAndAcceptsLowerCaseAndSpace) {
  EXPECT_EQ(parse_rfc3339("2024-05-01T14:00:00+02:00"), kMayFirstNoon * kSecond);
  EXPECT_EQ(parse_rfc3339("2024-05-01T07:30:00-04:30"), kMayFirstNoon * kSecond);
  EXPECT_EQ(parse_rfc3339("2024-05-01t12:00:00z"), kMayFirstNoon * kSecond);
  EXPECT_EQ(parse_rfc3339("2024-05-01 12:00:00Z"), kMayFirstNoon * kSecond);
}

TEST(ParseRfc3339Test, RejectsMalformedAndImpossibleTimes) {
  for (const char* text :
       {"", "2024-05-01", "2024-05-01T12:00Z", "2024-05-01T12:00:00", "2024-13-01T12:00:00Z",
        "2023-02-29T12:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z",
        "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00Zjunk", "2024-05-01T12:00:00+0200",
        "24-05-01T12:00:00Z", "2024-05-01X12:00:00Z",
        // What the engine writes for a container that never started: not a real time.
        "0001-01-01T00:00:00Z"}) {
    EXPECT_EQ(parse_rfc3339(text), std::nullopt) << text;
  }
  EXPECT_TRUE(parse_rfc3339("2024-02-29T12:00:00Z").has_value());  // A leap year.
}

TEST(ParseSinceTest, TakesTimesDatesUnixSecondsAndDurationsAgo) {
  const auto now = at(kMayFirstNoon);
  EXPECT_EQ(parse_since("2024-05-01T10:00:00Z", now), (kMayFirstNoon - 7200) * kSecond);
  EXPECT_EQ(parse_since("2024-05-01", now), (kMayFirstNoon - 12 * 3600) * kSecond);
  EXPECT_EQ(parse_since("1714564800", now), kMayFirstNoon * kSecond);
  EXPECT_EQ(parse_since("10m", now), (kMayFirstNoon - 600) * kSecond);
  EXPECT_EQ(parse_since("1h30m", now), (kMayFirstNoon - 5400) * kSecond);
}

TEST(ParseSinceTest, NamesTheTextAndTheAcceptedFormsWhenItCannotRead) {
  const auto since = parse_since("yesterday", at(kMayFirstNoon));
  ASSERT_FALSE(since.has_value());
  EXPECT_EQ(since.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(since.error().message, ::testing::HasSubstr("\"yesterday\""));
  EXPECT_THAT(since.error().message, ::testing::HasSubstr("RFC 3339"));
  EXPECT_THAT(since.error().message, ::testing::HasSubstr("10m"));
}

TEST(DescribeAgeTest, ShowsTwoUnitsAtMost) {
  using namespace std::chrono_literals;
  EXPECT_EQ(describe_age(0s), "0s");
  EXPECT_EQ(describe_age(42s), "42s");
  EXPECT_EQ(describe_age(303s), "5m 3s");
  EXPECT_EQ(describe_age(2h + 5min + 9s), "2h 5m");
  EXPECT_EQ(describe_age(24h * 3 + 4h + 59min), "3d 4h");
  EXPECT_EQ(describe_age(-5s), "0s");  // Clock skew between wharf and the engine.
}

}  // namespace
}  // namespace wharf::runtime
