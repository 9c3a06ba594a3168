// The pump's work on one bridged connection: open its channel, move bytes both ways, close.
#include <algorithm>
#include <cerrno>

#include <libssh2.h>
#include <sys/socket.h>

#include "wharf/ssh/bridge_pump.hpp"
#include "wharf/util/log.hpp"

namespace wharf::ssh {
bool BridgePump::is_channel_error(long rc) {
  return rc <= LIBSSH2_ERROR_CHANNEL_OUTOFORDER && rc >= LIBSSH2_ERROR_CHANNEL_EOF_SENT;
}

bool BridgePump::is_retry(long rc) {
  return rc == LIBSSH2_ERROR_EAGAIN || rc == LIBSSH2_ERROR_BAD_USE;
}

// libssh2 1.10 encrypts a packet once: when the socket takes only part of it, the rest waits
// in the session, and only the same call, repeated, may finish it (another call gets BAD_USE,
// or — where libssh2 drops a channel it could not close politely — the session jams). So the
// call that left a packet half sent "owns" the session until a repeat of it finishes.
bool BridgePump::turn(std::uint64_t id, Op op) const {
  return owner_op_ == Op::none || (owner_id_ == id && owner_op_ == op);
}

void BridgePump::settle(std::uint64_t id, Op op) {
  const bool pending =
      (libssh2_session_block_directions(native_) & LIBSSH2_SESSION_BLOCK_OUTBOUND) != 0;
  if (owner_op_ == Op::none && pending) {
    owner_id_ = id;
    owner_op_ = op;
  } else if (owner_id_ == id && owner_op_ == op && !pending) {
    owner_op_ = Op::none;
  }
}

bool BridgePump::open_channel(BridgeLink& link) {
  // libssh2 keeps the state of a channel open in the session: one open at a time.
  if ((opening_ != 0 && opening_ != link.id) || !turn(link.id, Op::open)) {
    return false;
  }
  opening_ = link.id;
  LIBSSH2_CHANNEL* channel = libssh2_channel_open_ex(
      native_, kStreamLocal, sizeof kStreamLocal - 1, LIBSSH2_CHANNEL_WINDOW_DEFAULT,
      LIBSSH2_CHANNEL_PACKET_DEFAULT, payload_.data(), static_cast<unsigned>(payload_.size()));
  settle(link.id, Op::open);
  if (channel != nullptr) {
    opening_ = 0;
    link.channel = channel;
    link.phase = BridgeLink::Phase::open;
    ++channels_opened;
    return true;
  }
  const int rc = libssh2_session_last_errno(native_);
  if (rc == LIBSSH2_ERROR_EAGAIN) {
    return false;
  }
  opening_ = 0;
  if (rc == LIBSSH2_ERROR_BAD_USE) {
    return false;
  }
  if (!is_channel_error(rc)) {
    lose_on(rc, "opening a channel");
    return false;
  }
  // The client sees its connection close without an answer.
  log::warn("ssh {}: cannot open a channel to {}: {}", session_.name(), options_.remote_socket,
            session_.last_error());
  link.finished = true;
  return true;
}

bool BridgePump::read_channel(BridgeLink& link) {
  bool progress = false;
  while (!link.remote_eof && link.to_local.size() < kBridgeBufferLimit && turn(link.id, Op::read)) {
    const ssize_t got = libssh2_channel_read_ex(link.channel, 0, scratch_.data(), scratch_.size());
    settle(link.id, Op::read);
    if (got > 0) {
      link.to_local.append(scratch_.data(), static_cast<std::size_t>(got));
      progress = true;
      continue;
    }
    if (got == 0) {
      // 0 is EOF — or, in libssh2 1.10, a transport error it does not pass on.
      if (libssh2_channel_eof(link.channel) != 0) {
        link.remote_eof = true;
        progress = true;
      } else if (peer_closed()) {
        lose("the host closed the connection.");
      }
    } else if (is_channel_error(got)) {
      link.remote_eof = true;
      progress = true;
    } else if (!is_retry(got)) {
      lose_on(got, "reading a channel");
    }
    break;
  }
  return progress;
}

bool BridgePump::write_channel(BridgeLink& link) {
  bool progress = false;
  while (!link.to_remote.empty() && turn(link.id, Op::write)) {
    const auto size = std::min(link.to_remote.size(), kBridgeChunk);
    // A repeated call after EAGAIN finishes the packet already built from the same bytes,
    // which stay at the front of to_remote until it reports them sent.
    const ssize_t sent = libssh2_channel_write_ex(link.channel, 0, link.to_remote.data(), size);
    settle(link.id, Op::write);
    if (sent > 0) {
      link.to_remote.erase(0, static_cast<std::size_t>(sent));
      progress = true;
      continue;
    }
    if (is_channel_error(sent)) {
      link.to_remote.clear();  // The remote end is gone: nothing more can reach it.
      link.remote_eof = true;
      progress = true;
    } else if (sent < 0 && !is_retry(sent)) {
      lose_on(sent, "writing a channel");
    }
    break;
  }
  return progress;
}

bool BridgePump::free_channel(BridgeLink& link) {
  if (!turn(link.id, Op::close)) {
    return false;
  }
  // Sends EOF and CLOSE, waits for the host's CLOSE and frees: EAGAIN until then. Any other
  // result means libssh2 freed the channel anyway.
  const int rc = libssh2_channel_free(link.channel);
  settle(link.id, Op::close);
  if (rc == LIBSSH2_ERROR_EAGAIN) {
    return false;
  }
  link.channel = nullptr;
  link.finished = true;
  return true;
}

bool BridgePump::pull_local(BridgeLink& link) {
  bool progress = false;
  while (!link.local_done && link.to_remote.size() < kBridgeBufferLimit) {
    const ssize_t got = ::recv(link.local.get(), scratch_.data(), scratch_.size(), 0);
    if (got > 0) {
      link.to_remote.append(scratch_.data(), static_cast<std::size_t>(got));
      progress = true;
      continue;
    }
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) {
      break;
    }
    link.local_done = true;  // Closed (0) or reset.
    progress = true;
  }
  return progress;
}

