#include "wharf/workers/connect.hpp"

#include <algorithm>
#include <thread>

#include "wharf/ssh/resolve_target.hpp"

namespace wharf::workers {
namespace {

std::string ssh_address(const ssh::SshTarget& target) {
  const bool ipv6 = target.host_name.find(':') != std::string::npos;
  return "ssh://" + target.user + "@" + (ipv6 ? "[" + target.host_name + "]" : target.host_name) +
         ":" + std::to_string(target.port);
}

Error about_worker(const WorkerEntry& entry, const std::string& address, Error error) {
  error.message = "worker " + entry.name + " (" + (address.empty() ? entry.host : address) +
                  "): " + error.message;
  return error;
}

Result<engine::DockerHost> engine_host(const WorkerEntry& entry, const ConnectOptions& options) {
  if (entry.kind == WorkerKind::engine) {
    return *entry.engine;
  }
  return engine::resolve_docker_host(options.local_host, options.environment);
}

}  // namespace

ConnectedWorker connect_worker(const WorkerEntry& entry, const ConnectOptions& options) {
  ConnectedWorker connected;
  connected.entry = entry;
  if (entry.kind != WorkerKind::ssh) {
    auto host = engine_host(entry, options);
    if (!host) {
      connected.error = about_worker(entry, {}, host.error());
      return connected;
    }
    connected.address = host->address;
    auto client = engine::EngineClient::connect(*host, options.timeout);
    if (client) {
      connected.engine.emplace(std::move(*client));
    } else {
      connected.error = about_worker(entry, connected.address, client.error());
    }
    return connected;
  }

  auto overrides = entry.ssh->overrides();
  if (entry.identity_file) {
    overrides.identity_files.push_back(*entry.identity_file);
  }
  if (entry.known_hosts) {
    overrides.known_hosts_files.push_back(*entry.known_hosts);
  }
  if (options.accept_new_host_keys) {
    overrides.host_key_policy = ssh::HostKeyPolicy::accept_new;
  }
  auto target =
      ssh::resolve_ssh_target(options.ssh_config, entry.ssh->host, overrides, options.ssh_defaults);
  if (!target) {
    connected.error = about_worker(entry, {}, target.error());
    return connected;
  }
  if (entry.known_hosts && target->known_hosts_files.size() > 1) {
    // The inventory's file is checked, but new keys (--accept-new-host-keys) are recorded in
    // the user's own known_hosts, never in a file that is likely committed next to the
    // inventory.
    auto& files = target->known_hosts_files;
    std::rotate(files.begin(), files.begin() + 1, files.end());
  }
  connected.address = ssh_address(*target);
  engine::DockerHost host;
  host.scheme = engine::HostScheme::ssh;
  host.address = connected.address;
  host.host = target->host_name;
  host.port = target->port;
  host.user = target->user;
  connected.ssh = ssh::make_ssh_connector(*target, entry.remote_socket, connected.address);
  auto client = engine::EngineClient::connect(host, connected.ssh, options.timeout);
  if (client) {
    connected.engine.emplace(std::move(*client));
  } else {
    connected.error = about_worker(entry, connected.address, client.error());
  }
  return connected;
}

std::vector<ConnectedWorker> connect_workers(const Inventory& inventory,
                                             const ConnectOptions& options) {
  std::vector<ConnectedWorker> connected(inventory.workers.size());
  {
    std::vector<std::jthread> threads;
    threads.reserve(inventory.workers.size());
    for (std::size_t index = 0; index < inventory.workers.size(); ++index) {
      threads.emplace_back(
          [&, index] { connected[index] = connect_worker(inventory.workers[index], options); });
    }
  }
  return connected;
}

Result<ConnectOptions> default_connect_options(std::optional<std::string> local_host,
                                               bool accept_new_host_keys) {
  ConnectOptions options;
  options.local_host = std::move(local_host);
  options.environment = engine::DockerEnvironment::from_process();
  options.ssh_defaults = ssh::SshDefaults::from_process();
  options.accept_new_host_keys = accept_new_host_keys;
  auto config = ssh::load_ssh_config(options.ssh_defaults.user_config(), options.ssh_defaults);
  if (!config) {
    return std::unexpected(config.error());
  }
  options.ssh_config = std::move(*config);
  return options;
}

}  // namespace wharf::workers
