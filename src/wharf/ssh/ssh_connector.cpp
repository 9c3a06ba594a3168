#include "wharf/ssh/ssh_connector.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>

#include "wharf/ssh/channel_bridge.hpp"
#include "wharf/ssh/session.hpp"
#include "wharf/util/durations.hpp"
#include "wharf/util/log.hpp"

namespace wharf::ssh {
namespace {

using Clock = std::chrono::steady_clock;

// Under /tmp rather than $TMPDIR: a socket path must stay below 108 bytes.
constexpr char kSocketDirPattern[] = "/tmp/wharf-ssh-XXXXXX";
// One socket per session ("engine-3.sock"): a connection made for a session can only reach
// that session, so a stream that ran over a newer one is never blamed on an older one's loss.
std::string socket_name(std::size_t session) {
  return "engine-" + std::to_string(session) + ".sock";
}

std::string default_address(const SshTarget& target) {
  const std::string& host = target.alias.empty() ? target.host_name : target.alias;
  return "ssh://" + (target.user.empty() ? "" : target.user + "@") + host + ":" +
         std::to_string(target.port);
}

// How long after a lost session a failing connection is still blamed on that loss.
constexpr std::chrono::seconds kRecentLoss{5};

std::chrono::milliseconds backoff_after(int failures) {
  auto delay = kFirstReconnectDelay;
  for (int i = 1; i < failures && delay < kMaxReconnectDelay; ++i) {
    delay *= 2;
  }
  return std::min(delay, kMaxReconnectDelay);
}

class SshEngineConnector final : public SshConnector {
 public:
  SshEngineConnector(SshTarget target, std::string remote_socket, std::string address)
      : target_(std::move(target)),
        remote_socket_(std::move(remote_socket)),
        address_(address.empty() ? default_address(target_) : std::move(address)) {}

  ~SshEngineConnector() override {
    bridge_.reset();
    if (!socket_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(socket_dir_, ignored);
    }
  }

  Result<transport::ConnectTarget> prepare(std::chrono::milliseconds timeout) override {
    const std::lock_guard lock(mutex_);
    if (bridge_ && bridge_->alive()) {
      return transport::ConnectTarget{socket_path_, sessions_};
    }
    if (bridge_) {
      lost_through_ = sessions_;  // Whether or not the reconnect below succeeds.
      log::info("engine {}: {} Reconnecting.", address_, bridge_->lost_reason());
      channels_before_ += bridge_->channels_opened();
      last_loss_ = bridge_->lost_reason();
      last_loss_at_ = Clock::now();
      bridge_.reset();
      failures_ = 0;
    }
    if (failures_ > 0 && Clock::now() < next_attempt_) {
      const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_attempt_ - Clock::now());
      Error error = *last_failure_;
      error.message +=
          " (wharf tries " + address_ + " again in " + util::describe_duration(wait) + ".)";
      return std::unexpected(std::move(error));
    }
    if (auto made = ensure_socket_dir(); !made) {
      return std::unexpected(std::move(made.error()));
    }
    ++attempts_;
    socket_path_ = socket_dir_ / socket_name(sessions_ + 1);
    auto bridge = connect(timeout);
    if (!bridge) {
      ++failures_;
      next_attempt_ = Clock::now() + backoff_after(failures_);
      last_failure_ = bridge.error();
      return std::unexpected(std::move(bridge.error()));
    }
    bridge_ = std::move(*bridge);
    ++sessions_;
    failures_ = 0;
    return transport::ConnectTarget{socket_path_, sessions_};
  }

  const std::string& address() const override { return address_; }

  std::optional<Error> transport_failure() const override {
    const std::lock_guard lock(mutex_);
    // lost_reason() is a whole sentence naming the host ("the SSH connection to … was lost:
    // …").
    if (bridge_ && !bridge_->alive()) {
      return Error::make(ErrorKind::unavailable,
                         bridge_->lost_reason() + " wharf reconnects on the next call.");
    }
    // Another thread may already have replaced the dead bridge; connections of the old one
    // still fail for a moment, and for the same reason.
    if (!last_loss_.empty() && Clock::now() - last_loss_at_ < kRecentLoss) {
      return Error::make(ErrorKind::unavailable,
                         last_loss_ + " wharf reconnects on the next call.");
    }
    return std::nullopt;
  }

  std::optional<Error> session_lost(std::uint64_t session) const override {
    const std::lock_guard lock(mutex_);
    // Sessions are replaced only after they are lost, so a newer one means ours is gone; a
    // dead bridge already dropped (its reconnect may have failed) is recorded in lost_through_.
    if (session != sessions_ || session <= lost_through_) {
      return Error::make(ErrorKind::unavailable,
                         last_loss_.empty()
                             ? "the SSH connection to " + address_ + " was lost and replaced."
                             : last_loss_);
    }
    if (bridge_ && !bridge_->alive()) {
      return Error::make(ErrorKind::unavailable, bridge_->lost_reason());
    }
    return std::nullopt;
  }

  SshConnectorStats stats() const override {
    const std::lock_guard lock(mutex_);
    SshConnectorStats stats;
    stats.connection_attempts = attempts_;
    stats.sessions_opened = sessions_;
    stats.channels_opened = channels_before_ + (bridge_ ? bridge_->channels_opened() : 0);
    stats.connected = bridge_ && bridge_->alive();
    stats.host_key = host_key_;
    return stats;
  }

 private:
  Result<std::unique_ptr<ChannelBridge>> connect(std::chrono::milliseconds timeout) {
    auto session = Session::open(target_, timeout, &host_key_);
    if (!session) {
      return std::unexpected(std::move(session.error()));
    }
    BridgeOptions options;
    options.listen_path = socket_path_;
    options.remote_socket = remote_socket_;
    if (timeout.count() > 0) {
      options.setup_timeout = timeout;
    }
    return ChannelBridge::start(std::move(*session), std::move(options));
  }

  Result<void> ensure_socket_dir() {
    if (!socket_dir_.empty()) {
      return {};
    }
    std::string pattern = kSocketDirPattern;
    if (::mkdtemp(pattern.data()) == nullptr) {  // mkdtemp makes it 0700.
      return fail(ErrorKind::io, "cannot create a private directory for the SSH bridge to " +
                                     address_ + " under /tmp: " + std::strerror(errno) + ".");
    }
    socket_dir_ = pattern;
    return {};
  }

  mutable std::mutex mutex_;
  const SshTarget target_;
  const std::string remote_socket_;
  const std::string address_;
  std::filesystem::path socket_dir_;
  std::filesystem::path socket_path_;
  std::unique_ptr<ChannelBridge> bridge_;
  std::size_t attempts_ = 0;
  std::size_t sessions_ = 0;
  std::size_t lost_through_ = 0;     // Sessions 1..lost_through_ are known to be lost.
  std::size_t channels_before_ = 0;  // Carried by sessions that are gone.
  int failures_ = 0;                 // Consecutive failed attempts.
  HostKeyCheck host_key_ = HostKeyCheck::not_reached;  // Of the latest attempt.
  std::string last_loss_;                              // Why the latest replaced bridge was lost.
  Clock::time_point last_loss_at_;                     // When it was replaced.
  Clock::time_point next_attempt_{};
  std::optional<Error> last_failure_;
};

}  // namespace

std::shared_ptr<SshConnector> make_ssh_connector(SshTarget target, std::string remote_socket_path,
                                                 std::string address) {
  return std::make_shared<SshEngineConnector>(std::move(target), std::move(remote_socket_path),
                                              std::move(address));
}

}  // namespace wharf::ssh
