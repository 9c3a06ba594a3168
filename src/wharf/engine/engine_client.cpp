#include "wharf/engine/engine_client.hpp"

#include <nlohmann/json.hpp>

#include "wharf/core/utf8.hpp"
#include "wharf/engine/json_fields.hpp"
#include "wharf/util/log.hpp"

namespace wharf::engine {

struct EngineClient::Shared {
  DockerHost host;
  std::shared_ptr<transport::Connector> connector;
  HttpEndpoint endpoint;
  ApiVersion version;
};

namespace {

HttpEndpoint endpoint_for(const DockerHost& host) {
  if (host.scheme != HostScheme::tcp) {
    // The host part is only what goes into the Host header: the connector picks the peer.
    return HttpEndpoint{"http://localhost", std::nullopt};
  }
  const auto name = host.host.find(':') != std::string::npos ? "[" + host.host + "]" : host.host;
  return HttpEndpoint{(host.tls ? "https://" : "http://") + name + ":" + std::to_string(host.port),
                      host.tls};
}

ErrorKind kind_for_status(long status) {
  switch (status) {
    case 400:
      return ErrorKind::invalid_input;
    case 401:
    case 403:
      return ErrorKind::permission;
    case 404:
      return ErrorKind::not_found;
    case 409:
      return ErrorKind::conflict;
    case 503:
      return ErrorKind::unavailable;
    default:
      return ErrorKind::remote;
  }
}

// The engine explains errors as {"message": "..."}; older proxies send plain text.
std::string engine_message(const HttpResponse& response) {
  const auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_object() && json.contains("message") && json["message"].is_string()) {
    return json["message"].get<std::string>();
  }
  std::string text(utf8_prefix(response.body, 300));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text.empty() ? "HTTP status " + std::to_string(response.status) : text;
}

}  // namespace

Result<EngineClient> EngineClient::connect(const DockerHost& host,
                                           std::shared_ptr<transport::Connector> connector,
                                           std::chrono::milliseconds timeout) {
  auto shared =
      std::make_shared<Shared>(Shared{host, std::move(connector), endpoint_for(host), {}});
  HttpConnection connection(shared->connector, shared->endpoint);

  auto ping = connection.request(HttpRequest{"GET", "/_ping", {}, {}, timeout});
  if (!ping) {
    return std::unexpected(std::move(ping.error()));
  }
  if (ping->status != 200) {
    return fail(kind_for_status(ping->status),
                "the Docker engine at " + host.address + " answered /_ping with HTTP " +
                    std::to_string(ping->status) + " (" + engine_message(*ping) +
                    ") — is that address really a Docker engine?");
  }
  const auto header = ping->header("API-Version");
  const auto server_max = header ? ApiVersion::parse(*header) : std::nullopt;
  std::optional<ApiVersion> server_min;
  // Only /version knows the engine's minimum, and it is slow (dockerd runs `runc --version`
  // and `docker-init --version` to answer it: 25-130 ms against 1 ms for /_ping). The minimum
  // matters only when wharf would speak an older API than the engine's newest; an engine
  // whose newest is at most wharf's maximum accepts that newest by definition.
  const bool may_be_too_old = !server_max || kMaximumApiVersion < *server_max;
  if (auto version = may_be_too_old
                         ? connection.request(HttpRequest{"GET", "/version", {}, {}, timeout})
                         : Result<HttpResponse>(std::unexpected(Error{}));
      version && version->status == 200) {
    const auto json = nlohmann::json::parse(version->body, nullptr, false);
    server_min = ApiVersion::parse(json_fields::string_at(json, "MinAPIVersion"));
  }
  auto chosen = negotiate_api_version(server_max, server_min, host.address);
  if (!chosen) {
    return std::unexpected(std::move(chosen.error()));
  }
  shared->version = *chosen;
  log::debug("engine {}: speaks API {}, using {}", host.address,
             server_max ? server_max->to_string() : "?", chosen->to_string());
  return EngineClient(std::move(shared), std::move(connection));
}

EngineClient::EngineClient(std::shared_ptr<const Shared> shared, HttpConnection connection)
    : shared_(std::move(shared)), connection_(std::move(connection)) {}
EngineClient::EngineClient(EngineClient&&) noexcept = default;
EngineClient& EngineClient::operator=(EngineClient&&) noexcept = default;
EngineClient::~EngineClient() = default;

