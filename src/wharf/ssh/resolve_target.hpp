#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/ssh/ssh_config.hpp"
#include "wharf/ssh/ssh_defaults.hpp"
#include "wharf/ssh/ssh_target.hpp"

namespace wharf::ssh {

/// What the user gave explicitly for one host — an `ssh://user@host:port` URL, a worker's
/// inventory entry or a wharf flag. Explicit values beat ssh_config, as `ssh user@host` and
/// `ssh -p` do.
struct SshOverrides {
  std::optional<std::string> user;
  std::optional<std::uint16_t> port;
  /// Offered before the configured IdentityFiles, like `ssh -i`; `~` and % tokens expand.
  std::vector<std::filesystem::path> identity_files;
  /// Checked before the configured (or default) known_hosts files, and new keys are recorded
  /// in the first of them; `~` and % tokens expand.
  std::vector<std::filesystem::path> known_hosts_files;
  std::optional<HostKeyPolicy> host_key_policy;  ///< e.g. --accept-new-host-keys
  std::optional<std::chrono::milliseconds> connect_timeout;
};

/// The SshTarget for `alias` (the host name as the user wrote it), applying `config` the way
/// ssh does: `Host` patterns are matched against `alias` exactly (case-sensitive); for each
/// keyword the first value obtained from an applying block wins, except IdentityFile, whose
/// values accumulate (duplicates dropped). Then:
/// - host_name: HostName with %h (= alias) and %% expanded, else `alias`; lowercased unless it
///   is an IP address, as ssh does before connecting.
/// - user: explicit, else User, else `defaults.local_user`.
/// - port: explicit, else Port, else 22.
/// - identity_files: the explicit ones, then IdentityFile values, each `~`-expanded and then
///   %-expanded with %d (home), %u (local user), %h (host_name), %r (user), %n (alias),
///   %p (port) and %%. `IdentityFile none` entries are dropped. Left empty when nothing is
///   configured, which means SshTarget's defaults.
/// - known_hosts_files: the explicit ones, then UserKnownHostsFile (expanded like identity
///   files; `none` becomes /dev/null, so nothing is read or recorded), else
///   ~/.ssh/known_hosts. Never empty.
/// - host_key_policy: explicit, else StrictHostKeyChecking, else strict.
/// - connect_timeout: explicit, else ConnectTimeout (0, ssh's "wait as long as TCP does",
///   becomes kDefaultConnectTimeout because wharf always bounds the wait), else the default.
/// Fails with ErrorKind::invalid_input for an empty alias, and for a value whose expansion
/// fails (unknown % token, `~user`, unknown home), naming "file:line" and the value.
[[nodiscard]] Result<SshTarget> resolve_ssh_target(const SshConfig& config, std::string_view alias,
                                                   const SshOverrides& explicit_values,
                                                   const SshDefaults& defaults);

}  // namespace wharf::ssh
