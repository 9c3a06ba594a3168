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

  /// The account of this process's real uid from the password database, as ssh does; falls
  /// back to $USER and $HOME when the uid has no entry (common in containers).
  [[nodiscard]] static SshDefaults from_process();

  /// `home`/.ssh/config, the file ssh reads for the user.
  [[nodiscard]] std::filesystem::path user_config() const { return home / ".ssh" / "config"; }
};

}  // namespace wharf::ssh