EngineClient EngineClient::clone() const {
  return EngineClient(shared_, HttpConnection(shared_->connector, shared_->endpoint));
}

const DockerHost& EngineClient::host() const noexcept {
  return shared_->host;
}
ApiVersion EngineClient::api_version() const noexcept {
  return shared_->version;
}
std::size_t EngineClient::connections_opened() const noexcept {
  return connection_.connections_opened();
}

Error EngineClient::api_error(const HttpResponse& response, std::string_view what) const {
  auto error = Error::make(kind_for_status(response.status),
                           "the Docker engine at " + shared_->host.address + " could not " +
                               std::string(what) + ": " + engine_message(response) + ".");
  error.http_status = static_cast<int>(response.status);
  return error;
}

Result<void> EngineClient::check_path_segment(std::string_view value, std::string_view what) const {
  // IDs and image names go into URL paths unescaped (as the docker CLI does, because the
  // engine's router matches names containing '/'); refuse what would change the URL.
  if (value.empty() || value.find_first_of("?#% \t\r\n") != std::string_view::npos ||
      value.find("..") != std::string_view::npos) {
    return fail(ErrorKind::invalid_input,
                "\"" + std::string(value) + "\" is not a valid " + std::string(what) + ".");
  }
  return {};
}

Result<HttpResponse> EngineClient::raw_request(HttpRequest request) {
  request.target = shared_->version.path_prefix() + request.target;
  return connection_.request(request);
}

Result<HttpResponse> EngineClient::call(std::string method, std::string target, std::string body,
                                        std::chrono::milliseconds timeout, std::string_view what) {
  auto response =
      raw_request(HttpRequest{std::move(method), std::move(target), std::move(body), {}, timeout});
  if (response && (response->status < 200 || response->status >= 300) && response->status != 304) {
    return std::unexpected(api_error(*response, what));
  }
  return response;
}

Result<HttpResponse> EngineClient::call_stream(HttpRequest request, const BodyHandler& on_body,
                                               std::stop_token cancel, std::string_view what,
                                               const HeadersHandler& on_headers) {
  request.target = shared_->version.path_prefix() + request.target;
  auto response = on_headers ? connection_.stream(request, on_body, on_headers, std::move(cancel))
                             : connection_.stream(request, on_body, std::move(cancel));
  if (response && (response->status < 200 || response->status >= 300)) {
    return std::unexpected(api_error(*response, what));
  }
  return response;
}

Result<nlohmann::json> EngineClient::call_json(std::string method, std::string target,
                                               std::string body, std::chrono::milliseconds timeout,
                                               std::string_view what) {
  auto response = call(std::move(method), std::move(target), std::move(body), timeout, what);
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (json.is_discarded()) {
    return fail(ErrorKind::remote, "the Docker engine at " + shared_->host.address +
                                       " answered a request to " + std::string(what) +
                                       " with something that is not JSON.");
  }
  return json;
}

Result<PingInfo> EngineClient::ping(std::chrono::milliseconds timeout) {
  auto response = connection_.request(HttpRequest{"GET", "/_ping", {}, {}, timeout});
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  if (response->status != 200) {
    return std::unexpected(api_error(*response, "answer /_ping"));
  }
  PingInfo info;
  info.api_version =
      ApiVersion::parse(response->header("API-Version").value_or("")).value_or(shared_->version);
  info.os_type = response->header("OSType").value_or("");
  info.experimental = response->header("Docker-Experimental").value_or("") == "true";
  info.server = response->header("Server").value_or("");
  return info;
}

Result<VersionInfo> EngineClient::version(std::chrono::milliseconds timeout) {
  auto json = call_json("GET", "/version", {}, timeout, "report its version");
  if (!json) {
    return std::unexpected(std::move(json.error()));
  }
  VersionInfo info;
  info.version = json_fields::string_at(*json, "Version");
  info.api_version =
      ApiVersion::parse(json_fields::string_at(*json, "ApiVersion")).value_or(ApiVersion{});
  info.min_api_version = ApiVersion::parse(json_fields::string_at(*json, "MinAPIVersion"));
  info.os = json_fields::string_at(*json, "Os");
  info.arch = json_fields::string_at(*json, "Arch");
  info.kernel_version = json_fields::string_at(*json, "KernelVersion");
  info.raw = std::move(*json);
  return info;
}

}  // namespace wharf::engine
