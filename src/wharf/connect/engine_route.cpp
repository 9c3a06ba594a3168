#include "wharf/connect/engine_route.hpp"

#include "wharf/transport/tcp_connector.hpp"
#include "wharf/transport/unix_connector.hpp"

namespace wharf::connect {
namespace {

Result<EngineRoute> ssh_route(const SshEngine& engine, const SshSettings& settings) {
  auto target = resolve_ssh_engine(engine, settings);
  if (!target) {
    return std::unexpected(target.error());
  }
  EngineRoute route;
  route.host.scheme = engine::HostScheme::ssh;
  route.host.address = engine.address.empty() ? ssh_address(*target) : engine.address;
  route.host.host = target->host_name;
  route.host.port = target->port;
  route.host.user = target->user;
  route.ssh = ssh::make_ssh_connector(std::move(*target), engine.remote_socket, route.host.address);
  route.connector = route.ssh;
  return route;
}

// unix:// and tcp://, which need nothing but the address.
EngineRoute direct_route(const engine::DockerHost& host) {
  EngineRoute route;
  route.host = host;
  route.connector = host.scheme == engine::HostScheme::unix_socket
                        ? transport::make_unix_connector(host.socket_path, host.address)
                        : transport::make_tcp_connector(host.address);
  return route;
}

// An ssh:// address keeps the DockerHost it was parsed into: its address is what the user
// wrote, canonicalised, and messages name it.
Result<EngineRoute> ssh_host_route(const engine::DockerHost& host, const SshSettings& settings) {
  auto route = ssh_route(ssh_engine_of(host), settings);
  if (route) {
    route->host = host;
  }
  return route;
}

}  // namespace

Result<EngineRoute> route_to(const EngineAddress& address, const SshSettings& settings) {
  if (const auto* engine = std::get_if<SshEngine>(&address)) {
    return ssh_route(*engine, settings);
  }
  const auto& host = std::get<engine::DockerHost>(address);
  if (host.scheme == engine::HostScheme::ssh) {
    return ssh_host_route(host, settings);
  }
  return direct_route(host);
}

Result<EngineRoute> route_to(const engine::DockerHost& host) {
  if (host.scheme != engine::HostScheme::ssh) {
    return direct_route(host);
  }
  auto settings = SshSettings::load(ssh::SshDefaults::from_process());
  if (!settings) {
    return std::unexpected(settings.error());
  }
  return ssh_host_route(host, *settings);
}

Result<std::shared_ptr<transport::Connector>> make_connector(const engine::DockerHost& host) {
  auto route = route_to(host);
  if (!route) {
    return std::unexpected(route.error());
  }
  return std::move(route->connector);
}

Result<engine::EngineClient> connect_engine(const EngineRoute& route,
                                            std::chrono::milliseconds timeout) {
  return engine::EngineClient::connect(route.host, route.connector, timeout);
}

Result<engine::EngineClient> connect_engine(const engine::DockerHost& host,
                                            std::chrono::milliseconds timeout) {
  auto route = route_to(host);
  if (!route) {
    return std::unexpected(route.error());
  }
  return connect_engine(*route, timeout);
}

}  // namespace wharf::connect
