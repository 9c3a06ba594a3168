#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf::engine {

/// How an engine is reached; every scheme has one transport::Connector, which
/// connect/engine_route.hpp picks.
enum class HostScheme {
  unix_socket,  ///< unix:///path/to/docker.sock
  tcp,          ///< tcp://host:port, plain HTTP or TLS (DOCKER_TLS_VERIFY)
  ssh,          ///< ssh://[user@]host[:port], the engine's socket on a remote host
};

/// The client certificate and CA that authenticate a TLS connection to a tcp:// engine.
struct TlsFiles {
  std::filesystem::path ca;    ///< ca.pem: the CA that signed the engine's certificate.
  std::filesystem::path cert;  ///< cert.pem: this client's certificate.
  std::filesystem::path key;   ///< key.pem: this client's private key.
};

/// A parsed Docker engine address.
struct DockerHost {
  HostScheme scheme = HostScheme::unix_socket;
  /// The canonical address, e.g. "unix:///var/run/docker.sock", "tcp://10.0.0.5:2376",
  /// "ssh://deploy@build-2:22"; used in every message about this engine.
  std::string address;
  std::filesystem::path socket_path;  ///< unix: the socket's path.
  std::string host;                   ///< tcp, ssh: a name or IP (IPv6 without brackets).
  std::uint16_t port = 0;             ///< tcp, ssh: never 0 after parsing.
  std::string user;                   ///< ssh: the login, empty for the ssh default.
  std::optional<TlsFiles> tls;        ///< tcp: set when TLS must be used.
};

inline constexpr std::string_view kDefaultDockerSocket = "/var/run/docker.sock";
inline constexpr std::uint16_t kDockerPlainPort = 2375;
inline constexpr std::uint16_t kDockerTlsPort = 2376;
inline constexpr std::uint16_t kSshPort = 22;

/// Parses one address (`unix:///path`, `tcp://host[:port]`, `ssh://[user@]host[:port]`).
/// `origin` names where the text came from ("--host", "DOCKER_HOST") for the message.
/// Without `use_tls` a tcp address defaults to port 2375, with it to 2376; `tls` is left
/// empty (resolve_docker_host() fills it). Fails with ErrorKind::invalid_input and a
/// sentence naming the offending text and the accepted forms.
[[nodiscard]] Result<DockerHost> parse_docker_host(std::string_view text, std::string_view origin,
                                                   bool use_tls = false);

/// The variables that choose an engine, read once so that parsing stays a pure function.
struct DockerEnvironment {
  std::optional<std::string> docker_host;  ///< DOCKER_HOST
  std::optional<std::string> tls_verify;   ///< DOCKER_TLS_VERIFY (non-empty = use TLS)
  std::optional<std::string> cert_path;    ///< DOCKER_CERT_PATH
  std::optional<std::string> home;         ///< HOME, for the default ~/.docker

  /// Reads the four variables from this process's environment.
  [[nodiscard]] static DockerEnvironment from_process();
};

/// The engine wharf should talk to: `flag_host` (--host) when given, else DOCKER_HOST when
/// set and non-empty, else unix:///var/run/docker.sock. For tcp:// with a non-empty
/// DOCKER_TLS_VERIFY, TLS files come from DOCKER_CERT_PATH (default ~/.docker) and must
/// exist. Fails with ErrorKind::invalid_input and a sentence naming the variable or flag.
[[nodiscard]] Result<DockerHost> resolve_docker_host(const std::optional<std::string>& flag_host,
                                                     const DockerEnvironment& environment);

}  // namespace wharf::engine
