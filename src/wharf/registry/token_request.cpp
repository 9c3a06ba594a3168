#include "wharf/registry/token_request.hpp"

#include <nlohmann/json.hpp>

#include "wharf/core/encoding.hpp"
#include "wharf/registry/registry_host.hpp"

namespace wharf::registry {
namespace {

// The OAuth2 client id docker sends with refresh tokens; token services require one.
constexpr std::string_view kClientId = "wharf";

}  // namespace

std::string pull_scope(std::string_view repository) {
  return "repository:" + std::string(repository) + ":pull";
}

std::string basic_authorization(const Credentials& credentials) {
  return "Authorization: Basic " + base64_encode(credentials.username + ":" + credentials.password);
}

Result<HttpRequest> make_token_request(const AuthChallenge& challenge, const std::string& scope,
                                       const std::optional<Credentials>& credentials,
                                       bool allow_plain_http, std::chrono::milliseconds timeout) {
  const auto realm = challenge.parameter("realm").value_or("");
  const bool https = realm.starts_with("https://");
  if (!https && !realm.starts_with("http://")) {
    return fail(ErrorKind::remote,
                "the registry asks for a bearer token but names no http(s) "
                "token service (realm \"" +
                    realm + "\").");
  }
  const auto host_start = realm.find("://") + 3;
  const auto realm_host = realm.substr(host_start, realm.find('/', host_start) - host_start);
  if (credentials && !https && !allow_plain_http && !is_loopback_domain(realm_host)) {
    return fail(ErrorKind::permission,
                "the registry's token service " + realm +
                    " is plain http; wharf does not send credentials there without TLS — mark "
                    "the registry insecure if that is really intended.");
  }
  std::string query;
  if (const auto service = challenge.parameter("service")) {
    query += "service=" + percent_encode(*service);
  }
  query += (query.empty() ? "" : "&") + std::string("scope=") + percent_encode(scope);

  HttpRequest request;
  request.timeout = timeout;
  if (credentials && !credentials->identity_token.empty()) {
    request.method = "POST";
    request.url = realm;
    request.headers.emplace_back("Content-Type: application/x-www-form-urlencoded");
    request.body = query + "&grant_type=refresh_token&refresh_token=" +
                   percent_encode(credentials->identity_token) +
                   "&client_id=" + std::string(kClientId);
    return request;
  }
  request.url = realm + (realm.find('?') == std::string::npos ? "?" : "&") + query;
  if (credentials && !credentials->username.empty()) {
    request.headers.push_back(basic_authorization(*credentials));
  }
  return request;
}

Result<BearerToken> parse_token_response(std::string_view body) {
  const auto document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  BearerToken token;
  if (document.is_object()) {
    for (const char* field : {"token", "access_token"}) {
      const auto found = document.find(field);
      if (found != document.end() && found->is_string() && !found->get<std::string>().empty()) {
        token.token = found->get<std::string>();
        break;
      }
    }
    const auto expires = document.find("expires_in");
    if (expires != document.end() && expires->is_number_integer() &&
        expires->get<long long>() > 0) {
      token.expires_in = std::chrono::seconds(expires->get<long long>());
    }
  }
  if (token.token.empty()) {
    return fail(ErrorKind::remote, "the token service answered without a \"token\".");
  }
  return token;
}

}  // namespace wharf::registry
