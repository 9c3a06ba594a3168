#include "wharf/engine/docker_host.hpp"

#include <charconv>
#include <cstdlib>

#include <sys/un.h>

namespace wharf::engine {
namespace {

constexpr std::string_view kAcceptedForms =
    "expected unix:///path/to/docker.sock, tcp://host:port or ssh://user@host";

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::unexpected<Error> bad_address(std::string_view origin, std::string_view text,
                                   std::string_view why) {
  return fail(ErrorKind::invalid_input, std::string(origin) + "=" + quoted(text) +
                                            " is not a Docker engine address: " + std::string(why) +
                                            ".");
}

struct Authority {
  std::string user;
  std::string host;
  std::optional<std::uint16_t> port;
};

// Splits "[user@]host[:port]" where host may be a bracketed IPv6 literal.
Result<Authority> parse_authority(std::string_view authority, std::string_view origin,
                                  std::string_view text, bool allow_user) {
  Authority result;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (!allow_user) {
      return bad_address(origin, text, "a tcp:// address cannot carry a user name");
    }
    result.user = authority.substr(0, at);
    authority.remove_prefix(at + 1);
  }
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return bad_address(origin, text, "the IPv6 address has no closing ']'");
    }
    result.host = authority.substr(1, close - 1);
    const auto rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) {
      return bad_address(origin, text, "expected ':port' after the IPv6 address");
    }
    port_text = rest.empty() ? rest : rest.substr(1);
    if (rest == ":") {
      return bad_address(origin, text, "the port after ':' is empty");
    }
  } else {
    const auto colon = authority.find(':');
    result.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) {
        return bad_address(origin, text, "the port after ':' is empty");
      }
    }
  }
  if (result.host.empty()) {
    return bad_address(origin, text, "the host name is missing");
  }
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, value);
    if (ec != std::errc{} || ptr != end || value == 0 || value > 65535) {
      return bad_address(origin, text,
                         "the port " + quoted(port_text) + " is not a number from 1 to 65535");
    }
    result.port = static_cast<std::uint16_t>(value);
  }
  return result;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

Result<DockerHost> parse_unix(std::string_view path, std::string_view origin,
                              std::string_view text) {
  if (path.empty()) {
    return bad_address(origin, text, "the socket path after unix:// is empty");
  }
  if (path.size() >= sizeof(sockaddr_un::sun_path)) {
    return bad_address(origin, text,
                       "the socket path is " + std::to_string(path.size()) +
                           " bytes long, but the system allows at most " +
                           std::to_string(sizeof(sockaddr_un::sun_path) - 1));
  }
  DockerHost host;
  host.scheme = HostScheme::unix_socket;
  host.socket_path = std::string(path);
  host.address = "unix://" + std::string(path);
  return host;
}

}  // namespace

Result<DockerHost> parse_docker_host(std::string_view text, std::string_view origin, bool use_tls) {
  const auto separator = text.find("://");
  if (separator == std::string_view::npos) {
    return bad_address(origin, text, std::string(kAcceptedForms));
  }
  const auto scheme = text.substr(0, separator);
  const auto rest = text.substr(separator + 3);
  if (scheme == "unix") {
    return parse_unix(rest, origin, text);
  }
  if (scheme != "tcp" && scheme != "ssh") {
    return bad_address(
        origin, text,
        "the scheme " + quoted(scheme) + " is not supported; " + std::string(kAcceptedForms));
  }
  const bool is_ssh = scheme == "ssh";
  auto authority = rest;
  if (const auto slash = authority.find('/'); slash != std::string_view::npos) {
    if (authority.find_first_not_of('/', slash) != std::string_view::npos) {
      return bad_address(origin, text, "a path after the host and port is not supported");
    }
    authority = authority.substr(0, slash);
  }
  auto parsed = parse_authority(authority, origin, text, is_ssh);
  if (!parsed) {
    return std::unexpected(std::move(parsed.error()));
  }
  DockerHost host;
  host.scheme = is_ssh ? HostScheme::ssh : HostScheme::tcp;
  host.host = std::move(parsed->host);
  host.user = std::move(parsed->user);
  host.port =
      parsed->port.value_or(is_ssh ? kSshPort : (use_tls ? kDockerTlsPort : kDockerPlainPort));
  host.address = std::string(scheme) + "://" + (host.user.empty() ? "" : host.user + "@") +
                 bracketed(host.host) + ":" + std::to_string(host.port);
  return host;
}

DockerEnvironment DockerEnvironment::from_process() {
  const auto read = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
  };
  return DockerEnvironment{read("DOCKER_HOST"), read("DOCKER_TLS_VERIFY"), read("DOCKER_CERT_PATH"),
                           read("HOME")};
}

Result<DockerHost> resolve_docker_host(const std::optional<std::string>& flag_host,
                                       const DockerEnvironment& environment) {
  const bool use_tls = environment.tls_verify && !environment.tls_verify->empty();
  Result<DockerHost> host = std::unexpected(Error{});
  if (flag_host) {
    host = parse_docker_host(*flag_host, "--host", use_tls);
  } else if (environment.docker_host && !environment.docker_host->empty()) {
    host = parse_docker_host(*environment.docker_host, "DOCKER_HOST", use_tls);
  } else {
    host = parse_docker_host("unix://" + std::string(kDefaultDockerSocket), "default", use_tls);
  }
  if (!host || !use_tls || host->scheme != HostScheme::tcp) {
    return host;
  }
  std::filesystem::path directory;
  if (environment.cert_path && !environment.cert_path->empty()) {
    directory = *environment.cert_path;
  } else if (environment.home && !environment.home->empty()) {
    directory = std::filesystem::path(*environment.home) / ".docker";
  } else {
    return fail(ErrorKind::invalid_input,
                "DOCKER_TLS_VERIFY is set but neither DOCKER_CERT_PATH nor HOME is, so wharf "
                "cannot find ca.pem, cert.pem and key.pem — set DOCKER_CERT_PATH.");
  }
  TlsFiles files{directory / "ca.pem", directory / "cert.pem", directory / "key.pem"};
  for (const auto* file : {&files.ca, &files.cert, &files.key}) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(*file, error)) {
      return fail(ErrorKind::invalid_input,
                  "DOCKER_TLS_VERIFY is set but " + file->string() +
                      " does not exist — set DOCKER_CERT_PATH to the directory that holds "
                      "ca.pem, cert.pem and key.pem for " +
                      host->address + ".");
    }
  }
  host->tls = std::move(files);
  return host;
}

}  // namespace wharf::engine
