#include "integration/ssh/ssh_fixture.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wharf/util/fd.hpp"

#include "support/peers.hpp"

extern char** environ;

namespace wharf::ssh::test {
namespace {

using wharf::test::peer_env;
using wharf::test::read_file;
using wharf::test::run;
using wharf::test::write_file;

std::uint16_t to_port(const std::string& text) {
  return text.empty() ? 0 : static_cast<std::uint16_t>(std::stoi(text));
}

// The parent of `pid` from /proc/<pid>/stat; 0 when it is gone.
pid_t parent_of(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) {
    return 0;
  }
  std::istringstream rest(stat.substr(close + 2));
  char state = 0;
  pid_t parent = 0;
  rest >> state >> parent;
  return parent;
}

// Whether `pid` still runs: it is listed and is not a zombie (whose files are closed).
bool has_not_exited(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z' &&
         stat[close + 2] != 'X';
}

// Every process whose ancestry leads to `root`, from the parent pids in /proc/*/stat.
std::vector<pid_t> descendants_of(pid_t root) {
  std::multimap<pid_t, pid_t> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) {
      continue;
    }
    const auto pid = static_cast<pid_t>(std::stoi(name));
    children.emplace(parent_of(pid), pid);
  }
  std::vector<pid_t> found;
  std::vector<pid_t> queue{root};
  while (!queue.empty()) {
    const pid_t next = queue.back();
    queue.pop_back();
    const auto [begin, end] = children.equal_range(next);
    for (auto it = begin; it != end; ++it) {
      found.push_back(it->second);
      queue.push_back(it->second);
    }
  }
  return found;
}

}  // namespace

SshPeer ssh_peer(char which) {
  const std::string suffix(1, which);
  SshPeer peer;
  peer.host = peer_env(("WHARF_TEST_SSH_HOST_" + suffix).c_str());
  peer.port = to_port(peer_env(("WHARF_TEST_SSH_PORT_" + suffix).c_str()));
  peer.docker_socket = peer_env(("WHARF_TEST_SSH_SOCKET_" + suffix).c_str());
  peer.user = peer_env("WHARF_TEST_SSH_USER");
  peer.key = peer_env("WHARF_TEST_SSH_KEY");
  peer.known_hosts = peer_env("WHARF_TEST_SSH_KNOWN_HOSTS");
  peer.known_hosts_hashed = peer_env("WHARF_TEST_SSH_KNOWN_HOSTS_HASHED");
  const std::string peers_dir = peer_env("WHARF_TEST_PEERS_DIR");
  peer.host_key_pub = std::filesystem::path(peers_dir) /
                      ("ssh-" + std::string(1, static_cast<char>(std::tolower(which)))) /
                      "host_ed25519_key.pub";
  return peer;
}

SshTarget target_for(const SshPeer& peer) {
  SshTarget target;
  target.alias = peer.host;
  target.host_name = peer.host;
  target.port = peer.port;
  target.user = peer.user;
  target.identity_files = {peer.key};
  target.identities_only = true;
  target.known_hosts_files = {peer.known_hosts};
  target.host_key_policy = HostKeyPolicy::strict;
  target.connect_timeout = std::chrono::seconds(5);
  return target;
}

std::string fingerprint_of(const std::filesystem::path& public_key) {
  const auto out = run({"ssh-keygen", "-l", "-E", "sha256", "-f", public_key.string()});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  std::istringstream words(out.out);
  std::string bits;
  std::string fingerprint;
  words >> bits >> fingerprint;
  return fingerprint;
}

void make_key(const std::filesystem::path& path, const std::string& passphrase) {
  const auto out = run({"ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "wharf-test",
                        "-f", path.string()});
  ASSERT_EQ(out.exit_code, 0) << out.err;
}

std::size_t tcp_connections_to(const std::string& host, std::uint16_t port) {
  std::set<std::string> own_sockets;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const auto target = std::filesystem::read_symlink(entry.path(), error).string();
    if (!error && target.starts_with("socket:[")) {
      own_sockets.insert(target.substr(8, target.size() - 9));
    }
  }
  in_addr address{};
  ::inet_pton(AF_INET, host.c_str(), &address);
  char remote[32];
  std::snprintf(remote, sizeof remote, "%08X:%04X", address.s_addr, port);
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // The header.
  // By inode: /proc/net/tcp is read in chunks while other processes open and close
  // connections, and the kernel may list a socket twice when the table changes between them.
  std::set<std::string> counted;
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, rem, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> slot >> local >> rem >> state >> queues >> timer >> retransmits >> uid >> timeout >>
        inode;
    if (rem == remote && state == "01" && own_sockets.contains(inode)) {
      counted.insert(inode);
    }
  }
  return counted.size();
}

std::uint16_t free_port(const std::string& host) {
  const Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  EXPECT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);
  return ntohs(address.sin_port);
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::filesystem::path& output) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  const int rc = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ADD_FAILURE() << "cannot start " << argv[0] << ": " << std::strerror(rc);
    pid_ = -1;
  }
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(std::exchange(other.pid_, -1)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_tree();
    pid_ = std::exchange(other.pid_, -1);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  kill_tree();
}

