#include "wharf/ssh/ssh_url.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf::ssh {
namespace {

using ::testing::HasSubstr;

struct UrlCase {
  const char* name;
  std::string text;
  std::optional<std::string> user;
  std::string host;
  std::optional<std::uint16_t> port;
};

void PrintTo(const UrlCase& c, std::ostream* out) {
  *out << c.name;
}

class SshUrlParse : public ::testing::TestWithParam<UrlCase> {};

TEST_P(SshUrlParse, KeepsOnlyWhatTheTextGave) {
  const auto& c = GetParam();
  const auto url = parse_ssh_url(c.text);
  ASSERT_TRUE(url.has_value()) << url.error().message;
  EXPECT_EQ(url->user, c.user);
  EXPECT_EQ(url->host, c.host);
  EXPECT_EQ(url->port, c.port);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, SshUrlParse,
    ::testing::Values(
        UrlCase{"alias", "build-2", std::nullopt, "build-2", std::nullopt},
        UrlCase{"user_at_host", "deploy@build-2", "deploy", "build-2", std::nullopt},
        UrlCase{"url", "ssh://build-2", std::nullopt, "build-2", std::nullopt},
        UrlCase{"url_full", "ssh://deploy@10.0.0.5:2222", "deploy", "10.0.0.5", 2222},
        UrlCase{"url_trailing_slash", "ssh://deploy@build-2:22/", "deploy", "build-2", 22},
        UrlCase{"ipv6", "ssh://[::1]:2222", std::nullopt, "::1", 2222},
        UrlCase{"ipv6_no_port", "ssh://deploy@[fe80::1]", "deploy", "fe80::1", std::nullopt},
        UrlCase{"bare_ipv6", "deploy@[::1]", "deploy", "::1", std::nullopt},
        UrlCase{"user_with_at", "me@corp@build-2", "me@corp", "build-2", std::nullopt}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(SshUrl, OverridesCarryUserAndPort) {
  const auto url = parse_ssh_url("ssh://deploy@build-2:2222");
  ASSERT_TRUE(url.has_value());
  const auto overrides = url->overrides();
  EXPECT_EQ(overrides.user, "deploy");
  EXPECT_EQ(overrides.port, 2222);
  EXPECT_FALSE(parse_ssh_url("build-2")->overrides().port);
}

TEST(SshUrl, RejectsEverythingElseWithASentence) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "it is empty"},
      {"tcp://host:2375", "only the ssh:// scheme is accepted"},
      {"ssh://", "the host name is missing"},
      {"ssh://deploy@", "the host name is missing"},
      {"@host", "the user name before '@' is empty"},
      {"ssh://@host", "the user name before '@' is empty"},
      {"ssh://host:", "the port \"\" is not a number from 1 to 65535"},
      {"ssh://host:0", "the port \"0\" is not a number"},
      {"ssh://host:65536", "the port \"65536\" is not a number"},
      {"ssh://host:+22", "the port \"+22\" is not a number"},
      {"ssh://host:ssh", "the port \"ssh\" is not a number"},
      {"host:2222", "a port needs the ssh:// form (ssh://host:2222)"},
      {"ssh://host/path", "a path after the host is not accepted"},
      {"ssh://[::1", "the IPv6 address has no closing ']'"},
      {"ssh://[::1]x", "only ':port' may follow the IPv6 address"},
      {"fe80::1", "an IPv6 address must be written in brackets"},
      {"ssh://a b", "it contains a blank or a control character"},
      {"host\n", "it contains a blank or a control character"},
      {"ssh://[]:22", "the host name is missing"},
  };
  for (const auto& [text, why] : cases) {
    const auto url = parse_ssh_url(text);
    ASSERT_FALSE(url.has_value()) << text;
    EXPECT_EQ(url.error().kind, ErrorKind::invalid_input);
    EXPECT_THAT(url.error().message, HasSubstr("\"" + std::string(text) +
                                               "\" is not an SSH "
                                               "address: " +
                                               why))
        << text;
    EXPECT_THAT(url.error().message,
                HasSubstr("write ssh://[user@]host[:port] or [user@]host (IPv6 in brackets"));
  }
}

}  // namespace
}  // namespace wharf::ssh
