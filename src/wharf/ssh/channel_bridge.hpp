#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "wharf/core/error.hpp"
#include "wharf/ssh/session.hpp"

namespace wharf::ssh {

class BridgePump;

struct BridgeOptions {
  /// The private Unix socket that local clients (libcurl) connect to. Its directory must
  /// exist and be private; the path must fit a sockaddr_un (under 108 bytes).
  std::filesystem::path listen_path;
  /// The Unix socket on the SSH host that each connection is carried to.
  std::string remote_socket;
  /// Bounds the blocking setup in start(): the probe channel and the watch channel.
  std::chrono::milliseconds setup_timeout{10'000};
  /// How often an idle session sends an SSH keepalive.
  std::chrono::seconds keepalive_interval{15};
};

/// Carries every connection made to a private Unix socket over one SSH session: each
/// accepted connection becomes one `direct-streamlocal@openssh.com` channel to the remote
/// socket, so many concurrent connections share one TCP connection and one login.
///
/// One pump thread owns the session (libssh2 is not thread-safe) and runs it non-blocking,
/// polling the TCP socket and the accepted connections. When the SSH connection is lost —
/// the host closed it, it broke, TCP keepalive declared the host dead, or libssh2 stalled —
/// the bridge closes the listening socket and every bridged connection at once (their
/// clients see the connection drop), and alive() turns false for good: a new bridge on a new
/// session replaces it.
class ChannelBridge {
 public:
  /// Checks that the host can reach options.remote_socket (one probe channel, so that a
  /// missing socket is a clear error here rather than an empty reply later), opens a session
  /// channel that lets the pump notice a closed connection while no request is in flight,
  /// listens on options.listen_path and starts the pump. Errors: ErrorKind::unavailable
  /// naming the remote socket when the host cannot connect to it, permission when sshd
  /// forbids such channels, io when the listening socket cannot be created.
  [[nodiscard]] static Result<std::unique_ptr<ChannelBridge>> start(Session session,
                                                                    BridgeOptions options);

  ChannelBridge(const ChannelBridge&) = delete;
  ChannelBridge& operator=(const ChannelBridge&) = delete;
  /// Stops the pump: stops listening, closes every bridged connection, closes the channels
  /// (waiting at most about a second for the host), disconnects and removes the listening
  /// socket.
  ~ChannelBridge();

  /// False once the SSH connection was lost; never true again.
  [[nodiscard]] bool alive() const noexcept;
  /// Why the connection was lost, as a sentence; empty while alive().
  [[nodiscard]] std::string lost_reason() const;
  /// Channels opened so far (one per bridged connection).
  [[nodiscard]] std::size_t channels_opened() const noexcept;

 private:
  explicit ChannelBridge(std::unique_ptr<BridgePump> pump);
  std::unique_ptr<BridgePump> pump_;
  std::thread thread_;
};

}  // namespace wharf::ssh
