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

}  // namespace
}  // namespace wharf
