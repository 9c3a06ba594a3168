// The lexical layer and the value grammars of the ssh_config reader, case by case. Each
// expectation was checked against OpenSSH 9.2's `ssh -G` on this machine.

#include "wharf/ssh/ssh_config_line.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wharf/ssh/host_pattern.hpp"
#include "wharf/ssh/ssh_config_values.hpp"

namespace wharf::ssh {
namespace {

using ::testing::HasSubstr;
using Words = std::vector<std::string>;

struct LineCase {
  const char* name;
  std::string line;
  std::string keyword;  // "" = a blank or comment line
  Words arguments;
};

void PrintTo(const LineCase& c, std::ostream* out) {
  *out << c.name;
}

class SshConfigLine : public ::testing::TestWithParam<LineCase> {};

TEST_P(SshConfigLine, SplitsLikeOpenSsh) {
  const auto& c = GetParam();
  const auto words = split_keyword(c.line);
  if (c.keyword.empty()) {
    EXPECT_FALSE(words.has_value()) << "keyword: " << words->keyword;
    return;
  }
  ASSERT_TRUE(words.has_value());
  EXPECT_EQ(words->keyword, c.keyword);
  const auto arguments = split_arguments(words->rest);
  ASSERT_TRUE(arguments.has_value()) << arguments.error();
  EXPECT_EQ(*arguments, c.arguments);
}

INSTANTIATE_TEST_SUITE_P(
    Lines, SshConfigLine,
    ::testing::Values(
        LineCase{"blank", "   \t ", "", {}}, LineCase{"empty", "", "", {}},
        LineCase{"comment", "# Host x", "", {}}, LineCase{"indented_comment", "\t  #x", "", {}},
        LineCase{"plain", "Port 22", "Port", {"22"}}, LineCase{"equals", "Port=22", "Port", {"22"}},
        LineCase{"spaced_equals", "Port = 22", "Port", {"22"}},
        LineCase{"equals_then_space", "Port= 22", "Port", {"22"}},
        LineCase{"space_then_equals", "Port =22", "Port", {"22"}},
        LineCase{"only_one_equals_is_a_separator", "Port==22", "Port", {"=22"}},
        LineCase{"indented_with_tabs", "  port\t=\t22", "port", {"22"}},
        LineCase{"crlf", "Port 22\r", "Port", {"22"}},
        LineCase{"trailing_blanks", "Port 22 \t \f", "Port", {"22"}},
        LineCase{"quoted_keyword", "\"Port\" 2201", "Port", {"2201"}},
        LineCase{"double_quotes", "User \"al ice\"", "User", {"al ice"}},
        LineCase{"single_quotes", "User 'al ice'", "User", {"al ice"}},
        LineCase{"quotes_inside_a_word", "User a\"b c\"d", "User", {"ab cd"}},
        LineCase{"escaped_space", "User a\\ b", "User", {"a b"}},
        LineCase{"escaped_quote", "User a\\\"b", "User", {"a\"b"}},
        LineCase{"unknown_escape_kept", "IdentityFile C:\\keys", "IdentityFile", {"C:\\keys"}},
        LineCase{"trailing_comment", "Port 22 # the usual", "Port", {"22"}},
        LineCase{"hash_inside_a_word", "User a#b", "User", {"a#b"}},
        LineCase{"quoted_hash", "User \"#b\"", "User", {"#b"}},
        LineCase{"only_a_comment", "User #b", "User", {}},
        LineCase{"empty_quotes", "User \"\"", "User", {""}},
        LineCase{"several", "Host web* !web3\tdb", "Host", {"web*", "!web3", "db"}},
        LineCase{"no_value", "Port", "Port", {}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(SshConfigLine, UnterminatedQuoteIsReported) {
  const auto arguments = split_arguments("\"ab");
  ASSERT_FALSE(arguments.has_value());
  EXPECT_EQ(arguments.error(), "the double quote before \"ab\" is never closed");
  EXPECT_FALSE(split_arguments("x 'y").has_value());
}

struct PatternCase {
  std::string pattern;
  std::string text;
  bool matches;
};

TEST(HostPattern, WildcardsMatchLikeOpenSsh) {
  const PatternCase cases[] = {
      {"*", "anything", true},
      {"*", "", true},
      {"", "", true},
      {"", "x", false},
      {"web?", "web1", true},
      {"web?", "web12", false},
      {"web?", "web", false},
      {"?", "", false},
      {"*.example.com", "a.example.com", true},
      {"*.example.com", "example.com", false},
      {"a*b*c", "aXXbYYc", true},
      {"a*b*c", "aXXbYY", false},
      {"a*b*c", "abcbc", true},
      {"**", "abc", true},
      {"a*", "a", true},
      {"*a", "ba", true},
      {"*a", "ab", false},
      {"web1", "WEB1", false},
      {"10.0.0.*", "10.0.0.5", true},
      {"*a*a*a*a*a*b", std::string(200, 'a'), false},
      {"literal*star", "literal*star", true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(wildcard_match(c.pattern, c.text), c.matches)
        << "pattern \"" << c.pattern << "\" text \"" << c.text << "\"";
  }
}

TEST(HostPattern, ALineAppliesIfAPositivePatternMatchesAndNoNegatedOneDoes) {
  const std::vector<HostPattern> web_but_not_3{{"web*", false}, {"web3", true}};
  EXPECT_TRUE(host_patterns_match(web_but_not_3, "web1"));
  EXPECT_FALSE(host_patterns_match(web_but_not_3, "web3"));
  EXPECT_FALSE(host_patterns_match(web_but_not_3, "db1"));
  // The order of the words does not matter.
  const std::vector<HostPattern> negated_first{{"web3", true}, {"web*", false}};
  EXPECT_FALSE(host_patterns_match(negated_first, "web3"));
  EXPECT_TRUE(host_patterns_match(negated_first, "web2"));
  // Only negations: never applies, not even to other hosts.
  const std::vector<HostPattern> only_negated{{"web3", true}};
  EXPECT_FALSE(host_patterns_match(only_negated, "web1"));
  const std::vector<HostPattern> two{{"a", false}, {"b", false}};
  EXPECT_TRUE(host_patterns_match(two, "b"));
  EXPECT_FALSE(host_patterns_match(two, "a,b"));
}

TEST(SshConfigValues, Ports) {
  EXPECT_EQ(parse_port_value("22"), 22);
  EXPECT_EQ(parse_port_value("65535"), 65535);
  EXPECT_EQ(parse_port_value("022"), 22);
  EXPECT_EQ(parse_port_value("+22"), 22);
  for (const auto* bad : {"0", "65536", "99999", "-1", "22x", "", "ssh", " 22", "0x16", "+"}) {
    EXPECT_FALSE(parse_port_value(bad)) << bad;
  }
}

TEST(SshConfigValues, Flags) {
  EXPECT_EQ(parse_flag_value("yes"), true);
  EXPECT_EQ(parse_flag_value("TRUE"), true);
  EXPECT_EQ(parse_flag_value("No"), false);
  EXPECT_EQ(parse_flag_value("false"), false);
  for (const auto* bad : {"maybe", "1", "0", "y", "", "yes!"}) {
    EXPECT_FALSE(parse_flag_value(bad)) << bad;
  }
}

TEST(SshConfigValues, HostKeyPolicies) {
  for (const auto* strict : {"yes", "YES", "true", "ask"}) {
    EXPECT_EQ(parse_host_key_policy_value(strict), HostKeyPolicy::strict) << strict;
  }
  for (const auto* accept : {"accept-new", "no", "false", "off", "Off"}) {
    EXPECT_EQ(parse_host_key_policy_value(accept), HostKeyPolicy::accept_new) << accept;
  }
  for (const auto* bad : {"accept", "new", "sometimes", ""}) {
    EXPECT_FALSE(parse_host_key_policy_value(bad)) << bad;
  }
}

TEST(SshConfigValues, TimesUseOpenSshUnits) {
  using std::chrono::seconds;
  EXPECT_EQ(parse_time_value("10"), seconds(10));
  EXPECT_EQ(parse_time_value("0"), seconds(0));
  EXPECT_EQ(parse_time_value("1m30s"), seconds(90));
  EXPECT_EQ(parse_time_value("1h30"), seconds(3630));
  EXPECT_EQ(parse_time_value("1h1M1s"), seconds(3661));
  EXPECT_EQ(parse_time_value("1w"), seconds(604800));
  EXPECT_EQ(parse_time_value("2D"), seconds(172800));
  EXPECT_EQ(parse_time_value("+5"), seconds(5));
  EXPECT_EQ(parse_time_value("2147483647"), seconds(2147483647));
  for (const auto* bad : {"", "5x", "-1", "m", "1m m", "99999999999", "3551w", "1.5"}) {
    EXPECT_FALSE(parse_time_value(bad)) << bad;
  }
}

}  // namespace
}  // namespace wharf::ssh
