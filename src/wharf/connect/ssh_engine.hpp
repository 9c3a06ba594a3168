#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "wharf/core/error.hpp"
#include "wharf/engine/docker_host.hpp"
#include "wharf/ssh/ssh_config.hpp"
#include "wharf/ssh/ssh_connector.hpp"
#include "wharf/ssh/ssh_defaults.hpp"
#include "wharf/ssh/ssh_target.hpp"
#include "wharf/ssh/ssh_url.hpp"

namespace wharf::connect {

/// ~/.ssh/config and the user it is read for: what every SSH destination is resolved under,
/// as `ssh host` would.
struct SshSettings {
  ssh::SshConfig config;
  ssh::SshDefaults defaults;

  /// Reads `defaults.user_config()`; a missing file is an empty config. Fails with the
  /// reader's sentence ("file:line" and the offending text) for a config that cannot be used.
  [[nodiscard]] static Result<SshSettings> load(ssh::SshDefaults defaults);
};

/// A Docker engine behind an SSH host, as an ssh:// engine address or an inventory's ssh
/// worker names it. Only what was given explicitly is set, so that ssh_config fills the rest.
struct SshEngine {
  /// The host as written (its alias for ssh_config), with the user and port only when given.
  ssh::SshUrl destination;
  /// The engine's Unix socket on that host.
  std::string remote_socket = std::string(ssh::kDefaultRemoteDockerSocket);
  /// A known_hosts file checked before the configured ones (an inventory's `known_hosts`).
  std::optional<std::filesystem::path> known_hosts;
  /// A key offered before the configured ones (an inventory's `identity_file`).
  std::optional<std::filesystem::path> identity_file;
  /// Beats StrictHostKeyChecking when set (--accept-new-host-keys).
  std::optional<ssh::HostKeyPolicy> host_key_policy;
  /// Names the engine in messages; empty means "ssh://user@host:port" of the resolved target.
  std::string address;
};

/// The SshEngine an ssh:// DockerHost names: its host and user, and its port only when it is
/// not 22 — a DockerHost always carries a port, so only another one counts as explicit and
/// ssh_config's Port applies otherwise. The engine keeps the DockerHost's address.
[[nodiscard]] SshEngine ssh_engine_of(const engine::DockerHost& host);

/// The SshTarget of `engine` under `settings` (see ssh::resolve_ssh_target()): the explicit
/// key and known_hosts file first, then ssh_config's. New host keys are recorded in the
/// user's own known_hosts even when `engine.known_hosts` is checked first: that file is
/// likely committed next to the inventory. Fails with the resolver's sentence.
[[nodiscard]] Result<ssh::SshTarget> resolve_ssh_engine(const SshEngine& engine,
                                                        const SshSettings& settings);

/// "ssh://user@host:port" for a resolved target, the host in brackets when it is IPv6.
[[nodiscard]] std::string ssh_address(const ssh::SshTarget& target);

}  // namespace wharf::connect
