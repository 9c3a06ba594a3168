#pragma once

// The pump thread behind ChannelBridge (see channel_bridge.hpp). Internal to src/wharf/ssh:
// only channel_bridge.cpp uses it. Its loop lives in bridge_pump.cpp, the work on one bridged
// connection in bridge_link.cpp.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>

#include "wharf/ssh/bridge_setup.hpp"
#include "wharf/ssh/channel_bridge.hpp"
#include "wharf/ssh/session.hpp"
#include "wharf/util/fd.hpp"

namespace wharf::ssh {

/// Per direction and connection: enough for any API request or response chunk, small enough
/// that a slow reader cannot make the pump hoard memory.
inline constexpr std::size_t kBridgeBufferLimit = 256 * 1024;
inline constexpr std::size_t kBridgeChunk = 32 * 1024;

/// One bridged connection: a client's accepted socket and its channel.
struct BridgeLink {
  enum class Phase { opening, open, closing };
  std::uint64_t id = 0;
  Fd local;
  _LIBSSH2_CHANNEL* channel = nullptr;  ///< Freed by the pump, or with the session.
  Phase phase = Phase::opening;
  std::string to_remote;    ///< From the client, not yet written to the channel.
  std::string to_local;     ///< From the channel, not yet written to the client.
  bool local_done = false;  ///< The client closed (HTTP clients never half-close).
  bool remote_eof = false;  ///< The remote socket closed its side.
  bool local_shut = false;  ///< That EOF was passed on (shutdown SHUT_WR).
  bool finished = false;    ///< The channel is freed; the link can go.
};

class BridgePump {
 public:
  BridgePump(Session session, BridgeSockets sockets, BridgeOptions options);

  /// The thread's body: returns once the connection is lost or stop() was called and the
  /// channels are closed (or kCloseGrace passed).
  void run();
  /// Asks run() to finish; callable from any thread.
  void stop();

  std::atomic<bool> alive{true};
  std::atomic<std::size_t> channels_opened{0};
  mutable std::mutex reason_mutex;
  std::string lost_reason;  ///< Guarded by reason_mutex.

 private:
  /// libssh2 operations whose half-sent packet only the same call may finish.
  enum class Op { none, open, read, write, close, keepalive };
  using Clock = std::chrono::steady_clock;

  bool pass();
  bool read_watch();
  bool service(BridgeLink& link);
  bool open_channel(BridgeLink& link);
  bool read_channel(BridgeLink& link);
  bool write_channel(BridgeLink& link);
  bool free_channel(BridgeLink& link);
  bool pull_local(BridgeLink& link);
  bool push_local(BridgeLink& link);
  void accept_all();
  void send_keepalive();
  void begin_stop();
  void lose(const std::string& reason);
  void lose_on(long rc, const char* doing);
  [[nodiscard]] bool peer_closed() const;
  [[nodiscard]] bool wants_inbound() const;
  [[nodiscard]] bool turn(std::uint64_t id, Op op) const;
  void settle(std::uint64_t id, Op op);
  /// Errors that concern one channel; every other libssh2 error ends the session.
  [[nodiscard]] static bool is_channel_error(long rc);
  /// EAGAIN, or BAD_USE: another call's packet is half sent (libssh2 1.10 says so).
  [[nodiscard]] static bool is_retry(long rc);

  std::atomic<std::uint64_t> received_{0};  // Outlives session_: its recv callback counts here.
  Session session_;
  _LIBSSH2_SESSION* native_;
  Fd listener_;
  _LIBSSH2_CHANNEL* watch_;
  Fd wake_;
  BridgeOptions options_;
  std::string payload_;
  std::list<BridgeLink> links_;
  std::uint64_t next_id_ = 1;
  std::uint64_t opening_ = 0;  // The link whose channel open is in progress (one at a time).
  std::uint64_t owner_id_ = 0;
  Op owner_op_ = Op::none;
  std::optional<Clock::time_point> stuck_since_;
  bool lost_ = false;
  bool stopping_ = false;
  Clock::time_point stop_deadline_{};
  int keepalive_due_ms_ = 1000;
  std::array<char, kBridgeChunk> scratch_{};
};

}  // namespace wharf::ssh
