#include "wharf/engine/http_connection.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <mutex>

#include <curl/curl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wharf/http/curl_handles.hpp"
#include "wharf/http/header_line.hpp"
#include "wharf/http/transfer_failure.hpp"
#include "wharf/transport/connect_failure.hpp"
#include "wharf/util/log.hpp"

namespace wharf::engine {
// Everything curl's callbacks point at lives here, behind a unique_ptr, so that moving an
// HttpConnection never invalidates the pointers curl holds.
struct HttpConnection::State {
  http::EasyHandle curl;
  std::shared_ptr<transport::Connector> connector;
  HttpEndpoint endpoint;
  std::optional<std::filesystem::path> unix_socket;  // As last given to curl.
  std::size_t connections_opened = 0;

  // Per transfer.
  std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;
  bool request_sent = false;
  HttpResponse* response = nullptr;
  const BodyHandler* on_body = nullptr;
  const HeadersHandler* on_headers = nullptr;
  std::stop_token cancel;

  // The socket curl currently uses, so that a cancel from another thread can shut it down.
  std::mutex socket_mutex;
  curl_socket_t socket = CURL_SOCKET_BAD;
  bool cancel_fired = false;

  State(std::shared_ptr<transport::Connector> connector_in, HttpEndpoint endpoint_in)
      : connector(std::move(connector_in)), endpoint(std::move(endpoint_in)) {
    CURL* handle = curl.get();
    // WHARF_CURL_VERBOSE=1 prints curl's own trace to stderr, for debugging a transport.
    curl_easy_setopt(handle, CURLOPT_VERBOSE, std::getenv("WHARF_CURL_VERBOSE") ? 1L : 0L);
    curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, &State::open_socket);
    curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, this);
    curl_easy_setopt(handle, CURLOPT_CLOSESOCKETFUNCTION, &State::close_socket);
    curl_easy_setopt(handle, CURLOPT_CLOSESOCKETDATA, this);
    curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, &State::on_request_ready);
    curl_easy_setopt(handle, CURLOPT_PREREQDATA, this);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &State::on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &State::on_write);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &State::on_progress);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, this);
    if (endpoint.tls) {
      curl_easy_setopt(handle, CURLOPT_CAINFO, endpoint.tls->ca.c_str());
      curl_easy_setopt(handle, CURLOPT_SSLCERT, endpoint.tls->cert.c_str());
      curl_easy_setopt(handle, CURLOPT_SSLKEY, endpoint.tls->key.c_str());
      curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    }
  }

  // curl connects the socket itself (see connector.hpp for why); creating it here lets us
  // count connections, make it close-on-exec so that child processes never inherit an
  // engine connection, and shut it down from another thread on cancel.
  static curl_socket_t open_socket(void* data, curlsocktype /*purpose*/, curl_sockaddr* address) {
    auto* self = static_cast<State*>(data);
    const std::lock_guard lock(self->socket_mutex);
    if (self->cancel_fired) {
      return CURL_SOCKET_BAD;
    }
    const int fd = ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (fd < 0) {
      return CURL_SOCKET_BAD;
    }
    ++self->connections_opened;
    self->socket = fd;
    return fd;
  }

  static int close_socket(void* data, curl_socket_t fd) {
    auto* self = static_cast<State*>(data);
    const std::lock_guard lock(self->socket_mutex);
    if (self->socket == fd) {
      self->socket = CURL_SOCKET_BAD;
    }
    return ::close(fd);
  }

  // Runs once the connection is up (new or reused), just before the request goes out.
  static int on_request_ready(void* data, char* /*ip*/, char* /*local_ip*/, int /*port*/,
                              int /*local_port*/) {
    static_cast<State*>(data)->request_sent = true;
    return CURL_PREREQFUNC_OK;
  }

  static std::size_t on_header(char* buffer, std::size_t size, std::size_t count, void* data) {
    auto* self = static_cast<State*>(data);
    const std::string_view line(buffer, size * count);
    if (http::collect_header_line(*self->response, line) ==
        http::HeaderLine::Kind::end_of_headers) {
      const long status = self->curl.response_code();
      // Interim responses (1xx) end with a blank line too; only the final one counts.
      if (self->on_headers != nullptr && status >= 200) {
        (*self->on_headers)(status);
      }
    }
    return size * count;
  }

  static std::size_t on_write(char* buffer, std::size_t size, std::size_t count, void* data) {
    auto* self = static_cast<State*>(data);
    const std::string_view chunk(buffer, size * count);
    const long status = self->curl.response_code();
    if (self->on_body != nullptr && status >= 200 && status < 300) {
      if (!(*self->on_body)(chunk)) {
        self->response->stopped_early = true;
        return 0;  // Makes curl stop with CURLE_WRITE_ERROR.
      }
      return chunk.size();
    }
    self->response->body.append(chunk);
    return chunk.size();
  }

  static int on_progress(void* data, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* self = static_cast<State*>(data);
    return self->cancel.stop_requested() ? 1 : 0;
  }

  void shut_down_for_cancel() {
    const std::lock_guard lock(socket_mutex);
    cancel_fired = true;
    if (socket != CURL_SOCKET_BAD) {
      // Wakes curl from a blocking wait at once; curl then closes the socket itself.
      ::shutdown(socket, SHUT_RDWR);
    }
  }

  void set_method_and_body(const HttpRequest& request);
  Result<HttpResponse> perform(const HttpRequest& request, const BodyHandler* handler,
                               const HeadersHandler* headers_handler, std::stop_token stop);
  Error transfer_error(const http::TransferFailure& failure, const HttpRequest& request) const;
};

