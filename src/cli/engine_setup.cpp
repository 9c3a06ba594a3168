#include "cli/engine_setup.hpp"

#include "wharf/connect/engine_route.hpp"

namespace wharf::cli {

Result<engine::EngineClient> connect_engine(const std::optional<std::string>& host) {
  auto address = engine::resolve_docker_host(host, engine::DockerEnvironment::from_process());
  if (!address) {
    return std::unexpected(address.error());
  }
  return connect::connect_engine(*address);
}

}  // namespace wharf::cli
