#include "integration/registry/test_http_server.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wharf::registry::test {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto written = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (written <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

std::string reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

std::optional<std::string> ReceivedRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

TestHttpServer::TestHttpServer(Handler handler) : handler_(std::move(handler)) {
  listener_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (!listener_ ||
      ::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listener_.get(), 128) != 0 ||
      ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("the test HTTP server cannot listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  std::array<int, 2> pipe_fds{};
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) {
    throw std::runtime_error("the test HTTP server cannot create its stop pipe");
  }
  stop_read_.reset(pipe_fds[0]);
  stop_write_.reset(pipe_fds[1]);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TestHttpServer::~TestHttpServer() {
  (void)::write(stop_write_.get(), "x", 1);
  acceptor_.join();
  {
    const std::lock_guard lock(mutex_);
    for (const int fd : open_connections_) {
      ::shutdown(fd, SHUT_RDWR);  // Wakes the connection threads from recv.
    }
  }
  for (auto& thread : threads_) {
    thread.join();
  }
}

std::string TestHttpServer::domain() const {
  return "127.0.0.1:" + std::to_string(port_);
}

std::vector<ReceivedRequest> TestHttpServer::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t TestHttpServer::connections() const {
  const std::lock_guard lock(mutex_);
  return connections_;
}

void TestHttpServer::accept_loop() {
  while (true) {
    std::array<pollfd, 2> fds{pollfd{listener_.get(), POLLIN, 0},
                              pollfd{stop_read_.get(), POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), -1) < 0 || (fds[1].revents & POLLIN) != 0) {
      return;
    }
    const int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    const std::lock_guard lock(mutex_);
    ++connections_;
    open_connections_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void TestHttpServer::serve(int fd) {
  std::string buffer;
  std::array<char, 4096> chunk{};
  while (true) {
    auto end = buffer.find("\r\n\r\n");
    while (end == std::string::npos) {
      const auto got = ::recv(fd, chunk.data(), chunk.size(), 0);
      if (got <= 0) {
        break;
      }
      buffer.append(chunk.data(), static_cast<std::size_t>(got));
      if (!std::isupper(static_cast<unsigned char>(buffer.front()))) {
        // Not an HTTP request line (a TLS ClientHello, say): answer as a real HTTP server
        // does, so the client fails at once instead of waiting for a handshake.
        (void)write_all(fd, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        break;
      }
      end = buffer.find("\r\n\r\n");
    }
    if (end == std::string::npos) {
      break;
    }
    ReceivedRequest request;
    request.at = std::chrono::steady_clock::now();
    const std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const auto space = request_line.find(' ');
    request.method = request_line.substr(0, space);
    request.target = request_line.substr(space + 1, request_line.rfind(' ') - space - 1);
    while (line_end != std::string::npos) {
      const auto start = line_end + 2;
      line_end = head.find("\r\n", start);
      const auto line = std::string_view(head).substr(start, line_end - start);
      if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        request.headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
      }
    }
    const auto length = std::stoul(request.header("Content-Length").value_or("0"));
    while (buffer.size() < length) {
      const auto got = ::recv(fd, chunk.data(), chunk.size(), 0);
      if (got <= 0) {
        break;
      }
      buffer.append(chunk.data(), static_cast<std::size_t>(got));
    }
    request.body = buffer.substr(0, length);
    buffer.erase(0, std::min(length, buffer.size()));

    ScriptedResponse response;
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(request);
      response = handler_(request);
    }
    std::string out =
        "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers) {
      out += name + ": " + value + "\r\n";
    }
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
    if (request.method != "HEAD") {
      out += response.body;
    }
    if (!write_all(fd, out)) {
      break;
    }
  }
  const std::lock_guard lock(mutex_);
  std::erase(open_connections_, fd);
  ::close(fd);
}

}  // namespace wharf::registry::test
