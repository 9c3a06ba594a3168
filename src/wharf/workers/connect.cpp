#include "wharf/workers/connect.hpp"

#include <thread>
#include <variant>

#include "wharf/connect/engine_route.hpp"

namespace wharf::workers {
namespace {

Error about_worker(const WorkerEntry& entry, const std::string& address, Error error) {
  error.message = "worker " + entry.name + " (" + (address.empty() ? entry.host : address) +
                  "): " + error.message;
  return error;
}

// What `entry` names, in the factory's terms: an engine address ("local" is the one wharf
// itself uses), or an SSH destination with the inventory's socket, key and known_hosts.
Result<connect::EngineAddress> engine_address(const WorkerEntry& entry,
                                              const ConnectOptions& options) {
  switch (entry.kind) {
    case WorkerKind::local: {
      auto host = engine::resolve_docker_host(options.local_host, options.environment);
      if (!host) {
        return std::unexpected(host.error());
      }
      return connect::EngineAddress(std::move(*host));
    }
    case WorkerKind::engine:
      return connect::EngineAddress(*entry.engine);
    case WorkerKind::ssh:
      break;
  }
  connect::SshEngine engine;
  engine.destination = *entry.ssh;
  engine.remote_socket = entry.remote_socket;
  engine.known_hosts = entry.known_hosts;
  engine.identity_file = entry.identity_file;
  if (options.accept_new_host_keys) {
    engine.host_key_policy = ssh::HostKeyPolicy::accept_new;
  }
  return connect::EngineAddress(std::move(engine));
}

}  // namespace

ConnectedWorker connect_worker(const WorkerEntry& entry, const ConnectOptions& options) {
  ConnectedWorker connected;
  connected.entry = entry;
  auto address = engine_address(entry, options);
  if (!address) {
    connected.error = about_worker(entry, {}, address.error());
    return connected;
  }
  // An engine address is known as written; an SSH destination's only once ssh_config has
  // told its user, host name and port.
  if (const auto* host = std::get_if<engine::DockerHost>(&*address)) {
    connected.address = host->address;
  }
  auto route = connect::route_to(*address, options.ssh);
  if (!route) {
    connected.error = about_worker(entry, connected.address, route.error());
    return connected;
  }
  connected.address = route->host.address;
  if (entry.kind == WorkerKind::ssh) {
    connected.ssh = route->ssh;
  }
  auto client = connect::connect_engine(*route, options.timeout);
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
  options.accept_new_host_keys = accept_new_host_keys;
  auto ssh = connect::SshSettings::load(ssh::SshDefaults::from_process());
  if (!ssh) {
    return std::unexpected(ssh.error());
  }
  options.ssh = std::move(*ssh);
  return options;
}

}  // namespace wharf::workers
