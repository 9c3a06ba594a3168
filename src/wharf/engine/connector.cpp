#include "wharf/engine/connector.hpp"

#include <cerrno>
#include <cstring>

#include "wharf/engine/timeouts.hpp"
#include "wharf/ssh/resolve_target.hpp"
#include "wharf/ssh/ssh_config.hpp"
#include "wharf/ssh/ssh_connector.hpp"
#include "wharf/ssh/ssh_defaults.hpp"

namespace wharf::engine {
namespace {

// The local engine: its socket path is the whole target.
class UnixConnector final : public Connector {
 public:
  UnixConnector(std::filesystem::path path, std::string address)
      : target_{std::move(path)}, address_(std::move(address)) {}
  Result<ConnectTarget> prepare(std::chrono::milliseconds /*timeout*/) override { return target_; }
  const std::string& address() const override { return address_; }

 private:
  ConnectTarget target_;
  std::string address_;
};

// A plain or TLS engine port: libcurl connects to the URL's host and port itself.
class TcpConnector final : public Connector {
 public:
  explicit TcpConnector(std::string address) : address_(std::move(address)) {}
  Result<ConnectTarget> prepare(std::chrono::milliseconds /*timeout*/) override {
    return ConnectTarget{};
  }
  const std::string& address() const override { return address_; }

 private:
  std::string address_;
};

std::string advice_for(int error_number, bool unix_socket) {
  switch (error_number) {
    case EACCES:
    case EPERM:
      return "permission denied — add your user to the docker group or set DOCKER_HOST";
    case ENOENT:
    case ENOTDIR:
      return "no such file — is dockerd running? set DOCKER_HOST or --host";
    case ECONNREFUSED:
      return unix_socket ? "connection refused — nothing listens on that socket; is dockerd "
                           "running? set DOCKER_HOST or --host"
                         : "connection refused — is dockerd listening on that port? set "
                           "DOCKER_HOST or --host";
    case 0:
      return "the connection failed — check DOCKER_HOST or --host";
    default:
      return std::string(std::strerror(error_number)) + " — check DOCKER_HOST or --host";
  }
}

}  // namespace

Result<std::shared_ptr<Connector>> make_connector(const DockerHost& host) {
  switch (host.scheme) {
    case HostScheme::unix_socket:
      return make_unix_connector(host.socket_path, host.address);
    case HostScheme::tcp:
      return make_tcp_connector(host.address);
    case HostScheme::ssh: {
      // As `ssh host` would: ~/.ssh/config applies (HostName, User, Port, IdentityFile,
      // known_hosts, StrictHostKeyChecking, ConnectTimeout) under what the address says.
      // DockerHost always carries a port, so only a port other than 22 counts as explicit.
      const auto defaults = ssh::SshDefaults::from_process();
      auto config = ssh::load_ssh_config(defaults.user_config(), defaults);
      if (!config) {
        return std::unexpected(config.error());
      }
      ssh::SshOverrides overrides;
      if (!host.user.empty()) {
        overrides.user = host.user;
      }
      if (host.port != kSshPort) {
        overrides.port = host.port;
      }
      auto target = ssh::resolve_ssh_target(*config, host.host, overrides, defaults);
      if (!target) {
        return std::unexpected(target.error());
      }
      return std::shared_ptr<Connector>(ssh::make_ssh_connector(
          std::move(*target), std::string(kDefaultDockerSocket), host.address));
    }
  }
  return fail(ErrorKind::internal, "unknown engine address scheme for " + host.address + ".");
}

std::shared_ptr<Connector> make_unix_connector(std::filesystem::path path, std::string address) {
  return std::make_shared<UnixConnector>(std::move(path), std::move(address));
}

std::shared_ptr<Connector> make_tcp_connector(std::string address) {
  return std::make_shared<TcpConnector>(std::move(address));
}

Error connect_failure(const std::string& address, int error_number, bool unix_socket,
                      std::chrono::milliseconds timeout) {
  const std::string prefix = "cannot reach the Docker engine at " + address + ": ";
  if (error_number == ETIMEDOUT) {
    return Error::make(ErrorKind::timeout, prefix + "no connection within " +
                                               describe_duration(timeout) +
                                               " — is the engine overloaded or its host down?");
  }
  const auto kind = (error_number == EACCES || error_number == EPERM) ? ErrorKind::permission
                                                                      : ErrorKind::unavailable;
  return Error::make(kind, prefix + advice_for(error_number, unix_socket) + ".");
}

}  // namespace wharf::engine
