// The owners of libcurl's handles: moving hands the handle over once, and what curl points
// at (the error buffer) moves with it.

#include "wharf/http/curl_handles.hpp"

#include <utility>

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace wharf::http {
namespace {

TEST(CurlHandlesTest, AnEasyHandleMovesOnce) {
  EasyHandle first;
  CURL* raw = first.get();
  ASSERT_NE(raw, nullptr);
  EasyHandle second(std::move(first));
  EXPECT_EQ(second.get(), raw);
  EXPECT_EQ(first.get(), nullptr);  // NOLINT(bugprone-use-after-move): the point of the test.
  EasyHandle third;
  third = std::move(second);
  EXPECT_EQ(third.get(), raw);
}

TEST(CurlHandlesTest, TheErrorBufferIsCurlsAndSurvivesAMove) {
  EasyHandle easy;
  // A URL with an unsupported scheme fails before any network use and fills the buffer.
  curl_easy_setopt(easy.get(), CURLOPT_URL, "nothttp://x");
  EasyHandle moved(std::move(easy));
  EXPECT_NE(curl_easy_perform(moved.get()), CURLE_OK);
  EXPECT_FALSE(moved.error_text().empty());
  moved.clear_error_text();
  EXPECT_TRUE(moved.error_text().empty());
  moved.reset();
  EXPECT_EQ(moved.response_code(), 0);
}

TEST(CurlHandlesTest, HeaderListsKeepTheirLinesInOrder) {
  const auto list = make_header_list({"Accept: a", "Expect:"});
  ASSERT_NE(list, nullptr);
  EXPECT_STREQ(list->data, "Accept: a");
  ASSERT_NE(list->next, nullptr);
  EXPECT_STREQ(list->next->data, "Expect:");
  EXPECT_EQ(make_header_list({}), nullptr);
}

TEST(CurlHandlesTest, AMultiHandleMovesOnce) {
  MultiHandle first;
  CURLM* raw = first.get();
  ASSERT_NE(raw, nullptr);
  MultiHandle second(std::move(first));
  EXPECT_EQ(second.get(), raw);
  EXPECT_EQ(first.get(), nullptr);  // NOLINT(bugprone-use-after-move): the point of the test.
}

}  // namespace
}  // namespace wharf::http
