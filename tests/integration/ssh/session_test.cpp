// wharf::ssh::Session against real sshd: host key verification (plain, hashed, changed,
// unknown, accept-new) and authentication (key file, agent, wrong user, encrypted key).

#include "wharf/ssh/session.hpp"

#include <cstdlib>
#include <thread>

#include <gmock/gmock.h>
#include <sys/stat.h>

#include "integration/ssh/ssh_fixture.hpp"
#include "support/peers.hpp"

namespace wharf::ssh::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using wharf::test::read_file;
using wharf::test::run;
using wharf::test::TempDir;
using wharf::test::write_file;

constexpr std::chrono::seconds kTimeout{10};

// Removes SSH_AUTH_SOCK for one test, so that an agent on the machine cannot log us in.
class NoAgent {
 public:
  NoAgent() {
    if (const char* value = std::getenv("SSH_AUTH_SOCK")) {
      saved_ = value;
    }
    ::unsetenv("SSH_AUTH_SOCK");
  }
  NoAgent(const NoAgent&) = delete;
  NoAgent& operator=(const NoAgent&) = delete;
  ~NoAgent() {
    if (!saved_.empty()) {
      ::setenv("SSH_AUTH_SOCK", saved_.c_str(), 1);
    }
  }

 private:
  std::string saved_;
};

// The base64 part of a public key file ("ssh-ed25519 AAAA… comment").
std::string key_blob(const std::filesystem::path& public_key) {
  const std::string pub = read_file(public_key);
  const auto start = pub.find(' ') + 1;
  return pub.substr(start, pub.find(' ', start) - start);
}

// "[127.0.0.2]:22118 ssh-ed25519 AAAA…" for a public key file.
std::string known_hosts_line(const std::string& host, std::uint16_t port,
                             const std::filesystem::path& public_key) {
  const std::string pub = read_file(public_key);
  const auto space = pub.find(' ', pub.find(' ') + 1);
  return "[" + host + "]:" + std::to_string(port) + " " + pub.substr(0, space) + "\n";
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    peer_ = ssh_peer('A');
    ASSERT_FALSE(HasFailure());
  }
  SshPeer peer_;
  TempDir dir_;
};

TEST_F(SessionTest, LogsInWithAKeyFileAgainstPlainKnownHosts) {
  auto session = Session::open(target_for(peer_), kTimeout);
  ASSERT_TRUE(session.has_value()) << session.error().message;
  EXPECT_EQ(session->name(),
            peer_.user + "@" + peer_.host + " (port " + std::to_string(peer_.port) + ")");
}

TEST_F(SessionTest, AcceptsHashedKnownHosts) {
  ASSERT_THAT(read_file(peer_.known_hosts_hashed), HasSubstr("|1|"));
  auto target = target_for(peer_);
  target.known_hosts_files = {peer_.known_hosts_hashed};
  auto session = Session::open(target, kTimeout);
  ASSERT_TRUE(session.has_value()) << session.error().message;
}

TEST_F(SessionTest, ChecksEveryKnownHostsFileInOrder) {
  const auto empty = dir_.path() / "empty_known_hosts";
  write_file(empty, "# nothing here\n");
  auto target = target_for(peer_);
  target.known_hosts_files = {dir_.path() / "missing", empty, peer_.known_hosts_hashed};
  auto session = Session::open(target, kTimeout);
  ASSERT_TRUE(session.has_value()) << session.error().message;
}

// A changed key is refused under every policy, before any login: the key offered here does
// not even exist, so reaching authentication would have produced another error.
class ChangedHostKey : public SessionTest, public ::testing::WithParamInterface<bool> {};

