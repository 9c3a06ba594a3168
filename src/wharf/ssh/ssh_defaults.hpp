#pragma once

#include <filesystem>
#include <string>

namespace wharf::ssh {

/// What ssh takes from the local account: the login used when nothing names one, and the
/// home directory that `~` and `%d` stand for. Passed in explicitly so that reading and
/// resolving ssh_config stay testable without touching the real account.
struct SshDefaults {
  std::string local_user;      ///< May be empty when the account has no name.
  std::filesystem::path home;  ///< May be empty; `~` then cannot be expanded.

  /// The user of this process's real uid from the password database (else $USER), and the
  /// home directory from $HOME when it is set (else the password database). ssh itself
  /// ignores $HOME; wharf honours it, like git and the docker CLI do, so that a CI job or a
  /// container can point wharf at its own ~/.ssh, and so the SSH session's default keys and
  /// known_hosts and this config agree on one home.
  [[nodiscard]] static SshDefaults from_process();

  /// `home`/.ssh/config, the file ssh reads for the user.
  [[nodiscard]] std::filesystem::path user_config() const { return home / ".ssh" / "config"; }
};

}  // namespace wharf::ssh
