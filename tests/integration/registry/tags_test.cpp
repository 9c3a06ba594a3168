// Listing a repository's tags, page by page as the registry links them.

#include <gmock/gmock.h>

#include "integration/registry/registry_fixture.hpp"
#include "integration/registry/test_http_server.hpp"

namespace wharf::registry::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

TEST_F(RegistryTest, TagsOfTheWorkerRepository) {
  auto tags = make_client().list_tags(ref(worker_repo_));
  ASSERT_TRUE(tags.has_value()) << tags.error().message;
  EXPECT_THAT(*tags, IsSupersetOf({"1.0.0", "1.1.0"}));
}

TEST_F(RegistryTest, TagsArePagedThroughLinkHeaders) {
  (void)ensure_many_tags();
  ASSERT_FALSE(HasFailure());
  auto client = make_client();
  auto whole = client.list_tags(ref(registry_ + "/wharftest/many"));
  ASSERT_TRUE(whole.has_value()) << whole.error().message;
  ASSERT_EQ(whole->size(), 51U);
  const auto pages_before = wharf_log_lines("GET /v2/wharftest/many/tags/list?n=7");
  auto paged = client.list_tags(ref(registry_ + "/wharftest/many"), 7);
  ASSERT_TRUE(paged.has_value()) << paged.error().message;
  EXPECT_EQ(*paged, *whole);
  // 51 tags in pages of 7: the first request plus 7 followed links.
  EXPECT_EQ(wharf_log_lines("GET /v2/wharftest/many/tags/list?n=7", pages_before + 1),
            pages_before + 1);
}

TEST_F(RegistryTest, AMissingRepositoryHasNoTags) {
  auto missing = make_client().list_tags(ref(registry_ + "/wharftest/never-pushed"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_THAT(missing.error().message,
              HasSubstr(registry_ + "/wharftest/never-pushed is not in the registry " + registry_ +
                        " (NAME_UNKNOWN"));
}

TEST_F(RegistryTest, ALinkToAnotherHostIsNotFollowed) {
  TestHttpServer registry([](const ReceivedRequest& request) {
    if (request.target.find("last=") == std::string::npos) {
      return ScriptedResponse{
          200,
          {{"Link", R"(<http://127.0.0.2:9/v2/a/tags/list?last=x>; rel="next")"}},
          R"({"name":"a","tags":["x"]})"};
    }
    return ScriptedResponse{200, {}, R"({"name":"a","tags":["y"]})"};
  });
  auto tags = make_client().list_tags(ref(registry.domain() + "/a"));
  ASSERT_FALSE(tags.has_value());
  EXPECT_EQ(tags.error().kind, ErrorKind::remote);
  EXPECT_THAT(tags.error().message, HasSubstr("not on the same registry"));
  EXPECT_EQ(registry.requests().size(), 1U);

  TestHttpServer relative([](const ReceivedRequest& request) {
    if (request.target.find("last=") == std::string::npos) {
      return ScriptedResponse{
          200, {{"Link", R"(</v2/a/tags/list?last=x>; rel="next")"}}, R"({"tags":["x"]})"};
    }
    return ScriptedResponse{200, {}, R"({"name":"a","tags":null})"};
  });
  auto followed = make_client().list_tags(ref(relative.domain() + "/a"));
  ASSERT_TRUE(followed.has_value()) << followed.error().message;
  EXPECT_THAT(*followed, ElementsAre("x"));
}

}  // namespace
}  // namespace wharf::registry::test
