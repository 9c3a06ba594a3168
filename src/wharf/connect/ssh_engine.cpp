#include "wharf/connect/ssh_engine.hpp"

#include <algorithm>

#include "wharf/ssh/resolve_target.hpp"

namespace wharf::connect {

Result<SshSettings> SshSettings::load(ssh::SshDefaults defaults) {
  auto config = ssh::load_ssh_config(defaults.user_config(), defaults);
  if (!config) {
    return std::unexpected(config.error());
  }
  return SshSettings{std::move(*config), std::move(defaults)};
}

SshEngine ssh_engine_of(const engine::DockerHost& host) {
  SshEngine engine;
  engine.destination.host = host.host;
  if (!host.user.empty()) {
    engine.destination.user = host.user;
  }
  if (host.port != engine::kSshPort) {
    engine.destination.port = host.port;
  }
  engine.remote_socket = std::string(engine::kDefaultDockerSocket);
  engine.address = host.address;
  return engine;
}

Result<ssh::SshTarget> resolve_ssh_engine(const SshEngine& engine, const SshSettings& settings) {
  auto overrides = engine.destination.overrides();
  if (engine.identity_file) {
    overrides.identity_files.push_back(*engine.identity_file);
  }
  if (engine.known_hosts) {
    overrides.known_hosts_files.push_back(*engine.known_hosts);
  }
  overrides.host_key_policy = engine.host_key_policy;
  auto target = ssh::resolve_ssh_target(settings.config, engine.destination.host, overrides,
                                        settings.defaults);
  if (!target) {
    return std::unexpected(target.error());
  }
  if (engine.known_hosts && target->known_hosts_files.size() > 1) {
    // The explicit file is checked, but new keys (--accept-new-host-keys) are recorded in the
    // user's own known_hosts, never in a file that is likely committed next to the inventory.
    auto& files = target->known_hosts_files;
    std::rotate(files.begin(), files.begin() + 1, files.end());
  }
  return target;
}

std::string ssh_address(const ssh::SshTarget& target) {
  const bool ipv6 = target.host_name.find(':') != std::string::npos;
  return "ssh://" + target.user + "@" + (ipv6 ? "[" + target.host_name + "]" : target.host_name) +
         ":" + std::to_string(target.port);
}

}  // namespace wharf::connect
