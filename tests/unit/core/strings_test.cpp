#include "wharf/core/strings.hpp"

#include <gtest/gtest.h>

namespace wharf {
namespace {

using Parts = std::vector<std::string_view>;

TEST(Split, KeepsEmptyPartsSoParsersCanReportThem) {
  EXPECT_EQ(split("1.2.3", '.'), (Parts{"1", "2", "3"}));
  EXPECT_EQ(split("a..b", '.'), (Parts{"a", "", "b"}));
  EXPECT_EQ(split(".a.", '.'), (Parts{"", "a", ""}));
  EXPECT_EQ(split("", '.'), (Parts{""}));
  EXPECT_EQ(split("plain", '/'), (Parts{"plain"}));
}

TEST(AsciiLower, LowersAsciiLettersOnlyAndKeepsEveryOtherByte) {
  EXPECT_EQ(ascii_lower("HostName"), "hostname");
  EXPECT_EQ(ascii_lower("A-Z_az09@[`{"), "a-z_az09@[`{");
  // Bytes above 0x7f (UTF-8, or not) pass unchanged whatever the locale.
  const std::string bytes("\xC3\x89T\xFF\0Z", 6);
  EXPECT_EQ(ascii_lower(bytes), std::string("\xC3\x89t\xFF\0z", 6));
  EXPECT_EQ(ascii_lower(""), "");
}

TEST(FirstLine, StopsAtTheFirstNewline) {
  EXPECT_EQ(first_line("one\ntwo\n"), "one");
  EXPECT_EQ(first_line("no newline"), "no newline");
  EXPECT_EQ(first_line("\nafter"), "");
  EXPECT_EQ(first_line(""), "");
  EXPECT_EQ(first_line(std::string("a\0b\nc", 5)), std::string("a\0b", 3));
}

}  // namespace
}  // namespace wharf
