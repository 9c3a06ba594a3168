#pragma once

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "wharf/registry/registry_defaults.hpp"

namespace wharf::registry {

/// One HTTP request to a registry or its token service.
struct HttpRequest {
  std::string method = "GET";  ///< GET, HEAD or POST.
  std::string url;             ///< Absolute: "https://registry-1.docker.io/v2/…".
  /// "Name: value" lines. They may carry credentials, so they are never logged.
  std::vector<std::string> headers;
  std::string body;  ///< For POST: an application/x-www-form-urlencoded form.
  std::chrono::milliseconds timeout = kDefaultRequestTimeout;  ///< The whole exchange.
};

struct HttpResponse {
  long status = 0;
  /// Headers of the final response (after redirects), names as sent, values trimmed.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first header called `name` (case-insensitive).
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
  /// Every header called `name`, joined with ", " (how HTTP combines repeated headers);
  /// "" when there is none.
  [[nodiscard]] std::string joined_header(std::string_view name) const;
};

/// Why no HTTP response arrived.
enum class TransportProblem {
  cannot_resolve,  ///< The host name does not resolve.
  cannot_connect,  ///< Connection refused, unreachable, or connecting timed out.
  tls,             ///< The TLS handshake or certificate verification failed.
  timeout,         ///< Connected, but the whole request did not finish in time.
  broken,          ///< Anything else: the connection broke, too many redirects, …
};

struct TransportFailure {
  TransportProblem problem = TransportProblem::broken;
  std::string detail;  ///< libcurl's description, for the end of a sentence.
};

using HttpOutcome = std::expected<HttpResponse, TransportFailure>;

/// A conversation with registries that a RequestLoop drives: each step either sends one
/// request, sleeps until a time (a retry's backoff), or says the conversation is over.
/// Exchanges never block and never run two requests at once, so one thread can drive many.
class Exchange {
 public:
  struct Send {
    HttpRequest request;
  };
  struct Sleep {
    std::chrono::steady_clock::time_point until;
  };
  struct Done {};
  using Step = std::variant<Send, Sleep, Done>;

  virtual ~Exchange() = default;

  /// The first step; called once.
  [[nodiscard]] virtual Step begin() = 0;
  /// The outcome of the request of the last Send step.
  [[nodiscard]] virtual Step on_outcome(HttpOutcome outcome) = 0;
  /// Called once the time of the last Sleep step has come.
  [[nodiscard]] virtual Step on_wake() = 0;
};

}  // namespace wharf::registry
