#pragma once

// A small libcurl client for checking the private peers directly. wharf's own Engine API and
// registry clients are tested elsewhere; this one only has to prove the peers work, so it
// stays independent of them.

#include <map>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf::test {

struct HttpProbeRequest {
  std::string url;                     ///< For a unix socket the host part is ignored.
  std::string method = "GET";          ///< "GET" or "HEAD".
  std::string unix_socket{};           ///< Connect to this socket instead of over TCP when set.
  std::vector<std::string> headers{};  ///< Extra "Name: value" lines.
  std::string user_password{};         ///< "user:password" for basic authentication when set.
};

struct HttpProbeAnswer {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< Names in lower case, values trimmed.
};

/// Sends one request with a 10 s timeout. Fails only when no HTTP answer arrived; any status,
/// 4xx and 5xx included, is a successful answer for the caller to judge.
[[nodiscard]] Result<HttpProbeAnswer> http_probe(const HttpProbeRequest& request);

}  // namespace wharf::test
