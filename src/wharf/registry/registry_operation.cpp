#include "wharf/registry/registry_operation.hpp"

#include "wharf/registry/registry_errors.hpp"
#include "wharf/registry/token_request.hpp"
#include "wharf/util/log.hpp"

namespace wharf::registry {
namespace {

using Clock = std::chrono::steady_clock;

/// A token is used only while it has this much life left, so it does not expire in flight.
constexpr std::chrono::seconds kTokenExpiryMargin{5};

Error with_subject(Error error, std::string_view subject) {
  error.message = std::string(subject) + ": " + error.message;
  return error;
}

}  // namespace

RegistryOperation::RegistryOperation(OperationContext& context, OperationTarget target)
    : context_(context), target_(std::move(target)) {}

Exchange::Step RegistryOperation::begin() {
  return start(first_request());
}

Exchange::Step RegistryOperation::start(Request request) {
  request_ = std::move(request);
  failed_attempts_ = 0;
  reauthenticated_ = false;
  return send_resource();
}

std::string RegistryOperation::scope() const {
  return pull_scope(target_.repository);
}

Result<FoundCredentials> RegistryOperation::credentials() {
  if (!credentials_) {
    auto found = context_.auth.credentials_for(target_.host);
    if (!found) {
      found = std::unexpected(with_subject(std::move(found.error()), target_.subject));
    }
    credentials_ = std::move(found);
  }
  return *credentials_;
}

Exchange::Step RegistryOperation::send_resource(std::optional<std::string> authorization) {
  phase_ = Phase::resource;
  const AuthChallenge* known = context_.auth.known_challenge(target_.host.domain);
  if (!authorization && known != nullptr && known->scheme == "bearer") {
    auto token = context_.auth.token(target_.host.domain, scope(), Clock::now());
    if (!token) {
      return send_token_request(*known);
    }
    authorization = "Authorization: Bearer " + *token;
  } else if (!authorization && known != nullptr && known->scheme == "basic") {
    auto found = credentials();
    if (!found) {
      return finish(std::unexpected(std::move(found.error())));
    }
    if (found->credentials && !found->credentials->username.empty()) {
      authorization = basic_authorization(*found->credentials);
    }
  }
  HttpRequest request;
  request.method = request_.method;
  request.url = target_.host.api_base_url + request_.path;
  request.headers = request_.headers;
  request.timeout = context_.request_timeout;
  if (authorization) {
    request.headers.push_back(std::move(*authorization));
  }
  return Send{std::move(request)};
}

Exchange::Step RegistryOperation::send_token_request(const AuthChallenge& challenge) {
  auto found = credentials();
  if (!found) {
    return finish(std::unexpected(std::move(found.error())));
  }
  auto request = make_token_request(challenge, scope(), found->credentials, target_.host.plain_http,
                                    context_.request_timeout);
  if (!request) {
    return finish(std::unexpected(with_subject(std::move(request.error()), target_.subject)));
  }
  token_url_ = request->url.substr(0, request->url.find('?'));
  phase_ = Phase::token;
  return Send{std::move(*request)};
}

Exchange::Step RegistryOperation::on_outcome(HttpOutcome outcome) {
  if (!outcome) {
    return finish(std::unexpected(transport_error(target_.subject, target_.host, outcome.error(),
                                                  phase_ == Phase::token ? token_url_ : "")));
  }
  return phase_ == Phase::resource ? on_resource_response(std::move(*outcome))
                                   : on_token_response(std::move(*outcome));
}

Exchange::Step RegistryOperation::on_resource_response(HttpResponse response) {
  if (response.status == 401 && !reauthenticated_) {
    reauthenticated_ = true;
    auto challenges = parse_www_authenticate(response.joined_header("WWW-Authenticate"));
    if (!challenges) {
      return finish(std::unexpected(
          protocol_error(target_.subject, target_.host,
                         "refused access (HTTP 401) without a usable WWW-Authenticate header")));
    }
    if (const AuthChallenge* bearer = find_challenge(*challenges, "bearer")) {
      context_.auth.remember_challenge(target_.host.domain, *bearer);
      context_.auth.forget_token(target_.host.domain, scope());
      return send_token_request(*bearer);
    }
    if (const AuthChallenge* basic = find_challenge(*challenges, "basic")) {
      context_.auth.remember_challenge(target_.host.domain, *basic);
      auto found = credentials();
      if (!found) {
        return finish(std::unexpected(std::move(found.error())));
      }
      if (!found->credentials || found->credentials->username.empty()) {
        return finish(std::unexpected(access_refused(target_.subject, target_.host, 401, *found)));
      }
      return send_resource();
    }
    return finish(std::unexpected(
        protocol_error(target_.subject, target_.host,
                       "asks for an authentication scheme wharf does not support (" +
                           challenges->front().scheme + "); wharf speaks Basic and Bearer")));
  }
  if (response.status == 401 || response.status == 403) {
    return refused(response);
  }
  if (is_retryable_status(response.status)) {
    return retry_later(response);
  }
  return finish(std::move(response));
}

Exchange::Step RegistryOperation::on_token_response(HttpResponse response) {
  if (response.status == 200) {
    auto token = parse_token_response(response.body);
    if (!token) {
      return finish(std::unexpected(protocol_error(
          target_.subject, target_.host,
          "has a token service (" + token_url_ + ") that answered without a token")));
    }
    const auto life = token->expires_in - kTokenExpiryMargin;
    context_.auth.store_token(target_.host.domain, scope(), token->token,
                              Clock::now() + std::max(life, std::chrono::seconds(0)));
    // The fresh token is used directly: one that expires within the margin still works once.
    return send_resource("Authorization: Bearer " + token->token);
  }
  if (response.status == 401 || response.status == 403) {
    return refused(response);
  }
  if (is_retryable_status(response.status)) {
    return retry_later(response);
  }
  return finish(std::unexpected(unexpected_status(target_.subject, target_.host,
                                                  "the token request to " + token_url_, response)));
}

Exchange::Step RegistryOperation::refused(const HttpResponse& response) {
  auto found = credentials();
  if (!found) {
    return finish(std::unexpected(std::move(found.error())));
  }
  return finish(std::unexpected(access_refused(target_.subject, target_.host, response.status,
                                               *found, registry_error_detail(response.body))));
}

Exchange::Step RegistryOperation::retry_later(const HttpResponse& response) {
  ++failed_attempts_;
  const auto retry_after = response.header("Retry-After").and_then([](const std::string& value) {
    return parse_retry_after(value, std::chrono::system_clock::now());
  });
  const auto& policy = context_.retry;
  if (failed_attempts_ >= policy.max_attempts ||
      (retry_after && *retry_after > policy.max_retry_after)) {
    return finish(std::unexpected(still_unavailable(target_.subject, target_.host, response.status,
                                                    failed_attempts_, retry_after)));
  }
  const auto delay = retry_delay(policy, failed_attempts_, retry_after);
  log::debug("registry {}: HTTP {} for {}; retrying in {} ms", target_.host.domain, response.status,
             target_.subject, delay.count());
  return Sleep{Clock::now() + delay};
}

Exchange::Step RegistryOperation::on_wake() {
  if (phase_ == Phase::token) {
    if (const AuthChallenge* known = context_.auth.known_challenge(target_.host.domain)) {
      return send_token_request(*known);
    }
  }
  return send_resource();
}

Exchange::Step RegistryOperation::finish(Result<HttpResponse> answer) {
  auto next = on_answer(std::move(answer));
  if (!next) {
    return Done{};
  }
  return start(std::move(*next));
}

}  // namespace wharf::registry
