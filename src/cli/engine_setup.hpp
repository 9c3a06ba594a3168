#pragma once

// The one way a command reaches its Docker engine: --host, else DOCKER_HOST, else the local
// socket.

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "wharf/engine/engine_client.hpp"

namespace wharf::cli {

/// Adds --host to `command`, stored in `host`.
void add_host_option(CLI::App& command, std::optional<std::string>& host);

/// The engine of `host` (--host), else DOCKER_HOST, else unix:///var/run/docker.sock, pinged
/// and its API version agreed; the connector's sentence when it cannot be reached.
[[nodiscard]] Result<engine::EngineClient> connect_engine(const std::optional<std::string>& host);

}  // namespace wharf::cli