void ChildProcess::kill_tree() {
  if (pid_ <= 0) {
    return;
  }
  const auto descendants = descendants_of(pid_);
  for (const pid_t child : descendants) {
    ::kill(child, SIGKILL);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  // The descendants are not ours to reap, but the caller expects them gone (a killed sshd's
  // listening socket closed) when this returns: wait until each has exited.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (const pid_t child : descendants) {
    while (has_not_exited(child) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

PrivateSshd::PrivateSshd(const std::filesystem::path& dir, std::string address, const SshPeer& peer,
                         const std::string& log_level)
    : dir_(dir), address_(std::move(address)), peer_(peer) {
  port_ = free_port(address_);
  log_ = dir_ / "sshd.log";
  host_key_pub_ = dir_ / "host_ed25519_key.pub";
  known_hosts_ = dir_ / "known_hosts";
  make_key(dir_ / "host_ed25519_key");
  write_file(dir_ / "authorized_keys", read_file(peer_.key.string() + ".pub"));
  std::ostringstream config;
  config << "ListenAddress " << address_ << ":" << port_ << "\n"
         << "HostKey " << (dir_ / "host_ed25519_key").string() << "\n"
         << "PidFile " << (dir_ / "sshd.pid").string() << "\n"
         << "AuthorizedKeysFile " << (dir_ / "authorized_keys").string() << "\n"
         << "UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
         << "PubkeyAuthentication yes\nPasswordAuthentication no\n"
         << "KbdInteractiveAuthentication no\nAuthenticationMethods publickey\n"
         << "AllowStreamLocalForwarding yes\n"
         // sshd checks AllowTcpForwarding before it opens a direct-streamlocal channel too.
         << "AllowTcpForwarding local\nX11Forwarding no\nPrintMotd no\nUseDNS no\n"
         << "MaxStartups 64:30:128\nMaxSessions 64\nLogLevel " << log_level << "\n";
  write_file(dir_ / "sshd_config", config.str());
  const std::string pub = read_file(host_key_pub_);
  const auto space = pub.find(' ', pub.find(' ') + 1);
  write_file(known_hosts_,
             "[" + address_ + "]:" + std::to_string(port_) + " " + pub.substr(0, space) + "\n");
  std::filesystem::create_directories("/run/sshd");
}

void PrivateSshd::start() {
  std::filesystem::remove(dir_ / "sshd.pid");
  // In a PID namespace of its own, with sshd as its init: killing sshd makes the kernel kill
  // every session it forked, even one forked while kill() walks the process tree (a client
  // reconnecting at that moment would otherwise keep a session on a host that is "dead").
  process_ = ChildProcess({"/usr/bin/unshare", "--pid", "--fork", "--kill-child", "/usr/sbin/sshd",
                           "-D", "-f", (dir_ / "sshd_config").string(), "-E", log_.string()},
                          dir_ / "unshare.out");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    // sshd writes its PidFile (its PID in its namespace: 1) once it listens.
    if (!read_file(dir_ / "sshd.pid").empty()) {
      return;
    }
    // unshare needs CAP_SYS_ADMIN; without it (or when sshd refuses its config) it ends at once.
    if (int status = 0; ::waitpid(process_.pid(), &status, WNOHANG) == process_.pid()) {
      process_.forget();
      ADD_FAILURE() << "the private sshd on " << address_ << ":" << port_
                    << " exited at once; unshare said:\n"
                    << read_file(dir_ / "unshare.out") << "sshd's log:\n"
                    << read_file(log_);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "the private sshd on " << address_ << ":" << port_
                << " did not start; its log:\n"
                << read_file(log_);
}

void PrivateSshd::kill() {
  process_.kill_tree();
}

void PrivateSshd::drop_connections() {
  // unshare -> sshd (the listener) -> one process per connection and its privilege-separated
  // children.
  const auto below_unshare = descendants_of(process_.pid());
  std::set<pid_t> listener_and_above{process_.pid()};
  for (const pid_t pid : below_unshare) {
    if (parent_of(pid) == process_.pid()) {
      listener_and_above.insert(pid);
    }
  }
  for (const pid_t pid : below_unshare) {
    if (!listener_and_above.contains(pid)) {
      ::kill(pid, SIGKILL);
    }
  }
}

SshTarget PrivateSshd::target() const {
  SshTarget target = target_for(peer_);
  target.alias = address_;
  target.host_name = address_;
  target.port = port_;
  target.known_hosts_files = {known_hosts_};
  return target;
}

LatencySummary summarize(std::vector<double>& samples_ms) {
  if (samples_ms.empty()) {
    return {};
  }
  std::sort(samples_ms.begin(), samples_ms.end());
  return {samples_ms[samples_ms.size() / 2], samples_ms[samples_ms.size() * 9 / 10]};
}

}  // namespace wharf::ssh::test
