#pragma once

// The one way a command reaches its Docker engine: the global --host, else DOCKER_HOST, else
// the local socket.

#include <optional>
#include <string>

#include "wharf/engine/engine_client.hpp"

namespace wharf::cli {

/// The engine of `host` (the global --host, GlobalOptions::host), else DOCKER_HOST, else
/// unix:///var/run/docker.sock, pinged and its API version agreed; the connector's sentence when it
/// cannot be reached.
[[nodiscard]] Result<engine::EngineClient> connect_engine(const std::optional<std::string>& host);

}  // namespace wharf::cli
