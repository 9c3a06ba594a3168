#include "wharf/registry/registry_host.hpp"

#include <gtest/gtest.h>

namespace wharf::registry {
namespace {

TEST(RegistryHost, DockerHubIsReachedAtItsApiHostWithItsLegacyConfigKey) {
  const auto hub = registry_host("docker.io", {});
  EXPECT_EQ(hub.api_base_url, "https://registry-1.docker.io");
  EXPECT_EQ(hub.config_key, "https://index.docker.io/v1/");
  EXPECT_FALSE(hub.plain_http);
  // Even a user who lists docker.io as insecure gets TLS: nothing else answers there.
  EXPECT_FALSE(registry_host("docker.io", {"docker.io"}).plain_http);
}

TEST(RegistryHost, OtherRegistriesUseTlsAndTheirDomainAsConfigKey) {
  const auto ghcr = registry_host("ghcr.io", {});
  EXPECT_EQ(ghcr.api_base_url, "https://ghcr.io");
  EXPECT_EQ(ghcr.config_key, "ghcr.io");
  const auto port = registry_host("reg.example:5000", {});
  EXPECT_EQ(port.api_base_url, "https://reg.example:5000");
  EXPECT_EQ(port.config_key, "reg.example:5000");
}

TEST(RegistryHost, LoopbackRegistriesUsePlainHttp) {
  for (const char* domain :
       {"127.0.0.1:5000", "127.1.2.3:80", "localhost:5000", "localhost", "[::1]:5000", "[::1]"}) {
    const auto host = registry_host(domain, {});
    EXPECT_TRUE(host.plain_http) << domain;
    EXPECT_EQ(host.api_base_url, std::string("http://") + domain);
  }
  // Only literal loopback addresses count, as in docker: names and short forms do not.
  for (const char* domain :
       {"127.1:5000", "localhost.example:5000", "128.0.0.1:5000", "[::2]:5000", "vm:5000"}) {
    EXPECT_FALSE(is_loopback_domain(domain)) << domain;
  }
}

TEST(RegistryHost, InsecureRegistriesByDomainOrBareHost) {
  EXPECT_TRUE(registry_host("10.0.0.5:5000", {"10.0.0.5:5000"}).plain_http);
  EXPECT_FALSE(registry_host("10.0.0.5:5001", {"10.0.0.5:5000"}).plain_http);
  EXPECT_TRUE(registry_host("10.0.0.5:5001", {"10.0.0.5"}).plain_http);
  EXPECT_EQ(registry_host("reg.lan:5000", {"reg.lan"}).api_base_url, "http://reg.lan:5000");
}

TEST(RegistryHost, HostWithoutPort) {
  EXPECT_EQ(host_without_port("reg:5000"), "reg");
  EXPECT_EQ(host_without_port("[::1]:5000"), "::1");
  EXPECT_EQ(host_without_port("reg"), "reg");
}

}  // namespace
}  // namespace wharf::registry
