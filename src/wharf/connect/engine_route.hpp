#pragma once

// The one place that turns an engine address into the transport that reaches it. It sits
// above engine/ and ssh/ so that neither knows the other: the engine speaks HTTP over any
// transport::Connector, and SSH is one of them.

#include <chrono>
#include <memory>
#include <variant>

#include "wharf/connect/ssh_engine.hpp"
#include "wharf/core/error.hpp"
#include "wharf/engine/docker_host.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/ssh/ssh_connector.hpp"
#include "wharf/transport/connector.hpp"

namespace wharf::connect {

/// An engine to reach: a parsed address (`unix://`, `tcp://`, `ssh://`, from --host,
/// DOCKER_HOST or an inventory) or an SSH engine with an inventory's settings.
using EngineAddress = std::variant<engine::DockerHost, SshEngine>;

/// How one engine is reached; no I/O has happened yet.
struct EngineRoute {
  /// What the EngineClient reports as its host; host.address names the engine in messages.
  engine::DockerHost host;
  std::shared_ptr<transport::Connector> connector;
  /// The same connector when the route is SSH (its stats, e.g. for `workers check`).
  std::shared_ptr<ssh::SshConnector> ssh;
};

/// The route to `address`: a Unix or TCP connector for unix:// and tcp://, else one SSH
/// session to the host, resolved under `settings` as `ssh host` would (see
/// resolve_ssh_engine()). Only SSH can fail, with the ssh_config resolver's sentence.
[[nodiscard]] Result<EngineRoute> route_to(const EngineAddress& address,
                                           const SshSettings& settings);

/// The same for a parsed address, reading this process's ~/.ssh/config only when `host` is
/// ssh://, so that a broken ssh_config never stands in the way of a local engine.
[[nodiscard]] Result<EngineRoute> route_to(const engine::DockerHost& host);

/// The connector of route_to(host).
[[nodiscard]] Result<std::shared_ptr<transport::Connector>> make_connector(
    const engine::DockerHost& host);

/// Reaches the engine of `route` and negotiates its API version (EngineClient::connect()).
[[nodiscard]] Result<engine::EngineClient> connect_engine(
    const EngineRoute& route, std::chrono::milliseconds timeout = engine::kDefaultCallTimeout);

/// route_to(host), then connect_engine(): the engine of one --host or DOCKER_HOST address.
[[nodiscard]] Result<engine::EngineClient> connect_engine(
    const engine::DockerHost& host,
    std::chrono::milliseconds timeout = engine::kDefaultCallTimeout);

}  // namespace wharf::connect
