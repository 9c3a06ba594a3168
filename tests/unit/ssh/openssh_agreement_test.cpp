// Differential test: for a set of configs and host names, what resolve_ssh_target() decides
// must equal what OpenSSH itself decides (`ssh -G -F file host` prints the options it would
// use, without connecting). This pins wharf's reading of first-value-wins, Host patterns,
// negation, quoting, Include and the value grammars to the real thing rather than to our own
// reading of the manual. The ssh client is a test peer: missing, it fails the test.

#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wharf/ssh/resolve_target.hpp"
#include "wharf/ssh/ssh_config.hpp"

#include "support/peers.hpp"

namespace wharf::ssh {
namespace {

namespace fs = std::filesystem;

// Host names with blanks or commas are left out: ssh 9 refuses them on its command line
// ("hostname contains invalid characters"), and a quoted file name with a blank cannot be told
// apart in -G's space-separated output. ssh_config_test.cpp covers both.
struct AgreementCase {
  const char* name;
  std::string config;  // "@DIR@" stands for the case's temporary directory
  std::vector<std::string> aliases;
};

void PrintTo(const AgreementCase& c, std::ostream* out) {
  *out << c.name;
}

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// `ssh -G` output: "keyword value" lines; keywords that repeat (identityfile) collect.
std::map<std::string, std::vector<std::string>> ssh_decides(const fs::path& config,
                                                            const std::string& alias) {
  const auto result = test::run({"ssh", "-G", "-F", config.string(), alias});
  EXPECT_EQ(result.exit_code, 0) << "ssh -G " << alias << ": " << result.err;
  std::map<std::string, std::vector<std::string>> options;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    const auto space = line.find(' ');
    options[line.substr(0, space)].push_back(space == std::string::npos ? ""
                                                                        : line.substr(space + 1));
  }
  return options;
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> result;
  for (std::string word; in >> word;) {
    result.push_back(word);
  }
  return result;
}

class OpenSshAgreement : public ::testing::TestWithParam<AgreementCase> {};

TEST_P(OpenSshAgreement, ResolveDecidesWhatSshDecides) {
  const test::TempDir dir;
  test::write_file(dir.path() / "inner",
                   "Port 100\nHost other\n  User never\nHost web\n  User inner\n");
  const auto file = dir.path() / "config";
  test::write_file(file, replace_all(GetParam().config, "@DIR@", dir.path().string()));
  const auto defaults = SshDefaults::from_process();
  const auto config = load_ssh_config(file, defaults);
  ASSERT_TRUE(config.has_value()) << config.error().message;

  for (const auto& alias : GetParam().aliases) {
    SCOPED_TRACE("host " + alias);
    auto ssh = ssh_decides(file, alias);
    ASSERT_FALSE(HasFailure());
    const auto target = resolve_ssh_target(*config, alias, {}, defaults);
    ASSERT_TRUE(target.has_value()) << target.error().message;

    EXPECT_EQ(target->host_name, ssh["hostname"].at(0));
    EXPECT_EQ(target->user, ssh["user"].at(0));
    EXPECT_EQ(std::to_string(target->port), ssh["port"].at(0));
    EXPECT_EQ(target->identities_only ? "yes" : "no", ssh["identitiesonly"].at(0));

    const auto& checking = ssh["stricthostkeychecking"].at(0);
    const bool strict = checking == "true" || checking == "ask";
    EXPECT_EQ(target->host_key_policy, strict ? HostKeyPolicy::strict : HostKeyPolicy::accept_new)
        << checking;

    const auto& timeout = ssh["connecttimeout"].at(0);
    EXPECT_EQ(target->connect_timeout, timeout == "none" || timeout == "0"
                                           ? kDefaultConnectTimeout
                                           : std::chrono::seconds(std::stoi(timeout)));

    // ssh lists known_hosts2 after the default file; wharf reads only the first.
    const auto known_hosts = words(ssh["userknownhostsfile"].at(0));
    const auto default_file = (defaults.home / ".ssh" / "known_hosts").string();
    std::vector<std::string> ours;
    for (const auto& path : target->known_hosts_files) {
      ours.push_back(path.string());
    }
    if (known_hosts.size() == 2 && known_hosts[0] == default_file) {
      EXPECT_EQ(ours, std::vector<std::string>{default_file});
    } else {
      EXPECT_EQ(ours, known_hosts);
    }

    // ssh prints identity files unexpanded, and its built-in list when none is configured,
    // which wharf leaves empty. The cases use plain absolute paths.
    const auto& identities = ssh["identityfile"];
    std::vector<std::string> our_identities;
    for (const auto& path : target->identity_files) {
      our_identities.push_back(path.string());
    }
    if (!identities.empty() && identities[0] == "~/.ssh/id_rsa") {
      EXPECT_TRUE(our_identities.empty());
    } else {
      EXPECT_EQ(our_identities, identities);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Configs, OpenSshAgreement,
    ::testing::Values(
        AgreementCase{"empty", "", {"web", "WEB", "10.0.0.5"}},
        AgreementCase{"operator",
                      "# an operator's file\n"
                      "Host bastion\n  HostName bastion.corp.example\n  User ops\n"
                      "  IdentityFile /keys/bastion\n\n"
                      "Host build-? !build-9\n  HostName %h.CI.example\n  User deploy\n"
                      "  Port 2222\n  IdentityFile /keys/deploy\n  IdentitiesOnly yes\n"
                      "  UserKnownHostsFile /kh/ci /kh/all\n\n"
                      "Host build-9\n  HostName 10.0.0.9\n  StrictHostKeyChecking accept-new\n\n"
                      "Host github.com\n  User git\n  ControlMaster auto  # ignored\n\n"
                      "Match host nomatch-*\n  Port 1\n\n"
                      "Host *\n  User everyone\n  IdentityFile /keys/ed25519\n"
                      "  ServerAliveInterval 30\n  ConnectTimeout 5\n"
                      "  StrictHostKeyChecking ask\n",
                      {"build-2", "build-9", "bastion", "github.com", "build-10", "BUILD-2"}},
        AgreementCase{"first_value_wins",
                      "Port 1\nHost web\n  Port 2\n  User alice\nHost *\n  Port 3\n  User bob\n"
                      "  StrictHostKeyChecking no\n  StrictHostKeyChecking yes\n"
                      "  ConnectTimeout 3\n  ConnectTimeout 4\n",
                      {"web", "db"}},
        AgreementCase{"star_before_specific", "Host *\n  Port 3\nHost web\n  Port 2\n", {"web"}},
        AgreementCase{"negation",
                      "Host web* !web3\n  Port 7\n  User u7\nHost !web1\n  Port 8\n",
                      {"web1", "web2", "web3", "db"}},
        AgreementCase{"patterns",
                      "Host db,web\n  Port 6\nHost w?b x*y\n  Port 9\n",
                      {"web", "db", "wab", "xabcy", "wb"}},
        AgreementCase{"match_all", "Host db\nMatch all\n  Port 11\n", {"web", "db"}},
        AgreementCase{"timeouts", "ConnectTimeout none\nConnectTimeout 1m30s\n", {"h"}},
        AgreementCase{"timeout_zero", "ConnectTimeout 0\nConnectTimeout 5\n", {"h"}},
        AgreementCase{"syntax",
                      "Host=\"web 1\" web2\r\n  User = \"al ice\"\r\n"
                      "  IdentityFile=\"/my keys/id\" # mine\r\n  Port =2222\r\n"
                      "  \"IdentitiesOnly\" TRUE\r\n  stricthostkeychecking OFF\r\n",
                      {"web2", "web"}},
        AgreementCase{"host_names",
                      "Host v6\n  HostName FE80::1\nHost pct\n  HostName %%x.%h\n"
                      "Host *\n  HostName %h.Example.COM\n",
                      {"v6", "pct", "Mixed"}},
        AgreementCase{"known_hosts_first_line_wins",
                      "UserKnownHostsFile /a \"/b\"\nUserKnownHostsFile /d\n",
                      {"h"}},
        AgreementCase{"identities_accumulate",
                      "IdentityFile /k/top\nHost web\n  IdentityFile /k/web\n"
                      "  IdentityFile /k/top\nHost *\n  IdentityFile /k/all\n",
                      {"web", "db"}},
        AgreementCase{"include_in_host_block",
                      "Host web\n  Include @DIR@/inner\n  ConnectTimeout 3\n"
                      "Host *\n  Port 5\n  User outer\n",
                      {"web", "other"}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace wharf::ssh
