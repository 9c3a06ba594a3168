#include "wharf/dispatch/pull_policy.hpp"

#include <string>

#include <gtest/gtest.h>

namespace wharf::dispatch {
namespace {

TEST(PullPolicy, ParsesTheThreeNamesOnly) {
  EXPECT_EQ(parse_pull_policy("missing"), PullPolicy::missing);
  EXPECT_EQ(parse_pull_policy("always"), PullPolicy::always);
  EXPECT_EQ(parse_pull_policy("never"), PullPolicy::never);
  auto bad = parse_pull_policy("sometimes");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(bad.error().message.find("sometimes"), std::string::npos);
  EXPECT_EQ(to_string(PullPolicy::never), "never");
}

}  // namespace
}  // namespace wharf::dispatch
