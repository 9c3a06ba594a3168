#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/registry/auth_challenge.hpp"
#include "wharf/registry/credentials.hpp"
#include "wharf/registry/http_exchange.hpp"

namespace wharf::registry {

/// The scope a pull needs: "repository:<repository>:pull".
[[nodiscard]] std::string pull_scope(std::string_view repository);

/// The "Authorization: Basic …" header line for a user name and password.
[[nodiscard]] std::string basic_authorization(const Credentials& credentials);

/// The request for a bearer token (the distribution token protocol) answering `challenge`:
/// a GET to its realm with `service` and `scope` in the query — with Basic credentials when
/// there are some — or, for an identity token, the OAuth2 refresh-token POST docker uses.
/// Fails with ErrorKind::remote when the challenge has no http(s) realm, and with
/// ErrorKind::permission when credentials would go to a plain-http realm that is neither on
/// loopback nor `allow_plain_http` (the registry itself being marked insecure).
[[nodiscard]] Result<HttpRequest> make_token_request(const AuthChallenge& challenge,
                                                     const std::string& scope,
                                                     const std::optional<Credentials>& credentials,
                                                     bool allow_plain_http,
                                                     std::chrono::milliseconds timeout);

/// A token service's answer.
struct BearerToken {
  std::string token;
  std::chrono::seconds expires_in{60};  ///< 60 s when the answer does not say (the spec's default).
};

/// Parses a token service's JSON: "token" or "access_token" (OAuth2), "expires_in". Fails
/// with ErrorKind::remote when neither token field holds a string.
[[nodiscard]] Result<BearerToken> parse_token_response(std::string_view body);

}  // namespace wharf::registry
