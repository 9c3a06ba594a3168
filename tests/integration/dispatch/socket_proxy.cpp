#include "integration/dispatch/socket_proxy.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>

namespace wharf::backends::test {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

sockaddr_un address_of(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const auto& text = path.native();
  if (text.size() >= sizeof address.sun_path) {
    throw std::system_error(ENAMETOOLONG, std::generic_category(), text);
  }
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  return address;
}

// Sends all of `data`; false when the peer is gone. MSG_NOSIGNAL: a vanished reader must not
// kill the test binary with SIGPIPE.
bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const auto sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) {
      continue;
    }
    if (sent <= 0) {
      return false;
    }
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

}  // namespace

UnixSocketProxy::UnixSocketProxy(std::filesystem::path listen_path,
                                 std::filesystem::path target_path)
    : listen_path_(std::move(listen_path)), target_path_(std::move(target_path)) {
  listener_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listener_) {
    throw_errno("socket");
  }
  const auto address = address_of(listen_path_);
  if (::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw_errno("bind");
  }
  if (::listen(listener_.get(), 64) != 0) {
    throw_errno("listen");
  }
  wakeup_.reset(::eventfd(0, EFD_CLOEXEC));
  if (!wakeup_) {
    throw_errno("eventfd");
  }
  acceptor_ = std::jthread([this] { accept_loop(); });
}

UnixSocketProxy::~UnixSocketProxy() {
  close();
}

void UnixSocketProxy::accept_loop() {
  while (!closed_) {
    std::array<pollfd, 2> fds{pollfd{listener_.get(), POLLIN, 0}, pollfd{wakeup_.get(), POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    if ((fds[1].revents & POLLIN) != 0) {
      return;
    }
    Fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!client) {
      continue;
    }
    ++accepted_;
    Fd upstream(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const auto target = address_of(target_path_);
    if (!upstream ||
        ::connect(upstream.get(), reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
      continue;  // The client sees its connection closed, like an engine that went away.
    }
    const std::lock_guard lock(mutex_);
    if (closed_) {
      return;
    }
    const int client_fd = client.release();
    const int upstream_fd = upstream.release();
    open_fds_.insert({client_fd, upstream_fd});
    pumps_.emplace_back([this, client_fd, upstream_fd] { pump(client_fd, upstream_fd); });
  }
}

void UnixSocketProxy::pump(int client, int upstream) {
  std::array<char, 64 * 1024> buffer{};
  for (;;) {
    std::array<pollfd, 3> fds{pollfd{client, POLLIN, 0}, pollfd{upstream, POLLIN, 0},
                              pollfd{wakeup_.get(), POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    if ((fds[2].revents & POLLIN) != 0) {
      break;
    }
    bool open = true;
    for (std::size_t from = 0; from < 2 && open; ++from) {
      if (fds[from].revents == 0) {
        continue;
      }
      const auto got = ::recv(fds[from].fd, buffer.data(), buffer.size(), 0);
      if (got < 0 && errno == EINTR) {
        continue;
      }
      // Either side closing (or failing) ends the pair: HTTP clients never half-close.
      open = got > 0 && send_all(fds[1 - from].fd, buffer.data(), static_cast<std::size_t>(got));
    }
    if (!open) {
      break;
    }
  }
  forget(client);
  forget(upstream);
}

void UnixSocketProxy::forget(int fd) {
  // Closed under the lock, so close() never shuts down a number the system already reused.
  const std::lock_guard lock(mutex_);
  open_fds_.erase(fd);
  ::close(fd);
}

void UnixSocketProxy::close() {
  const std::lock_guard serial(close_mutex_);
  if (closed_.exchange(true)) {
    return;
  }
  const std::uint64_t one = 1;
  (void)!::write(wakeup_.get(), &one, sizeof one);
  if (acceptor_.joinable()) {
    acceptor_.join();
  }
  listener_.reset();
  std::error_code ignored;
  std::filesystem::remove(listen_path_, ignored);
  std::vector<std::jthread> pumps;
  {
    const std::lock_guard lock(mutex_);
    // Shutting down wakes a pump blocked in send() as well as the clients' own reads.
    for (const int fd : open_fds_) {
      ::shutdown(fd, SHUT_RDWR);
    }
    pumps = std::move(pumps_);
  }
  pumps.clear();  // joins
}

}  // namespace wharf::backends::test
