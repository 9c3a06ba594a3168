#include "wharf/core/duration.hpp"

#include <string>

#include <gtest/gtest.h>

namespace wharf {
namespace {

TEST(ParseDurationTest, ReadsGoDurationsAndDays) {
  using namespace std::chrono_literals;
  EXPECT_EQ(parse_duration("10m"), 10min);
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("1.5h"), 90min);
  EXPECT_EQ(parse_duration("2d"), 48h);
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("3us"), 3us);
  EXPECT_EQ(parse_duration("7ns"), 7ns);
  EXPECT_EQ(parse_duration("1m30s"), 90s);
  for (const char* text : {"", "10", "m", "10x", "-5m", "1h-5m", "1..5h", "10 m", "200ms "}) {
    EXPECT_EQ(parse_duration(text), std::nullopt) << text;
  }
}

TEST(ParseDurationTest, ComposeHealthcheckAndGracePeriodForms) {
  using namespace std::chrono_literals;
  EXPECT_EQ(parse_duration("200ms"), 200ms);
  EXPECT_EQ(parse_duration("1m30s"), 90s);
  EXPECT_EQ(parse_duration("0s"), 0s);
  EXPECT_EQ(parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_duration("\xC2\xB5s"), std::nullopt);  // A unit without a number.
  EXPECT_EQ(parse_duration("5\xC2\xB5s"), 5us);
  EXPECT_EQ(parse_duration(std::string("1s\0", 3)), std::nullopt);
  EXPECT_EQ(parse_duration("999999999999h"), std::nullopt);  // Too long to hold.
}

}  // namespace
}  // namespace wharf
