#pragma once

#include <string>

#include "wharf/core/error.hpp"
#include "wharf/ssh/channel_bridge.hpp"
#include "wharf/ssh/session.hpp"
#include "wharf/util/fd.hpp"

// libssh2's channel type, declared so that this header need not include libssh2.h.
struct _LIBSSH2_CHANNEL;

namespace wharf::ssh {

/// The channel type that carries one connection to a Unix socket on the host (OpenSSH's).
inline constexpr char kStreamLocal[] = "direct-streamlocal@openssh.com";

/// What a ChannelBridge needs before its pump starts.
struct BridgeSockets {
  Fd listener;                        ///< Listening, non-blocking, at options.listen_path.
  _LIBSSH2_CHANNEL* watch = nullptr;  ///< A session channel; freed with the session.
  std::string open_payload;           ///< The channel-open payload for the remote socket.
};

/// The blocking part of ChannelBridge::start(), on the caller's thread (see there for the
/// contract): probes options.remote_socket with one channel, opens the watch channel and
/// listens on options.listen_path (removing a stale socket file there first).
[[nodiscard]] Result<BridgeSockets> prepare_bridge(Session& session, const BridgeOptions& options);

}  // namespace wharf::ssh