void HttpConnection::State::set_method_and_body(const HttpRequest& request) {
  curl.set_method(request.method, request.body);
  auto header_lines = request.headers;
  // No "Expect: 100-continue" round trip, and no form content type on JSON bodies.
  header_lines.emplace_back("Expect:");
  header_lines.emplace_back(request.body.empty() ? "Content-Type:"
                                                 : "Content-Type: application/json");
  curl.set_headers(header_lines);
}

Result<HttpResponse> HttpConnection::State::perform(const HttpRequest& request,
                                                    const BodyHandler* handler,
                                                    const HeadersHandler* headers_handler,
                                                    std::stop_token stop) {
  CURL* handle = curl.get();
  connect_timeout = request.timeout == kNoTimeout
                        ? kDefaultConnectTimeout
                        : std::min(kDefaultConnectTimeout, request.timeout);
  auto target = connector->prepare(connect_timeout);
  if (!target) {
    return std::unexpected(std::move(target.error()));
  }
  if (target->unix_socket != unix_socket) {
    unix_socket = target->unix_socket;
    curl_easy_setopt(handle, CURLOPT_UNIX_SOCKET_PATH,
                     unix_socket ? unix_socket->c_str() : nullptr);
  }
  const std::string url = endpoint.base_url + request.target;
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  set_method_and_body(request);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));

  HttpResponse result;
  response = &result;
  on_body = handler;
  on_headers = headers_handler;
  cancel = stop;
  request_sent = false;
  curl.clear_error_text();
  {
    const std::lock_guard lock(socket_mutex);
    cancel_fired = false;
  }
  const auto started = std::chrono::steady_clock::now();
  CURLcode code = CURLE_OK;
  {
    const std::stop_callback on_cancel(stop, [this] { shut_down_for_cancel(); });
    code = curl_easy_perform(handle);
  }
  response = nullptr;
  on_body = nullptr;
  on_headers = nullptr;
  cancel = {};
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  result.status = curl.response_code();
  log::debug("engine {}: {} {} -> {} ({}) in {} ms", connector->address(), request.method,
             request.target, result.status, curl_easy_strerror(code), elapsed.count());

  if (cancel_fired || (code == CURLE_ABORTED_BY_CALLBACK && stop.stop_requested())) {
    return fail(ErrorKind::cancelled, request.method + " " + request.target +
                                          " to the Docker engine at " + connector->address() +
                                          " was cancelled.");
  }
  if (code == CURLE_OK && handler != nullptr) {
    // A stream read until the connection closed ended: by itself, or because the transport
    // under it was lost and closed it cleanly. Only the connector can tell.
    if (auto lost = connector->session_lost(target->session)) {
      lost->message = request.method + " " + request.target + " to the Docker engine at " +
                      connector->address() + " was cut off: " + lost->message;
      return std::unexpected(std::move(*lost));
    }
  }
  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && result.stopped_early)) {
    return result;
  }
  // The connection counts as up only once the request went out: a TLS handshake that hangs
  // is an engine that cannot be reached, not a slow answer.
  const auto failure = http::classify_transfer(
      {static_cast<int>(code), curl.error_text(), curl.os_errno(), request_sent});
  return std::unexpected(transfer_error(failure, request));
}

