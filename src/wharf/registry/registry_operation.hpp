#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/registry/auth_state.hpp"
#include "wharf/registry/http_exchange.hpp"
#include "wharf/registry/registry_host.hpp"
#include "wharf/registry/retry_policy.hpp"

namespace wharf::registry {

/// What every operation on a registry shares: the client's authentication memory and its
/// limits. Owned by the client, borrowed by operations for one RequestLoop::run().
struct OperationContext {
  AuthState& auth;
  RetryPolicy retry;
  std::chrono::milliseconds request_timeout = kDefaultRequestTimeout;
};

/// What an operation is about: one repository on one registry, and the name messages use.
struct OperationTarget {
  RegistryHost host;
  std::string repository;  ///< "wharf/worker", "library/nginx".
  std::string subject;     ///< For messages: "127.0.0.1:5000/wharf/worker:1.1.0".
};

/// A sequence of requests about one repository, each of which goes through authentication
/// and retries before the subclass sees its answer:
/// - 401: reads WWW-Authenticate; Basic → resends with the registry's credentials; Bearer →
///   gets a token for `repository:<repo>:pull` from the realm (with credentials when there
///   are some) and resends. A registry's scheme and tokens are remembered in AuthState, so
///   the next request authenticates up front. A second 401 (or a 403) is an error saying
///   which credential source was tried.
/// - 429 and 5xx: retried after Retry-After or backoff (RetryPolicy).
/// Every other answer — 2xx, 404, … — goes to on_answer(), as do failures, already as
/// sentences naming the subject and registry.
class RegistryOperation : public Exchange {
 public:
  /// A request on the registry: method, path and query ("/v2/…"), extra headers.
  struct Request {
    std::string method = "GET";
    std::string path;
    std::vector<std::string> headers;
  };

  RegistryOperation(OperationContext& context, OperationTarget target);

  [[nodiscard]] Step begin() final;
  [[nodiscard]] Step on_outcome(HttpOutcome outcome) final;
  [[nodiscard]] Step on_wake() final;

 protected:
  [[nodiscard]] const OperationTarget& target() const noexcept { return target_; }

  /// The first request; called once, from begin().
  [[nodiscard]] virtual Request first_request() = 0;

  /// The final answer to the last request. Returns the next request, or nullopt when the
  /// operation is complete (the subclass keeps its own result).
  [[nodiscard]] virtual std::optional<Request> on_answer(Result<HttpResponse> answer) = 0;

 private:
  enum class Phase { resource, token };

  Step start(Request request);
  Step send_resource(std::optional<std::string> authorization = std::nullopt);
  Step send_token_request(const AuthChallenge& challenge);
  Step on_resource_response(HttpResponse response);
  Step on_token_response(HttpResponse response);
  // A 401/403: fails naming the credential source that was tried.
  Step refused(const HttpResponse& response);
  Step retry_later(const HttpResponse& response);
  Step finish(Result<HttpResponse> answer);
  Result<FoundCredentials> credentials();
  [[nodiscard]] std::string scope() const;

  OperationContext& context_;
  OperationTarget target_;
  Request request_;
  Phase phase_ = Phase::resource;
  int failed_attempts_ = 0;       // 429/5xx answers to the current request.
  bool reauthenticated_ = false;  // A 401 on the current request was already answered.
  bool sent_credentials_ = false;
  std::string token_url_;  // For messages about the token service.
  std::optional<Result<FoundCredentials>> credentials_;
};

}  // namespace wharf::registry
