#pragma once

// Shared by the SSH integration tests: the SSH peers that tools/test.sh started, a private
// sshd a test may kill, and small process and socket helpers.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "wharf/ssh/ssh_target.hpp"

namespace wharf::ssh::test {

/// One SSH peer host of the harness ("a" or "b"): sshd on 127.0.0.x whose Docker socket is
/// a private engine's.
struct SshPeer {
  std::string host;
  std::uint16_t port = 0;
  std::string docker_socket;  ///< The engine's socket path on that "host".
  std::string user;
  std::filesystem::path key;  ///< ed25519, no passphrase
  std::filesystem::path known_hosts;
  std::filesystem::path known_hosts_hashed;
  std::filesystem::path host_key_pub;  ///< The sshd's public host key.
};

/// Reads WHARF_TEST_SSH_* for peer "A" or "B"; records a test failure when one is missing.
[[nodiscard]] SshPeer ssh_peer(char which);

/// A target for `peer` that uses only the harness's key and known_hosts (never the agent or
/// ~/.ssh, so that the machine's own files cannot change a result).
[[nodiscard]] SshTarget target_for(const SshPeer& peer);

/// "SHA256:…" of a public key file, from ssh-keygen -l.
[[nodiscard]] std::string fingerprint_of(const std::filesystem::path& public_key);

/// Generates an ed25519 key pair at `path` (and path.pub), with `passphrase`.
void make_key(const std::filesystem::path& path, const std::string& passphrase = {});

/// ESTABLISHED TCP connections of this process to host:port (IPv4), from /proc.
[[nodiscard]] std::size_t tcp_connections_to(const std::string& host, std::uint16_t port);

/// A TCP port on `host` that nothing listens on right now.
[[nodiscard]] std::uint16_t free_port(const std::string& host);

/// A child process started without a shell, killed (SIGKILL) with all its descendants and
/// reaped on destruction unless it was stopped already.
class ChildProcess {
 public:
  ChildProcess() = default;
  explicit ChildProcess(const std::vector<std::string>& argv,
                        const std::filesystem::path& output = "/dev/null");
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  [[nodiscard]] pid_t pid() const { return pid_; }
  /// SIGKILL to every descendant (sshd's per-connection processes), then to the process.
  void kill_tree();
  /// Drops a process the caller already reaped, so nothing signals its pid again.
  void forget() { pid_ = -1; }

 private:
  pid_t pid_ = -1;
};

/// An sshd of the test's own on `address` (127.0.0.x), with a fresh host key, accepting the
/// harness's client key and allowing forwarding to Unix sockets — so a test may kill it.
class PrivateSshd {
 public:
  /// `log_level` is sshd's LogLevel (DEBUG shows each keepalive it receives).
  PrivateSshd(const std::filesystem::path& dir, std::string address, const SshPeer& peer,
              const std::string& log_level = "VERBOSE");

  /// Starts (or restarts, on the same port with the same host key) and waits until it
  /// listens; records a test failure when it does not within 10 s.
  void start();
  /// Kills the listener and every session it forked, as a crash or power loss would.
  void kill();
  /// Kills every session but not the listener, as a dropped TCP connection would: clients
  /// can connect again at once.
  void drop_connections();

  [[nodiscard]] const std::string& address() const { return address_; }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] const std::filesystem::path& log() const { return log_; }
  [[nodiscard]] const std::filesystem::path& host_key_pub() const { return host_key_pub_; }
  /// A known_hosts file that records this sshd's host key.
  [[nodiscard]] const std::filesystem::path& known_hosts() const { return known_hosts_; }
  /// A target for this sshd, with the harness's key and known_hosts().
  [[nodiscard]] SshTarget target() const;

 private:
  std::filesystem::path dir_;
  std::string address_;
  SshPeer peer_;
  std::uint16_t port_ = 0;
  std::filesystem::path log_;
  std::filesystem::path host_key_pub_;
  std::filesystem::path known_hosts_;
  ChildProcess process_;
};

using Millis = std::chrono::duration<double, std::milli>;

/// The median and 90th percentile of `samples` (sorted in place).
struct LatencySummary {
  double median_ms = 0;
  double p90_ms = 0;
};
[[nodiscard]] LatencySummary summarize(std::vector<double>& samples_ms);

}  // namespace wharf::ssh::test
