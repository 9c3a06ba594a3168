#include "cli/engine_setup.hpp"

namespace wharf::cli {

Result<engine::EngineClient> connect_engine(const std::optional<std::string>& host) {
  auto address = engine::resolve_docker_host(host, engine::DockerEnvironment::from_process());
  if (!address) {
    return std::unexpected(address.error());
  }
  return engine::EngineClient::connect(*address);
}

}  // namespace wharf::cli
