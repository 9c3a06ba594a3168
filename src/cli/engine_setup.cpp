#include "cli/engine_setup.hpp"

namespace wharf::cli {

void add_host_option(CLI::App& command, std::optional<std::string>& host) {
  command.add_option("--host", host,
                     "Docker engine to use (default: DOCKER_HOST or the local socket)");
}

Result<engine::EngineClient> connect_engine(const std::optional<std::string>& host) {
  auto address = engine::resolve_docker_host(host, engine::DockerEnvironment::from_process());
  if (!address) {
    return std::unexpected(address.error());
  }
  return engine::EngineClient::connect(*address);
}

}  // namespace wharf::cli
