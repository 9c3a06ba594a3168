#pragma once

// A scripted HTTP/1.1 server on 127.0.0.1 for the registry behaviours no real peer here can
// produce on demand: 429 and 5xx answers, a bearer token service, a registry that sends no
// digest on HEAD, a next-page link to another host. Each connection is served on its own
// thread with keep-alive, as registries do; the handler is called under one mutex.

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "wharf/util/fd.hpp"

namespace wharf::registry::test {

struct ReceivedRequest {
  std::string method;
  std::string target;  ///< Path and query.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::steady_clock::time_point at;

  /// The first header called `name` (case-insensitive).
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

using Handler = std::function<ScriptedResponse(const ReceivedRequest&)>;

class TestHttpServer {
 public:
  /// Listens on 127.0.0.1 on a free port; throws std::runtime_error when it cannot.
  explicit TestHttpServer(Handler handler);
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;
  ~TestHttpServer();

  [[nodiscard]] int port() const noexcept { return port_; }
  /// "127.0.0.1:PORT", as an image reference's domain.
  [[nodiscard]] std::string domain() const;
  /// Every request received so far, in order.
  [[nodiscard]] std::vector<ReceivedRequest> requests() const;
  /// Connections accepted so far.
  [[nodiscard]] std::size_t connections() const;

 private:
  void accept_loop();
  void serve(int fd);

  Handler handler_;
  Fd listener_;
  Fd stop_read_;
  Fd stop_write_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
  std::vector<int> open_connections_;
  std::size_t connections_ = 0;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace wharf::registry::test