bool BridgePump::push_local(BridgeLink& link) {
  bool progress = false;
  while (!link.to_local.empty() && !link.local_done) {
    const ssize_t sent =
        ::send(link.local.get(), link.to_local.data(), link.to_local.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      link.to_local.erase(0, static_cast<std::size_t>(sent));
      progress = true;
      continue;
    }
    if (sent < 0 && (errno == EAGAIN || errno == EINTR)) {
      break;
    }
    link.local_done = true;  // The client went away: drop what it will never read.
    link.to_local.clear();
    link.to_remote.clear();
    progress = true;
  }
  if (link.remote_eof && link.to_local.empty() && !link.local_shut && !link.local_done) {
    ::shutdown(link.local.get(), SHUT_WR);
    link.local_shut = true;
    progress = true;
  }
  return progress;
}

bool BridgePump::service(BridgeLink& link) {
  bool progress = false;
  switch (link.phase) {
    case BridgeLink::Phase::opening:
      progress |= pull_local(link);
      progress |= open_channel(link);
      break;
    case BridgeLink::Phase::open: {
      progress |= read_channel(link);
      progress |= push_local(link);
      progress |= pull_local(link);
      progress |= write_channel(link);
      const bool client_gone = link.local_done && (link.to_remote.empty() || link.remote_eof);
      const bool server_done = link.remote_eof && link.local_shut && link.to_remote.empty();
      if (client_gone || server_done) {
        link.phase = BridgeLink::Phase::closing;
        progress = true;
      }
      break;
    }
    case BridgeLink::Phase::closing:
      progress |= free_channel(link);
      break;
  }
  return progress;
}

}  // namespace wharf::ssh
