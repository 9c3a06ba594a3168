#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <variant>
#include <vector>

#include "wharf/http/response.hpp"
#include "wharf/http/transfer_failure.hpp"
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

/// A registry's responses are the HTTP layer's one response type.
using HttpResponse = http::Response;

/// A response, or why none arrived (the HTTP layer's reading of curl's result).
using HttpOutcome = std::expected<HttpResponse, http::TransferFailure>;

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
