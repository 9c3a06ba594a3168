// The one header-line parser both HTTP clients feed libcurl's header callback through.

#include "wharf/http/header_line.hpp"

#include <gtest/gtest.h>

namespace wharf::http {
namespace {

TEST(HeaderLineTest, FieldsAreSplitAtTheFirstColonAndTrimmed) {
  const auto line = parse_header_line("Docker-Content-Digest:  sha256:abc \r\n");
  EXPECT_EQ(line.kind, HeaderLine::Kind::field);
  EXPECT_EQ(line.name, "Docker-Content-Digest");
  EXPECT_EQ(line.value, "sha256:abc");

  const auto location = parse_header_line("Location: http://127.0.0.1:5000/v2/x\r\n");
  EXPECT_EQ(location.name, "Location");
  EXPECT_EQ(location.value, "http://127.0.0.1:5000/v2/x");

  const auto empty_value = parse_header_line("Content-Type:\r\n");
  EXPECT_EQ(empty_value.kind, HeaderLine::Kind::field);
  EXPECT_EQ(empty_value.value, "");
}

TEST(HeaderLineTest, StatusLinesBlankLinesAndTheRestAreTold) {
  EXPECT_EQ(parse_header_line("HTTP/1.1 200 OK\r\n").kind, HeaderLine::Kind::status_line);
  EXPECT_EQ(parse_header_line("HTTP/2 404\r\n").kind, HeaderLine::Kind::status_line);
  EXPECT_EQ(parse_header_line("\r\n").kind, HeaderLine::Kind::end_of_headers);
  EXPECT_EQ(parse_header_line("\n").kind, HeaderLine::Kind::end_of_headers);
  EXPECT_EQ(parse_header_line("no colon here\r\n").kind, HeaderLine::Kind::other);
  EXPECT_EQ(parse_header_line("").kind, HeaderLine::Kind::other);
}

TEST(HeaderLineTest, ANewStatusLineStartsANewSetOfHeaders) {
  Response response;
  // A redirect (or a 100 Continue) comes first; only the final response's headers count.
  for (const auto* line :
       {"HTTP/1.1 307 Temporary Redirect\r\n", "Location: /elsewhere\r\n", "\r\n",
        "HTTP/1.1 200 OK\r\n", "Content-Length: 2\r\n", "X-Repeated: a\r\n", "X-Repeated: b\r\n"}) {
    (void)collect_header_line(response, line);
  }
  EXPECT_EQ(collect_header_line(response, "\r\n"), HeaderLine::Kind::end_of_headers);
  ASSERT_EQ(response.headers.size(), 3U);
  EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>{"Content-Length", "2"}));
  EXPECT_FALSE(response.header("Location").has_value());
}

}  // namespace
}  // namespace wharf::http
