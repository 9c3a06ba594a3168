#include "wharf/ssh/tcp_connect.hpp"

#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include "wharf/util/durations.hpp"

namespace wharf::ssh {
namespace {

using Clock = std::chrono::steady_clock;

struct AddrInfoDeleter {
  void operator()(addrinfo* list) const { ::freeaddrinfo(list); }
};

// Probes after 15 s of silence, then every 5 s; three unanswered probes end the connection.
// TCP_USER_TIMEOUT bounds how long sent data may stay unacknowledged, for the same reason.
constexpr int kKeepAliveIdleSeconds = 15;
constexpr int kKeepAliveIntervalSeconds = 5;
constexpr int kKeepAliveProbes = 3;
constexpr unsigned kUserTimeoutMs = 30'000;

void enable_dead_peer_detection(int fd) {
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &kKeepAliveIdleSeconds, sizeof kKeepAliveIdleSeconds);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &kKeepAliveIntervalSeconds,
               sizeof kKeepAliveIntervalSeconds);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &kKeepAliveProbes, sizeof kKeepAliveProbes);
  ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &kUserTimeoutMs, sizeof kUserTimeoutMs);
  // SSH sends many small packets (HTTP requests, window adjustments); Nagle would delay them.
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

// Connects one address; returns 0 or the errno of the failure (ETIMEDOUT at the deadline).
int connect_one(const addrinfo& address, Clock::time_point deadline, Fd& out) {
  Fd fd(::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                 address.ai_protocol));
  if (!fd) {
    return errno;
  }
  if (::connect(fd.get(), address.ai_addr, address.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) {
      return errno;
    }
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        return ETIMEDOUT;
      }
      pollfd waiting{fd.get(), POLLOUT, 0};
      const int ready = ::poll(&waiting, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) {
        continue;
      }
      if (ready < 0) {
        return errno;
      }
      if (ready > 0) {
        break;
      }
    }
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
      return errno;
    }
    if (error != 0) {
      return error;
    }
  }
  enable_dead_peer_detection(fd.get());
  out = std::move(fd);
  return 0;
}

std::string advice_for(int error_number) {
  switch (error_number) {
    case ECONNREFUSED:
      return "connection refused — is sshd running there and listening on that port? check "
             "the address and Port";
    case EHOSTUNREACH:
    case ENETUNREACH:
      return std::string(std::strerror(error_number)) +
             " — check the host name and your network route to it";
    default:
      return std::string(std::strerror(error_number)) + " — check the host name and Port";
  }
}

}  // namespace

Result<Fd> connect_tcp(const std::string& host, std::uint16_t port,
                       std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string where = "the SSH host " + host + " (port " + std::to_string(port) + ")";
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &raw); rc != 0) {
    return fail(ErrorKind::unavailable, "cannot connect to " + where +
                                            ": the name does not "
                                            "resolve (" +
                                            ::gai_strerror(rc) +
                                            ") — check HostName in ~/.ssh/config or the "
                                            "worker's address.");
  }
  const std::unique_ptr<addrinfo, AddrInfoDeleter> addresses(raw);
  int last_error = 0;
  for (const addrinfo* address = addresses.get(); address != nullptr; address = address->ai_next) {
    Fd fd;
    last_error = connect_one(*address, deadline, fd);
    if (last_error == 0) {
      return fd;
    }
    if (last_error == ETIMEDOUT) {
      break;
    }
  }
  if (last_error == ETIMEDOUT) {
    return fail(ErrorKind::timeout, "cannot connect to " + where + ": no answer within " +
                                        util::describe_duration(timeout) +
                                        " (ConnectTimeout) — is the host up and the port open?");
  }
  return fail(ErrorKind::unavailable,
              "cannot connect to " + where + ": " + advice_for(last_error) + ".");
}

}  // namespace wharf::ssh
