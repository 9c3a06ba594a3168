#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/encoding.hpp"
#include "wharf/core/error.hpp"
#include "wharf/engine/docker_host.hpp"
#include "wharf/engine/timeouts.hpp"
#include "wharf/http/response.hpp"
#include "wharf/transport/connector.hpp"

namespace wharf::engine {

/// What the HTTP requests to one engine look like, whatever carries them.
struct HttpEndpoint {
  /// "http://localhost" for socket-like transports, "http(s)://host:port" for tcp://; the
  /// host part is what TLS verifies and what goes into the Host header.
  std::string base_url;
  std::optional<TlsFiles> tls;  ///< Set for https: CA, client certificate and key.
};

struct HttpRequest {
  std::string method = "GET";
  /// Path and query, already percent-encoded: "/v1.41/containers/json?all=1".
  std::string target;
  /// Sent as application/json when non-empty (and as an empty body for POST).
  std::string body;
  /// Extra headers, "Name: value".
  std::vector<std::string> headers;
  /// The whole exchange, connecting included; kNoTimeout for none.
  std::chrono::milliseconds timeout = kDefaultCallTimeout;
};

/// The engine's responses are the HTTP layer's one response type.
using HttpResponse = http::Response;

/// Receives body bytes of a successful (2xx) streamed response as they arrive, in arbitrary
/// chunks. Returning false stops the transfer (HttpResponse::stopped_early).
using BodyHandler = std::function<bool(std::string_view chunk)>;

/// Called once per streamed request, when the response's status line and headers have all
/// arrived and before any body byte: `status` is the final HTTP status. The engine's attach
/// endpoint is attached by then, which is what makes "attach, then start" lose nothing.
using HeadersHandler = std::function<void(long status)>;

/// One libcurl easy handle talking to one engine, keeping its connection alive across
/// requests (HTTP/1.1 keep-alive), and reconnecting to the Connector's target when the engine
/// closed it. Move-only; not thread-safe: use one HttpConnection per thread.
class HttpConnection {
 public:
  /// Prepares a connection; nothing is opened until the first request. Throws
  /// std::bad_alloc when libcurl cannot allocate a handle.
  HttpConnection(std::shared_ptr<transport::Connector> connector, HttpEndpoint endpoint);
  HttpConnection(HttpConnection&&) noexcept;
  HttpConnection& operator=(HttpConnection&&) noexcept;
  ~HttpConnection();

  /// Sends `request` and reads the whole response. Any HTTP status is a success here;
  /// failures are connection-level, as sentences naming the engine: ErrorKind::unavailable
  /// or permission when it cannot be reached (see transport::connect_failure()) or the connection
  /// broke, ErrorKind::timeout when request.timeout ran out, and whatever the connector's
  /// prepare() reported.
  [[nodiscard]] Result<HttpResponse> request(const HttpRequest& request);

  /// Like request(), but hands the body of a 2xx response to `on_body` as it arrives
  /// (responses with other statuses are collected into HttpResponse::body for the error
  /// message). Stops early, without an error, when `on_body` returns false. When `cancel`
  /// is requested the connection is shut down at once and the call fails with
  /// ErrorKind::cancelled.
  [[nodiscard]] Result<HttpResponse> stream(const HttpRequest& request, const BodyHandler& on_body,
                                            std::stop_token cancel = {});
  /// The same, and `on_headers` is told when the headers are complete (see HeadersHandler).
  [[nodiscard]] Result<HttpResponse> stream(const HttpRequest& request, const BodyHandler& on_body,
                                            const HeadersHandler& on_headers,
                                            std::stop_token cancel);

  /// How many connections (sockets) this handle has opened so far; with
  /// keep-alive working, many requests share one.
  [[nodiscard]] std::size_t connections_opened() const noexcept;

  /// The engine address, for messages.
  [[nodiscard]] const std::string& address() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace wharf::engine
