// The pump loop: poll, accept, run passes over every connection, watch the session.
#include "wharf/ssh/bridge_pump.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <libssh2.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wharf/util/log.hpp"

namespace wharf::ssh {
namespace {

// A pass repeats while it makes progress; after this many the pump polls once, so that a
// steady stream cannot starve new connections.
constexpr int kMaxPassesPerPoll = 64;
// On shutdown, how long channels get to close politely.
constexpr std::chrono::milliseconds kCloseGrace{1000};
// libssh2 holding a half-sent packet while the socket is writable for this long is wedged;
// the session is then declared lost rather than left hanging.
constexpr std::chrono::milliseconds kStallLimit{2000};
// How often to look at the socket while a half-sent packet waits or channels close.
constexpr int kBusyPollMs = 50;

// Counts what libssh2 reads from the socket, so that the pump knows whether a pass took new
// packets into libssh2's queue, where poll() can no longer see them. It also re-arms
// TCP_QUICKACK (the kernel drops it after a while): sshd leaves Nagle on for non-interactive
// connections, so its second small packet waits for our ACK, and a delayed ACK made one new
// engine connection in ten take 40 ms more (measured: p90 44 ms, with quick ACKs 1 ms).
ssize_t counting_recv(libssh2_socket_t socket, void* buffer, size_t length, int flags,
                      void** abstract) {
  const ssize_t got = ::recv(socket, buffer, length, flags);
  if (got < 0) {
    return errno == EWOULDBLOCK ? -EAGAIN : -errno;
  }
  static_cast<std::atomic<std::uint64_t>*>(*abstract)->fetch_add(static_cast<std::uint64_t>(got));
  const int on = 1;
  ::setsockopt(socket, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
  return got;
}

}  // namespace

BridgePump::BridgePump(Session session, BridgeSockets sockets, BridgeOptions options)
    : session_(std::move(session)),
      native_(session_.native()),
      listener_(std::move(sockets.listener)),
      watch_(sockets.watch),
      wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      options_(std::move(options)),
      payload_(std::move(sockets.open_payload)) {
  *libssh2_session_abstract(native_) = &received_;
  libssh2_session_callback_set(native_, LIBSSH2_CALLBACK_RECV,
                               reinterpret_cast<void*>(&counting_recv));
}

void BridgePump::stop() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_.get(), &one, sizeof one);
}

void BridgePump::lose(const std::string& reason) {
  if (lost_) {
    return;
  }
  lost_ = true;
  {
    const std::lock_guard lock(reason_mutex);
    lost_reason = "the SSH connection to " + session_.name() + " was lost: " + reason;
    log::warn("ssh: {}", lost_reason);
  }
  alive = false;
}

void BridgePump::lose_on(long rc, const char* doing) {
  switch (rc) {
    case LIBSSH2_ERROR_SOCKET_RECV:
    case LIBSSH2_ERROR_SOCKET_SEND:
    case LIBSSH2_ERROR_SOCKET_DISCONNECT:
    case LIBSSH2_ERROR_SOCKET_TIMEOUT:
      lose("the connection broke or the host closed it (" + std::string(doing) + ": " +
           session_.last_error() + ").");
      return;
    default:
      lose(std::string(doing) + " failed: " + session_.last_error() + " (libssh2 error " +
           std::to_string(rc) + ").");
  }
}