TEST_P(ChangedHostKey, IsRefusedLoudlyBeforeAuthentication) {
  const bool hashed = GetParam();
  make_key(dir_.path() / "impostor");
  const auto known_hosts = dir_.path() / "known_hosts";
  write_file(known_hosts, "# another host\n" + known_hosts_line(peer_.host, peer_.port,
                                                                dir_.path() / "impostor.pub"));
  if (hashed) {
    ASSERT_EQ(run({"ssh-keygen", "-q", "-H", "-f", known_hosts.string()}).exit_code, 0);
    ASSERT_THAT(read_file(known_hosts), HasSubstr("|1|"));
  }
  auto target = target_for(peer_);
  target.known_hosts_files = {known_hosts};
  target.identity_files = {dir_.path() / "no-such-key"};
  for (const auto policy : {HostKeyPolicy::strict, HostKeyPolicy::accept_new}) {
    target.host_key_policy = policy;
    auto session = Session::open(target, kTimeout);
    ASSERT_FALSE(session.has_value());
    EXPECT_EQ(session.error().kind, ErrorKind::permission);
    const auto& message = session.error().message;
    EXPECT_THAT(message, HasSubstr("host key of " + peer_.host + " (port " +
                                   std::to_string(peer_.port) + ") has CHANGED"));
    EXPECT_THAT(message, HasSubstr(known_hosts.string() + ":2"));
    EXPECT_THAT(message, HasSubstr(fingerprint_of(peer_.host_key_pub)));
    EXPECT_THAT(message, HasSubstr("man-in-the-middle"));
    EXPECT_THAT(message, Not(HasSubstr("no-such-key")));
  }
  // accept_new must not have "fixed" the file by adding the new key.
  EXPECT_THAT(read_file(known_hosts), Not(HasSubstr(key_blob(peer_.host_key_pub))));
}

INSTANTIATE_TEST_SUITE_P(PlainAndHashed, ChangedHostKey, ::testing::Bool(),
                         [](const auto& param_info) {
                           return param_info.param ? "Hashed" : "Plain";
                         });

TEST_F(SessionTest, ChangedHostKeyLeavesNoLoginInTheHostsLog) {
  PrivateSshd sshd(dir_.path(), "127.0.0.6", peer_);
  sshd.start();
  ASSERT_FALSE(HasFailure());
  make_key(dir_.path() / "impostor");
  const auto known_hosts = dir_.path() / "changed_known_hosts";
  write_file(known_hosts,
             known_hosts_line(sshd.address(), sshd.port(), dir_.path() / "impostor.pub"));
  auto target = sshd.target();
  target.known_hosts_files = {known_hosts};
  auto session = Session::open(target, kTimeout);
  ASSERT_FALSE(session.has_value());
  EXPECT_THAT(session.error().message, HasSubstr("CHANGED"));
  sshd.kill();
  const std::string log = read_file(sshd.log());
  EXPECT_THAT(log, HasSubstr("Connection from"));
  EXPECT_THAT(log, Not(HasSubstr("publickey"))) << log;
}

TEST_F(SessionTest, UnknownHostIsRefusedUnderStrictWithItsFingerprint) {
  auto target = target_for(peer_);
  const auto known_hosts = dir_.path() / "known_hosts";
  write_file(known_hosts, "");
  target.known_hosts_files = {known_hosts};
  auto session = Session::open(target, kTimeout);
  ASSERT_FALSE(session.has_value());
  EXPECT_EQ(session.error().kind, ErrorKind::permission);
  const auto& message = session.error().message;
  EXPECT_THAT(message, HasSubstr("the SSH host " + peer_.host + " (port " +
                                 std::to_string(peer_.port) + ") is not known"));
  EXPECT_THAT(message, HasSubstr("ssh-ed25519 key " + fingerprint_of(peer_.host_key_pub)));
  EXPECT_THAT(message, HasSubstr("--accept-new-host-keys"));
  EXPECT_EQ(read_file(known_hosts), "");
}

