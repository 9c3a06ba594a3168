#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wharf::registry {

/// Where a registry named in an image reference is reached, and under which name its login
/// is stored: the three differ for Docker Hub.
struct RegistryHost {
  std::string domain;        ///< As in the reference: "docker.io", "127.0.0.1:5000".
  std::string api_base_url;  ///< "https://registry-1.docker.io", "http://127.0.0.1:5000".
  std::string config_key;    ///< config.json key: "https://index.docker.io/v1/" or the domain.
  bool plain_http = false;   ///< True when api_base_url is http:// (no TLS).
};

/// The docker.io name used in references, and the hosts the docker CLI uses for it.
inline constexpr std::string_view kDockerHubDomain = "docker.io";
inline constexpr std::string_view kDockerHubApiHost = "registry-1.docker.io";
inline constexpr std::string_view kDockerHubConfigKey = "https://index.docker.io/v1/";

/// The host for `domain` (an ImageReference::domain()). TLS (https, verified with the
/// system CAs) unless the domain is a loopback address (see is_loopback_domain()) or is
/// listed in `insecure_registries` — entries are a domain with port ("10.0.0.5:5000") or a
/// bare host that then covers all its ports. Like docker, wharf never falls back from
/// https to http on its own.
[[nodiscard]] RegistryHost registry_host(std::string_view domain,
                                         const std::vector<std::string>& insecure_registries);

/// True when `domain` (with or without ":port") is "localhost", an IPv4 address in
/// 127.0.0.0/8 or the IPv6 loopback [::1] — the registries docker itself reaches over plain
/// HTTP without configuration. Only literal dotted-quad addresses count, as in docker.
[[nodiscard]] bool is_loopback_domain(std::string_view domain);

/// The host part of a domain: "[::1]:5000" → "::1", "host:5000" → "host".
[[nodiscard]] std::string host_without_port(std::string_view domain);

}  // namespace wharf::registry
