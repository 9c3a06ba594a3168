#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "wharf/ssh/session.hpp"
#include "wharf/ssh/ssh_target.hpp"
#include "wharf/transport/connector.hpp"

namespace wharf::ssh {

/// Where the Docker engine listens on a remote host unless a worker says otherwise.
inline constexpr std::string_view kDefaultRemoteDockerSocket = "/var/run/docker.sock";

/// After a failed connection attempt the next one waits 0.5 s, then 1 s, 2 s, … up to 30 s
/// (the delay doubles with each consecutive failure and resets on success). A lost session
/// is retried at once by the next prepare(); only failures count.
inline constexpr std::chrono::milliseconds kFirstReconnectDelay{500};
inline constexpr std::chrono::milliseconds kMaxReconnectDelay{30'000};

/// What an SSH connector did so far, for tests and `wharf workers check`.
struct SshConnectorStats {
  std::size_t connection_attempts = 0;  ///< TCP connections tried, failed ones included.
  std::size_t sessions_opened = 0;      ///< SSH sessions established (one TCP connection each).
  std::size_t channels_opened = 0;      ///< Engine connections carried, over all sessions.
  bool connected = false;               ///< A session is up right now.
  /// How far the host key check of the latest connection attempt got.
  HostKeyCheck host_key = HostKeyCheck::not_reached;
};

/// A transport::Connector that reaches a Docker engine through its Unix socket on an SSH host.
///
/// prepare() opens one SSH session on first use (connect, verify the host key, log in, probe
/// the remote socket) and returns a private Unix socket in a fresh 0700 directory under
/// /tmp, one socket per session (engine-1.sock, engine-2.sock, …); each connection libcurl makes to
/// it is carried by its own `direct-streamlocal@openssh.com` channel over that one session (see
/// ChannelBridge). When the session is lost, every connection it carried closes, so calls in flight
/// fail with ErrorKind::unavailable, and the next prepare() reconnects — with the backoff above
/// after failed attempts, during which prepare() fails at once with the last failure's sentence.
/// Concurrent prepare() calls wait for one connection attempt rather than each making one.
///
/// Destruction stops the pump, closes every channel, disconnects and removes the directory.
class SshConnector : public transport::Connector {
 public:
  [[nodiscard]] virtual SshConnectorStats stats() const = 0;
};

/// A connector to the engine listening on `remote_socket_path` on `target`. `address` names
/// the engine in messages; empty means "ssh://user@host:port" from `target`. No I/O happens
/// until the first prepare().
[[nodiscard]] std::shared_ptr<SshConnector> make_ssh_connector(
    SshTarget target, std::string remote_socket_path = std::string(kDefaultRemoteDockerSocket),
    std::string address = {});

}  // namespace wharf::ssh