TEST_F(SessionTest, UnknownHostIsRecordedUnderAcceptNew) {
  auto target = target_for(peer_);
  const auto known_hosts = dir_.path() / "new-ssh-dir" / "known_hosts";
  target.known_hosts_files = {known_hosts};
  target.host_key_policy = HostKeyPolicy::accept_new;
  auto session = Session::open(target, kTimeout);
  ASSERT_TRUE(session.has_value()) << session.error().message;

  EXPECT_EQ(read_file(known_hosts), known_hosts_line(peer_.host, peer_.port, peer_.host_key_pub));
  struct stat info {};
  ASSERT_EQ(::stat(known_hosts.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  ASSERT_EQ(::stat(known_hosts.parent_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700);

  // Recorded means known: strict checking now accepts it, and OpenSSH agrees with the file.
  target.host_key_policy = HostKeyPolicy::strict;
  auto again = Session::open(target, kTimeout);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  const auto found = run({"ssh-keygen", "-F", "[" + peer_.host + "]:" + std::to_string(peer_.port),
                          "-f", known_hosts.string()});
  EXPECT_EQ(found.exit_code, 0) << found.out << found.err;
}

TEST_F(SessionTest, WrongUserIsRefusedNamingUserHostAndKeys) {
  auto target = target_for(peer_);
  target.user = "nosuchuser";
  auto session = Session::open(target, kTimeout);
  ASSERT_FALSE(session.has_value());
  EXPECT_EQ(session.error().kind, ErrorKind::permission);
  const auto& message = session.error().message;
  EXPECT_THAT(message, HasSubstr("nosuchuser@" + peer_.host + " (port " +
                                 std::to_string(peer_.port) + ") refused the login"));
  EXPECT_THAT(message, HasSubstr(peer_.key.string() + " (refused)"));
}

TEST_F(SessionTest, EncryptedKeyWithoutAgentIsAClearError) {
  const NoAgent no_agent;
  const auto key = dir_.path() / "id_locked";
  make_key(key, "correct horse battery staple");
  auto target = target_for(peer_);
  target.identity_files = {key};
  target.identities_only = false;
  auto session = Session::open(target, kTimeout);
  ASSERT_FALSE(session.has_value());
  EXPECT_EQ(session.error().kind, ErrorKind::permission);
  const auto& message = session.error().message;
  EXPECT_THAT(message, HasSubstr("the key " + key.string() + " is protected by a passphrase"));
  EXPECT_THAT(message, HasSubstr("SSH_AUTH_SOCK is not set"));
  EXPECT_THAT(message, HasSubstr("ssh-add " + key.string()));
}

TEST_F(SessionTest, AgentKeysComeFirstUnlessIdentitiesOnly) {
  const auto socket = dir_.path() / "agent.sock";
  ChildProcess agent({"ssh-agent", "-D", "-a", socket.string()});
  for (int i = 0; i < 200 && !std::filesystem::exists(socket); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto added = run({"ssh-add", peer_.key.string()}, {}, {{"SSH_AUTH_SOCK", socket.string()}});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const NoAgent restore_later;
  ::setenv("SSH_AUTH_SOCK", socket.c_str(), 1);

  auto target = target_for(peer_);
  target.identity_files = {dir_.path() / "no-such-key"};
  target.identities_only = false;
  auto session = Session::open(target, kTimeout);
  EXPECT_TRUE(session.has_value()) << session.error().message;

  target.identities_only = true;
  auto refused = Session::open(target, kTimeout);
  ASSERT_FALSE(refused.has_value());
  EXPECT_THAT(refused.error().message, HasSubstr("no-such-key (no such file)"));
  EXPECT_THAT(refused.error().message, HasSubstr("IdentitiesOnly"));
  ::unsetenv("SSH_AUTH_SOCK");
}

TEST_F(SessionTest, ClosedPortIsUnavailable) {
  auto target = target_for(peer_);
  target.port = free_port(peer_.host);
  auto session = Session::open(target, kTimeout);
  ASSERT_FALSE(session.has_value());
  EXPECT_EQ(session.error().kind, ErrorKind::unavailable);
  EXPECT_THAT(session.error().message,
              HasSubstr("cannot connect to the SSH host " + peer_.host + " (port " +
                        std::to_string(target.port) + "): connection refused"));
}

}  // namespace
}  // namespace wharf::ssh::test
