#include "wharf/registry/registry_host.hpp"

#include <algorithm>

#include <arpa/inet.h>

namespace wharf::registry {

std::string host_without_port(std::string_view domain) {
  if (domain.starts_with('[')) {
    const auto close = domain.find(']');
    return std::string(domain.substr(1, close == std::string_view::npos ? close : close - 1));
  }
  return std::string(domain.substr(0, domain.find(':')));
}

bool is_loopback_domain(std::string_view domain) {
  const auto host = host_without_port(domain);
  if (host == "localhost") {
    return true;
  }
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

RegistryHost registry_host(std::string_view domain,
                           const std::vector<std::string>& insecure_registries) {
  RegistryHost host;
  host.domain = std::string(domain);
  if (domain == kDockerHubDomain) {
    host.api_base_url = "https://" + std::string(kDockerHubApiHost);
    host.config_key = std::string(kDockerHubConfigKey);
    return host;
  }
  const auto bare = host_without_port(domain);
  const bool marked_insecure = std::ranges::any_of(
      insecure_registries,
      [&](const std::string& entry) { return entry == domain || entry == bare; });
  host.plain_http = marked_insecure || is_loopback_domain(domain);
  host.api_base_url = (host.plain_http ? "http://" : "https://") + host.domain;
  host.config_key = host.domain;
  return host;
}

}  // namespace wharf::registry
