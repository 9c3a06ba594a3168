// parse_ssh_config() and resolve_ssh_target(): which value wins for which host, how values
// expand, and how bad values are reported. The semantics were checked against OpenSSH 9.2's
// `ssh -G`; openssh_agreement_test.cpp compares with it automatically.

#include "wharf/ssh/ssh_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wharf/ssh/resolve_target.hpp"

namespace wharf::ssh {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Paths = std::vector<std::filesystem::path>;
using std::chrono::milliseconds;
using std::chrono::seconds;

const SshDefaults kDefaults{"me", "/home/me"};

SshConfig parse_ok(std::string_view text) {
  auto config = parse_ssh_config(text, "config");
  EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().message);
  return config.value_or(SshConfig{});
}

std::string parse_error(std::string_view text) {
  auto config = parse_ssh_config(text, "config");
  EXPECT_FALSE(config.has_value()) << "parsed: " << text;
  if (config) {
    return {};
  }
  EXPECT_EQ(config.error().kind, ErrorKind::invalid_input);
  return config.error().message;
}

SshTarget resolve_ok(std::string_view text, std::string_view alias,
                     const SshOverrides& overrides = {}) {
  auto target = resolve_ssh_target(parse_ok(text), alias, overrides, kDefaults);
  EXPECT_TRUE(target.has_value()) << (target ? "" : target.error().message);
  return target.value_or(SshTarget{});
}

std::string resolve_error(std::string_view text, std::string_view alias,
                          const SshOverrides& overrides = {}) {
  auto target = resolve_ssh_target(parse_ok(text), alias, overrides, kDefaults);
  EXPECT_FALSE(target.has_value()) << "resolved: " << alias;
  if (target) {
    return {};
  }
  EXPECT_EQ(target.error().kind, ErrorKind::invalid_input);
  return target.error().message;
}

TEST(ResolveSshTarget, WithoutConfigUsesSshDefaults) {
  const auto target = resolve_ok("", "build-2");
  EXPECT_EQ(target.alias, "build-2");
  EXPECT_EQ(target.host_name, "build-2");
  EXPECT_EQ(target.user, "me");
  EXPECT_EQ(target.port, 22);
  EXPECT_TRUE(target.identity_files.empty());
  EXPECT_FALSE(target.identities_only);
  EXPECT_EQ(target.known_hosts_files, Paths{"/home/me/.ssh/known_hosts"});
  EXPECT_EQ(target.host_key_policy, HostKeyPolicy::strict);
  EXPECT_EQ(target.connect_timeout, kDefaultConnectTimeout);
}

// ---- Which blocks apply -------------------------------------------------------------------

struct PortCase {
  const char* name;
  std::string config;
  std::string alias;
  std::uint16_t port;
};

void PrintTo(const PortCase& c, std::ostream* out) {
  *out << c.name;
}

class BlockSelection : public ::testing::TestWithParam<PortCase> {};

TEST_P(BlockSelection, FirstObtainedValueWins) {
  EXPECT_EQ(resolve_ok(GetParam().config, GetParam().alias).port, GetParam().port);
}