bool BridgePump::peer_closed() const {
  pollfd check{session_.socket(), POLLRDHUP, 0};
  return ::poll(&check, 1, 0) > 0 && (check.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

bool BridgePump::wants_inbound() const {
  if (watch_ != nullptr) {
    return true;
  }
  return std::any_of(links_.begin(), links_.end(), [](const BridgeLink& link) {
    return link.phase != BridgeLink::Phase::open ||
           (!link.remote_eof && link.to_local.size() < kBridgeBufferLimit);
  });
}

void BridgePump::accept_all() {
  while (listener_) {
    Fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!client) {
      return;  // EAGAIN, or a client that gave up already.
    }
    BridgeLink link;
    link.id = next_id_++;
    link.local = std::move(client);
    links_.push_back(std::move(link));
  }
}

bool BridgePump::read_watch() {
  if (watch_ == nullptr || !turn(0, Op::read)) {
    return false;
  }
  // A session channel without a command carries no data; reading it makes libssh2 take every
  // packet off the socket, which is how a closed connection shows up while no request runs.
  const ssize_t got = libssh2_channel_read_ex(watch_, 0, scratch_.data(), scratch_.size());
  settle(0, Op::read);
  if (got > 0 || is_retry(got)) {
    return got > 0;
  }
  if (got == 0) {
    if (libssh2_channel_eof(watch_) != 0) {
      lose("the host closed the session.");
    } else if (peer_closed()) {
      lose("the host closed the connection.");
    }
    return false;
  }
  lose_on(got, "reading the session");
  return false;
}

bool BridgePump::pass() {
  bool progress = read_watch();
  for (auto it = links_.begin(); it != links_.end() && !lost_;) {
    progress |= service(*it);
    if (it->finished) {
      it = links_.erase(it);
      progress = true;
    } else {
      ++it;
    }
  }
  return progress;
}

void BridgePump::send_keepalive() {
  pollfd writable{session_.socket(), POLLOUT, 0};
  // Only into a writable socket: a keepalive left half sent could only be finished by the
  // next keepalive, an interval later.
  if (!turn(0, Op::keepalive) || ::poll(&writable, 1, 0) != 1) {
    keepalive_due_ms_ = 1000;
    return;
  }
  int seconds = 0;
  const int rc = libssh2_keepalive_send(native_, &seconds);
  settle(0, Op::keepalive);
  if (rc != 0 && !is_retry(rc)) {
    lose_on(rc, "sending a keepalive");
  }
  keepalive_due_ms_ = std::max(seconds, 1) * 1000;
}

void BridgePump::begin_stop() {
  stopping_ = true;
  stop_deadline_ = Clock::now() + kCloseGrace;
  listener_.reset();
  for (auto& link : links_) {
    link.local.reset();
    link.local_done = true;
    link.to_local.clear();
    link.to_remote.clear();
  }
}

void BridgePump::run() {
  session_.set_blocking(false);
  // No reply wanted: libssh2 1.10 keeps every reply in its packet queue for good. A dead
  // host is noticed by TCP keepalive instead (tcp_connect.hpp).
  libssh2_keepalive_config(native_, 0, static_cast<unsigned>(options_.keepalive_interval.count()));
  std::vector<pollfd> fds;
  while (!lost_ && !(stopping_ && (links_.empty() || Clock::now() >= stop_deadline_))) {
    fds.clear();
    fds.push_back({wake_.get(), POLLIN, 0});
    fds.push_back({listener_ ? listener_.get() : -1, POLLIN, 0});
    const bool owned = owner_op_ != Op::none;
    const short session_events =
        owned ? POLLOUT : static_cast<short>(wants_inbound() ? POLLIN | POLLRDHUP : POLLRDHUP);
    fds.push_back({session_.socket(), session_events, 0});
    for (auto& link : links_) {
      short events = 0;
      if (!link.local_done && link.to_remote.size() < kBridgeBufferLimit) {
        events |= POLLIN;
      }
      if (!link.local_done && !link.to_local.empty()) {
        events |= POLLOUT;
      }
      if (events != 0) {
        fds.push_back({link.local.get(), events, 0});
      }
    }
    const int timeout = stopping_ || owned ? kBusyPollMs : keepalive_due_ms_;
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) {
      lose(std::string("poll failed: ") + std::strerror(errno) + ".");
      break;
    }
    if ((fds[0].revents & POLLIN) != 0 && !stopping_) {
      begin_stop();
    }
    if ((fds[1].revents & POLLIN) != 0) {
      accept_all();
    }
    const bool hung_up = (fds[2].revents & (POLLHUP | POLLERR | POLLRDHUP)) != 0;
    const bool writable = (fds[2].revents & POLLOUT) != 0;

    // Repeat while anything moves, or while libssh2 took new bytes off the socket: those may
    // be packets for a call made earlier in the pass, which poll() cannot see any more.
    for (int passes = 0; passes < kMaxPassesPerPoll && !lost_; ++passes) {
      const auto received = received_.load();
      if (!pass() && received_.load() == received) {
        break;
      }
    }
    if (!lost_ && hung_up) {
      lose("the host closed the connection.");
    }
    if (!lost_ && owner_op_ != Op::none && writable) {
      stuck_since_ = stuck_since_.value_or(Clock::now());
      if (Clock::now() - *stuck_since_ > kStallLimit) {
        lose("libssh2 stopped sending although the socket accepts data.");
      }
    } else if (owner_op_ == Op::none) {
      stuck_since_.reset();
    }
    if (!lost_ && !stopping_) {
      send_keepalive();
    }
  }
  // Clients see their connections close now; the channels go with the session.
  listener_.reset();
  ::unlink(options_.listen_path.c_str());
  links_.clear();
  if (lost_) {
    ::shutdown(session_.socket(), SHUT_RDWR);
  }
  alive = false;
}

}  // namespace wharf::ssh
