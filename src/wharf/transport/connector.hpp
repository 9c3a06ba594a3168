#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "wharf/core/error.hpp"

namespace wharf::transport {

/// Where the HTTP layer opens its connections to an engine. libcurl itself connects: to
/// `unix_socket` when set, otherwise to the host and port of the request URL (tcp://).
///
/// Why a target and not a connected socket: libcurl 7.88 (Debian 12) ignores
/// CURL_SOCKOPT_ALREADY_CONNECTED and calls connect() again on a socket handed to it, which
/// fails (curl issue #10626, fixed in curl 8.0). A transport that is not a plain socket —
/// an SSH channel — therefore exposes a private Unix socket whose accepted connections it
/// bridges to its channels, and returns that socket's path here.
struct ConnectTarget {
  std::optional<std::filesystem::path> unix_socket;
  /// Which session of the transport carries connections made now (an SSH connector counts
  /// its sessions); 0 for transports without sessions. Given back to session_lost().
  std::uint64_t session = 0;
};

/// Makes one Docker engine reachable for the HTTP layer (engine/http_connection.hpp), which
/// speaks HTTP — and TLS for tcp:// with certificates — to whatever target this returns, so a
/// new transport is one new Connector and no HTTP code. The implementations: unix_connector,
/// tcp_connector here, ssh/ssh_connector; connect/engine_route picks one for an address.
///
/// Thread-safety: prepare() may be called from several threads at once, because clones of
/// one EngineClient share their connector.
class Connector {
 public:
  Connector() = default;
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;
  virtual ~Connector() = default;

  /// Called before every request: brings the transport up if needed (an ssh:// connector
  /// would open its session and bridge socket on the first call) and says where to connect.
  /// Must be cheap once the transport is up. Failures are full sentences naming the engine:
  /// ErrorKind::permission, unavailable or timeout (within `timeout`).
  [[nodiscard]] virtual Result<ConnectTarget> prepare(std::chrono::milliseconds timeout) = 0;

  /// The engine address, as used in messages ("unix:///var/run/docker.sock").
  [[nodiscard]] virtual const std::string& address() const = 0;

  /// Why the transport itself is down, when it knows better than the failed socket call:
  /// after an SSH connection is lost, curl only sees its bridge socket vanish ("no such
  /// file"), which would send the user looking for a missing dockerd. The HTTP layer asks
  /// this when a connection fails or breaks and uses the answer instead. Default: nothing.
  [[nodiscard]] virtual std::optional<Error> transport_failure() const { return std::nullopt; }

  /// Whether the session `session` (from a ConnectTarget) has been lost since, and why. A
  /// response read until the connection closes (an attach) cannot tell its end from a cut:
  /// an SSH bridge closes its connections cleanly when the session under them dies. The
  /// HTTP layer asks this when such a stream ends, so lost output is an error and never a
  /// short log. Default: nothing is ever lost.
  [[nodiscard]] virtual std::optional<Error> session_lost(std::uint64_t /*session*/) const {
    return std::nullopt;
  }
};

}  // namespace wharf::transport