INSTANTIATE_TEST_SUITE_P(
    Hosts, BlockSelection,
    ::testing::Values(
        PortCase{"top_of_file_applies_to_all", "Port 1\nHost web\n Port 2\n", "web", 1},
        PortCase{"specific_first", "Host web\n Port 2\nHost *\n Port 3\n", "web", 2},
        PortCase{"star_first_wins_over_later_specific", "Host *\n Port 3\nHost web\n Port 2\n",
                 "web", 3},
        PortCase{"same_block_first_line", "Host web\n Port 2\n Port 4\n", "web", 2},
        PortCase{"other_host_skipped", "Host db\n Port 2\nHost *\n Port 3\n", "web", 3},
        PortCase{"question_mark", "Host web?\n Port 5\n", "web1", 5},
        PortCase{"question_mark_one_char_only", "Host web?\n Port 5\n", "web12", 22},
        PortCase{"several_patterns", "Host db web\n Port 6\n", "web", 6},
        PortCase{"comma_is_literal", "Host db,web\n Port 6\n", "web", 22},
        PortCase{"negation_excludes", "Host web* !web3\n Port 7\n", "web3", 22},
        PortCase{"negation_lets_others_in", "Host web* !web3\n Port 7\n", "web2", 7},
        PortCase{"negation_before_positive", "Host !web3 web*\n Port 7\n", "web3", 22},
        PortCase{"only_negation_never_applies", "Host !web3\n Port 8\n", "web1", 22},
        PortCase{"negated_star", "Host !*\n Port 8\n", "web", 22},
        PortCase{"case_sensitive", "Host web1\n Port 9\n", "WEB1", 22},
        PortCase{"keywords_case_insensitive", "host web\n PORT 10\n", "web", 10},
        PortCase{"match_all", "Host db\nMatch all\n Port 11\n", "web", 11},
        PortCase{"match_all_any_case", "MATCH ALL\n Port 11\n", "web", 11},
        PortCase{"other_match_skipped", "Match host web\n Port 12\nHost *\n Port 13\n", "web", 13},
        PortCase{"host_after_match", "Match exec true\n Port 12\nHost web\n Port 14\n", "web", 14},
        PortCase{"connect_timeout_none_is_unset", "ConnectTimeout none\nPort 15\n", "web", 15}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ResolveSshTarget, EachKeywordKeepsItsFirstValueIndependently) {
  const auto target = resolve_ok(
      "Host web\n User alice\n IdentitiesOnly no\n"
      "Host *\n User bob\n Port 2200\n IdentitiesOnly yes\n StrictHostKeyChecking no\n"
      " StrictHostKeyChecking yes\n ConnectTimeout 3\n ConnectTimeout 4\n"
      " UserKnownHostsFile /a /b\n UserKnownHostsFile /c\n",
      "web");
  EXPECT_EQ(target.user, "alice");
  EXPECT_EQ(target.port, 2200);
  EXPECT_FALSE(target.identities_only);
  EXPECT_EQ(target.host_key_policy, HostKeyPolicy::accept_new);
  EXPECT_EQ(target.connect_timeout, seconds(3));
  EXPECT_EQ(target.known_hosts_files, (Paths{"/a", "/b"}));
}

TEST(ResolveSshTarget, IdentityFilesAccumulateInOrderWithoutDuplicates) {
  const auto target = resolve_ok(
      "IdentityFile /k/top\nHost web\n IdentityFile /k/web\n IdentityFile /k/top\n"
      "Host db\n IdentityFile /k/db\nHost *\n IdentityFile /k/all\n IdentityFile none\n",
      "web");
  EXPECT_EQ(target.identity_files, (Paths{"/k/top", "/k/web", "/k/all"}));
}

TEST(ResolveSshTarget, ConnectTimeout) {
  EXPECT_EQ(resolve_ok("ConnectTimeout 1m30s\n", "h").connect_timeout, seconds(90));
  EXPECT_EQ(resolve_ok("ConnectTimeout none\nConnectTimeout 5\n", "h").connect_timeout, seconds(5));
  // 0 is ssh's "as long as TCP takes"; it still counts as obtained, so a later 5 loses, and
  // wharf, which always bounds the wait, uses its default.
  EXPECT_EQ(resolve_ok("ConnectTimeout 0\nConnectTimeout 5\n", "h").connect_timeout,
            kDefaultConnectTimeout);
}

TEST(ResolveSshTarget, StrictHostKeyCheckingMapsToThePolicy) {
  const std::pair<const char*, HostKeyPolicy> cases[] = {
      {"yes", HostKeyPolicy::strict},       {"ask", HostKeyPolicy::strict},
      {"true", HostKeyPolicy::strict},      {"accept-new", HostKeyPolicy::accept_new},
      {"no", HostKeyPolicy::accept_new},    {"off", HostKeyPolicy::accept_new},
      {"false", HostKeyPolicy::accept_new},
  };
  for (const auto& [value, policy] : cases) {
    EXPECT_EQ(resolve_ok(std::string("StrictHostKeyChecking ") + value, "h").host_key_policy,
              policy)
        << value;
  }
}

// ---- Expansions ---------------------------------------------------------------------------

TEST(ResolveSshTarget, HostNameExpandsPercentHAndIsLowercased) {
  EXPECT_EQ(resolve_ok("HostName %h.Example.COM\n", "web").host_name, "web.example.com");
  EXPECT_EQ(resolve_ok("HostName %%.%h\n", "h").host_name, "%.h");
  EXPECT_EQ(resolve_ok("", "WEB1").host_name, "web1");
  EXPECT_EQ(resolve_ok("", "WEB1").alias, "WEB1");
  EXPECT_EQ(resolve_ok("HostName FE80::1\n", "h").host_name, "FE80::1");
  EXPECT_EQ(resolve_ok("HostName 10.0.0.5\n", "h").host_name, "10.0.0.5");
  EXPECT_THAT(resolve_error("Host h\n  HostName %r.example.com\n", "h"),
              HasSubstr("config:2: HostName \"%r.example.com\" cannot be expanded: %r is not a "
                        "token wharf expands here (%h and %% are)."));
}

TEST(ResolveSshTarget, IdentityFilesExpandTildeAndTokens) {
  const auto target = resolve_ok(
      "Host build\n HostName Build.CI\n User deploy\n Port 2222\n"
      " IdentityFile ~/.ssh/id_%r@%h\n IdentityFile %d/%u/%n/%p/100%%\n IdentityFile ~\n"
      " IdentityFile keys/relative\n IdentityFile /a~b\n",
      "build");
  EXPECT_THAT(target.identity_files,
              ElementsAre("/home/me/.ssh/id_deploy@build.ci", "/home/me/me/build/2222/100%",
                          "/home/me", "keys/relative", "/a~b"));
}

TEST(ResolveSshTarget, TokensSeeExplicitUserAndPort) {
  SshOverrides overrides;
  overrides.user = "root";
  overrides.port = 2022;
  EXPECT_THAT(
      resolve_ok("User deploy\nPort 1\nIdentityFile /k/%r-%p\n", "h", overrides).identity_files,
      ElementsAre("/k/root-2022"));
}

TEST(ResolveSshTarget, KnownHostsFilesExpandAndNoneMeansDevNull) {
  EXPECT_EQ(
      resolve_ok("UserKnownHostsFile ~/.ssh/kh_%h \"/with space/kh\"\n", "web").known_hosts_files,
      (Paths{"/home/me/.ssh/kh_web", "/with space/kh"}));
  EXPECT_EQ(resolve_ok("UserKnownHostsFile none\n", "web").known_hosts_files, (Paths{"/dev/null"}));
}

TEST(ResolveSshTarget, ExpansionErrorsNameTheLineAndTheValue) {
  EXPECT_THAT(resolve_error("\n\nIdentityFile ~/.ssh/%C\n", "h"),
              HasSubstr("config:3: IdentityFile \"~/.ssh/%C\" cannot be expanded: %C is not a "
                        "token wharf expands here (%d %h %n %p %r %u and %% are)."));
  EXPECT_THAT(resolve_error("IdentityFile ~bob/.ssh/id\n", "h"),
              HasSubstr("config:1: IdentityFile \"~bob/.ssh/id\" cannot be expanded: \"~bob\" "
                        "names another user's home directory"));
  EXPECT_THAT(resolve_error("IdentityFile /k/100%\n", "h"), HasSubstr("write %% for a literal %"));
  EXPECT_THAT(resolve_error("UserKnownHostsFile ${HOME}/kh\n", "h"),
              HasSubstr("config:1: UserKnownHostsFile \"${HOME}/kh\" cannot be expanded: "
                        "environment variables"));
  // An error in a block that does not apply does not matter: it is never expanded.
  EXPECT_EQ(resolve_ok("Host other\n IdentityFile %C\n", "h").identity_files, Paths{});
  auto without_home = resolve_ssh_target(parse_ok(""), "h", {}, SshDefaults{"me", ""});
  ASSERT_FALSE(without_home.has_value());
  EXPECT_THAT(without_home.error().message, HasSubstr("home directory is unknown"));
}

// ---- Explicit values ----------------------------------------------------------------------

TEST(ResolveSshTarget, ExplicitValuesBeatTheConfig) {
  const std::string config =
      "Host web\n User deploy\n Port 2222\n IdentityFile /k/config\n"
      " UserKnownHostsFile /kh/config\n StrictHostKeyChecking accept-new\n ConnectTimeout 3\n";
  SshOverrides overrides;
  overrides.user = "root";
  overrides.port = 22;
  overrides.identity_files = {"~/.ssh/id_worker", "/k/config"};
  overrides.known_hosts_files = {"/srv/known_hosts"};
  overrides.host_key_policy = HostKeyPolicy::strict;
  overrides.connect_timeout = milliseconds(1500);
  const auto target = resolve_ok(config, "web", overrides);
  EXPECT_EQ(target.user, "root");
  EXPECT_EQ(target.port, 22);
  EXPECT_EQ(target.identity_files, (Paths{"/home/me/.ssh/id_worker", "/k/config"}));
  EXPECT_EQ(target.known_hosts_files, (Paths{"/srv/known_hosts", "/kh/config"}));
  EXPECT_EQ(target.host_key_policy, HostKeyPolicy::strict);
  EXPECT_EQ(target.connect_timeout, milliseconds(1500));

  // Without overrides the same config gives its own values.
  const auto plain = resolve_ok(config, "web");
  EXPECT_EQ(plain.user, "deploy");
  EXPECT_EQ(plain.port, 2222);
  EXPECT_EQ(plain.host_key_policy, HostKeyPolicy::accept_new);
}

TEST(ResolveSshTarget, ExplicitKnownHostsComeBeforeTheDefault) {
  SshOverrides overrides;
  overrides.known_hosts_files = {"/srv/known_hosts"};
  EXPECT_EQ(resolve_ok("", "h", overrides).known_hosts_files,
            (Paths{"/srv/known_hosts", "/home/me/.ssh/known_hosts"}));
}

TEST(ResolveSshTarget, RejectsAnEmptyAlias) {
  EXPECT_THAT(resolve_error("", ""), HasSubstr("host name is empty"));
}

// ---- Bad values ---------------------------------------------------------------------------

struct BadCase {
  const char* name;
  std::string config;
  std::string message;
};

void PrintTo(const BadCase& c, std::ostream* out) {
  *out << c.name;
}

class BadValue : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadValue, IsReportedWithFileLineValueAndWhatIsAccepted) {
  EXPECT_THAT(parse_error(GetParam().config), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Values, BadValue,
    ::testing::Values(
        BadCase{"port_too_big", "Host x\n  Port 99999\n",
                "config:2: Port \"99999\" is not a port number — Port takes a number from 1 to "
                "65535."},
        BadCase{"port_zero", "Port 0", "config:1: Port \"0\" is not a port number"},
        BadCase{"port_name", "Port ssh", "Port \"ssh\" is not a port number"},
        BadCase{"flag", "\n\nIdentitiesOnly maybe\n",
                "config:3: IdentitiesOnly \"maybe\" is not yes or no — IdentitiesOnly takes yes "
                "or no."},
        BadCase{"policy", "StrictHostKeyChecking sometimes",
                "config:1: StrictHostKeyChecking \"sometimes\" is not a known policy — it takes "
                "yes, ask, accept-new, no or off."},
        BadCase{"time", "ConnectTimeout 5x",
                "config:1: ConnectTimeout \"5x\" is not a time — it takes seconds (10), a time "
                "such as 1m30s, or none."},
        BadCase{"no_value", "Port\n", "config:1: Port has no value — give it one or delete"},
        BadCase{"only_comment", "User # nobody\n", "config:1: User has no value (only a comment)"},
        BadCase{"empty_value", "User \"\"\n", "config:1: User has an empty value (\"\")"},
        BadCase{"empty_host", "Host \"\"\n", "config:1: Host has an empty value"},
        BadCase{"host_without_pattern", "Host\n", "config:1: Host has no value"},
        BadCase{"extra_words", "Port 22 23\n",
                "config:1: Port takes one value but has 2 (\"22\" \"23\") — remove the extra "
                "words, or quote a value that contains blanks."},
        BadCase{"unquoted_blank", "IdentityFile /my keys/id\n",
                "IdentityFile takes one value but has 2"},
        BadCase{"double_equals", "Port==22\n", "Port \"=22\" is not a port number"},
        BadCase{"open_quote", "User \"al ice\n",
                "config:1: User: the double quote before \"al ice\" is never closed — close the "
                "quote."},
        BadCase{"none_not_alone", "UserKnownHostsFile /a none\n",
                "config:1: UserKnownHostsFile \"/a\" \"none\" mixes none with files"},
        BadCase{"match_all_combined", "Match all host x\n",
                "config:1: Match all cannot be combined with other criteria (\"all\" \"host\" "
                "\"x\") — write \"Match all\" alone."},
        BadCase{"keyword_case", "PORT 70000\n", "config:1: Port \"70000\""}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ParseSshConfig, UnknownKeywordsAreIgnoredWhateverTheirValue) {
  const auto config = parse_ok(
      "ForwardAgent yes\nControlPath ~/.ssh/cm-%r@%h:%p\nServerAliveInterval\n"
      "ProxyCommand \"unterminated\nBogusOption = 1 2 3\n");
  EXPECT_TRUE(config.settings.empty());
}

TEST(ParseSshConfig, SkippedMatchBlocksAreNoted) {
  const auto config = parse_ok("Match host web exec \"test -f /tmp/x\"\n  Port 1\nMatch all\n");
  ASSERT_EQ(config.notes.size(), 1U);
  EXPECT_EQ(config.notes[0],
            "config:1: wharf does not evaluate \"Match host …\", so the lines of that block are "
            "ignored for every host (only \"Match all\" is supported).");
}

TEST(ParseSshConfig, KeepsLocationsOfEverySetting) {
  const auto config = parse_ok("# c\nPort 1\n\nHost a\n  User u\n");
  ASSERT_EQ(config.settings.size(), 2U);
  EXPECT_EQ(config.settings[0].where.to_string(), "config:2");
  EXPECT_EQ(config.settings[1].where.to_string(), "config:5");
  EXPECT_EQ(config.settings[1].block, 1U);
  EXPECT_EQ(config.blocks[1].where.to_string(), "config:4");
  EXPECT_EQ(std::get<std::string>(config.settings[1].value), "u");
}

TEST(ParseSshConfig, QuotingAndEqualsReachTheValues) {
  const auto target = resolve_ok(
      "\xEF\xBB\xBFHost=\"web 1\" web2\r\n  User = \"al ice\"\r\n  IdentityFile=\"/my keys/id\" "
      "# mine\r\n  Port =2222\r\n",
      "web2");
  EXPECT_EQ(target.user, "al ice");
  EXPECT_EQ(target.port, 2222);
  EXPECT_EQ(target.identity_files, Paths{"/my keys/id"});
  EXPECT_EQ(resolve_ok("Host \"web 1\"\n Port 3\n", "web 1").port, 3);
}

// ---- A realistic file ---------------------------------------------------------------------

constexpr std::string_view kOperatorConfig = R"(# ~/.ssh/config of an operator
Host bastion
  HostName bastion.corp.example
  User ops
  IdentityFile ~/.ssh/id_bastion

Host build-? !build-9
  HostName %h.ci.example
  User deploy
  Port 2222
  IdentityFile ~/.ssh/id_%r@%h
  IdentitiesOnly yes
  UserKnownHostsFile ~/.ssh/known_hosts.ci ~/.ssh/known_hosts

Host build-9
  HostName 10.0.0.9
  StrictHostKeyChecking accept-new

Host github.com
  User git
  ControlMaster auto        # unknown to wharf: ignored
  ControlPath ~/.ssh/cm-%r@%h:%p

Match exec "test -f /tmp/vpn"
  ProxyJump bastion
  Port 1

Host *
  User everyone
  IdentityFile ~/.ssh/id_ed25519
  ServerAliveInterval 30
  ConnectTimeout 5
  StrictHostKeyChecking ask
  AddKeysToAgent yes
)";

TEST(ResolveSshTarget, RealisticMultiBlockConfig) {
  const auto build2 = resolve_ok(kOperatorConfig, "build-2");
  EXPECT_EQ(build2.host_name, "build-2.ci.example");
  EXPECT_EQ(build2.user, "deploy");
  EXPECT_EQ(build2.port, 2222);
  EXPECT_EQ(build2.identity_files,
            (Paths{"/home/me/.ssh/id_deploy@build-2.ci.example", "/home/me/.ssh/id_ed25519"}));
  EXPECT_TRUE(build2.identities_only);
  EXPECT_EQ(build2.known_hosts_files,
            (Paths{"/home/me/.ssh/known_hosts.ci", "/home/me/.ssh/known_hosts"}));
  EXPECT_EQ(build2.host_key_policy, HostKeyPolicy::strict);
  EXPECT_EQ(build2.connect_timeout, seconds(5));

  const auto build9 = resolve_ok(kOperatorConfig, "build-9");
  EXPECT_EQ(build9.host_name, "10.0.0.9");
  EXPECT_EQ(build9.user, "everyone");
  EXPECT_EQ(build9.port, 22);
  EXPECT_EQ(build9.identity_files, Paths{"/home/me/.ssh/id_ed25519"});
  EXPECT_FALSE(build9.identities_only);
  EXPECT_EQ(build9.host_key_policy, HostKeyPolicy::accept_new);

  const auto bastion = resolve_ok(kOperatorConfig, "bastion");
  EXPECT_EQ(bastion.host_name, "bastion.corp.example");
  EXPECT_EQ(bastion.user, "ops");
  EXPECT_EQ(bastion.identity_files,
            (Paths{"/home/me/.ssh/id_bastion", "/home/me/.ssh/id_ed25519"}));
  EXPECT_EQ(bastion.known_hosts_files, Paths{"/home/me/.ssh/known_hosts"});

  const auto other = resolve_ok(kOperatorConfig, "build-10");
  EXPECT_EQ(other.host_name, "build-10");
  EXPECT_EQ(other.user, "everyone");
  EXPECT_EQ(other.port, 22);

  EXPECT_EQ(parse_ok(kOperatorConfig).notes.size(), 1U);
}

}  // namespace
}  // namespace wharf::ssh
