#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace wharf::ssh {

/// What to do with a host key that known_hosts does not vouch for. A key that differs from
/// a recorded one is refused under every policy: that is how a man in the middle looks.
enum class HostKeyPolicy {
  /// Refuse a host that has no entry (ssh_config `StrictHostKeyChecking yes` or `ask`,
  /// since wharf never prompts).
  strict,
  /// Accept a host that has no entry and record its key in the first known_hosts file
  /// (`StrictHostKeyChecking accept-new`, `no`, `off`; wharf's --accept-new-host-keys).
  accept_new,
};

inline constexpr std::uint16_t kDefaultSshPort = 22;
inline constexpr std::chrono::milliseconds kDefaultConnectTimeout{10'000};

/// Everything needed to open one SSH session, after ssh_config has been applied. It is the
/// meeting point of the ssh_config reader (which fills it) and the session (which uses it).
struct SshTarget {
  /// The name the user wrote (an ssh_config alias or a host name); used in messages.
  std::string alias;
  /// What to connect to (ssh_config `HostName`, else the alias).
  std::string host_name;
  std::uint16_t port = kDefaultSshPort;
  /// The login; empty means the local user's name.
  std::string user;
  /// Keys to offer, in order. Empty means the defaults ~/.ssh/id_ed25519, id_ecdsa, id_rsa
  /// (those that exist).
  std::vector<std::filesystem::path> identity_files;
  /// Offer only identity_files, never the ssh-agent's keys (ssh_config `IdentitiesOnly`).
  bool identities_only = false;
  /// Where host keys are checked, in order; new keys are recorded in the first. Empty means
  /// ~/.ssh/known_hosts.
  std::vector<std::filesystem::path> known_hosts_files;
  HostKeyPolicy host_key_policy = HostKeyPolicy::strict;
  std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;
};

}  // namespace wharf::ssh
