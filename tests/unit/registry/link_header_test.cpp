#include "wharf/registry/link_header.hpp"

#include <gmock/gmock.h>

namespace wharf::registry {
namespace {

using ::testing::HasSubstr;

TEST(LinkHeader, FindsTheNextLinkTheDistributionRegistrySends) {
  EXPECT_EQ(next_link(R"(</v2/wharftest/many/tags/list?last=t12&n=2>; rel="next")"),
            "/v2/wharftest/many/tags/list?last=t12&n=2");
}

TEST(LinkHeader, PicksNextAmongSeveralLinksWhateverTheQuotingAndCase) {
  EXPECT_EQ(next_link(R"(<https://r/a?x=1,2>; rel="prev", <https://r/b>; REL=next)"),
            "https://r/b");
  EXPECT_EQ(next_link(R"(<https://r/c>; title="x; y"; rel="last next")"), "https://r/c");
  EXPECT_EQ(next_link(R"(<https://r/d>;rel=next;type="text/html")"), "https://r/d");
}

TEST(LinkHeader, NoNextLinkIsNullopt) {
  EXPECT_EQ(next_link(""), std::nullopt);
  EXPECT_EQ(next_link(R"(</v2/a/tags/list?last=b>; rel="prev")"), std::nullopt);
  EXPECT_EQ(next_link(R"(</v2/a/tags/list?last=b>; rel="nextpage")"), std::nullopt);
  EXPECT_EQ(next_link(R"(</unterminated; rel="next")"), std::nullopt);
  EXPECT_EQ(next_link("rel=next"), std::nullopt);
}

TEST(LinkHeader, RelativeLinksStayOnTheRegistry) {
  auto path = link_target_path("http://127.0.0.1:5000", "/v2/a/tags/list?last=b&n=2");
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, "/v2/a/tags/list?last=b&n=2");
}

TEST(LinkHeader, AbsoluteLinksMustHaveTheRegistrysOrigin) {
  auto same = link_target_path("https://reg.example:5000", "https://REG.example:5000/v2/a?n=1");
  ASSERT_TRUE(same.has_value()) << same.error().message;
  EXPECT_EQ(*same, "/v2/a?n=1");

  for (const char* elsewhere : {"https://evil.example/v2/a", "http://reg.example:5000/v2/a",
                                "https://reg.example:5001/x", "//evil.example/v2/a", "v2/a"}) {
    auto refused = link_target_path("https://reg.example:5000", elsewhere);
    ASSERT_FALSE(refused.has_value()) << elsewhere;
    EXPECT_EQ(refused.error().kind, ErrorKind::remote);
    EXPECT_THAT(refused.error().message, HasSubstr("not on the same registry"));
  }
}

}  // namespace
}  // namespace wharf::registry