Error HttpConnection::State::transfer_error(const http::TransferFailure& failure,
                                            const HttpRequest& request) const {
  using http::FailureKind;
  if (failure.kind == FailureKind::cannot_connect || failure.kind == FailureKind::connection_lost) {
    if (auto transport = connector->transport_failure()) {
      transport->message = request.method + " " + request.target + " failed: " + transport->message;
      return std::move(*transport);
    }
  }
  const std::string what = request.method + " " + request.target;
  switch (failure.kind) {
    case FailureKind::cannot_connect:
    case FailureKind::connect_timeout:
      return transport::connect_failure(connector->address(), failure.os_errno,
                                        unix_socket.has_value(), connect_timeout);
    case FailureKind::cannot_resolve:
      return Error::make(http::error_kind(failure.kind),
                         "cannot reach the Docker engine at " + connector->address() +
                             ": its host name does not resolve — check DOCKER_HOST or --host.");
    case FailureKind::tls_timeout:
      if (!request_sent) {
        return transport::connect_failure(connector->address(), ETIMEDOUT, unix_socket.has_value(),
                                          connect_timeout);
      }
      [[fallthrough]];
    case FailureKind::timeout:
      return Error::make(ErrorKind::timeout, "the Docker engine at " + connector->address() +
                                                 " did not finish " + what + " within " +
                                                 describe_duration(request.timeout) + ".");
    case FailureKind::tls:
      return Error::make(http::error_kind(failure.kind),
                         "the TLS handshake with the Docker engine at " + connector->address() +
                             " failed: " + failure.detail +
                             " — check ca.pem, cert.pem and key.pem in DOCKER_CERT_PATH.");
    default:
      return Error::make(http::error_kind(failure.kind),
                         "the connection to the Docker engine at " + connector->address() +
                             " failed during " + what + ": " + failure.detail + ".");
  }
}

HttpConnection::HttpConnection(std::shared_ptr<transport::Connector> connector,
                               HttpEndpoint endpoint)
    : state_(std::make_unique<State>(std::move(connector), std::move(endpoint))) {}
HttpConnection::HttpConnection(HttpConnection&&) noexcept = default;
HttpConnection& HttpConnection::operator=(HttpConnection&&) noexcept = default;
HttpConnection::~HttpConnection() = default;

Result<HttpResponse> HttpConnection::request(const HttpRequest& request) {
  return state_->perform(request, nullptr, nullptr, {});
}

Result<HttpResponse> HttpConnection::stream(const HttpRequest& request, const BodyHandler& on_body,
                                            std::stop_token cancel) {
  return state_->perform(request, &on_body, nullptr, std::move(cancel));
}

Result<HttpResponse> HttpConnection::stream(const HttpRequest& request, const BodyHandler& on_body,
                                            const HeadersHandler& on_headers,
                                            std::stop_token cancel) {
  return state_->perform(request, &on_body, &on_headers, std::move(cancel));
}

std::size_t HttpConnection::connections_opened() const noexcept {
  return state_->connections_opened;
}

const std::string& HttpConnection::address() const noexcept {
  return state_->connector->address();
}

}  // namespace wharf::engine
