#include "wharf/engine/docker_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/peers.hpp"

namespace wharf::engine {
namespace {

using ::testing::HasSubstr;

DockerHost parse_ok(std::string_view text, bool tls = false) {
  auto host = parse_docker_host(text, "DOCKER_HOST", tls);
  EXPECT_TRUE(host.has_value()) << (host ? "" : host.error().message);
  return host.value_or(DockerHost{});
}

std::string parse_error(std::string_view text) {
  auto host = parse_docker_host(text, "DOCKER_HOST");
  EXPECT_FALSE(host.has_value()) << "parsed: " << text;
  if (host) {
    return {};
  }
  EXPECT_EQ(host.error().kind, ErrorKind::invalid_input);
  return host.error().message;
}

TEST(DockerHost, ParsesUnixSockets) {
  const auto host = parse_ok("unix:///var/run/docker.sock");
  EXPECT_EQ(host.scheme, HostScheme::unix_socket);
  EXPECT_EQ(host.socket_path, "/var/run/docker.sock");
  EXPECT_EQ(host.address, "unix:///var/run/docker.sock");
}

TEST(DockerHost, ParsesTcpWithDefaultPorts) {
  auto host = parse_ok("tcp://10.0.0.5:2377");
  EXPECT_EQ(host.scheme, HostScheme::tcp);
  EXPECT_EQ(host.host, "10.0.0.5");
  EXPECT_EQ(host.port, 2377);
  EXPECT_EQ(parse_ok("tcp://build-2").port, 2375);
  EXPECT_EQ(parse_ok("tcp://build-2", /*tls=*/true).port, 2376);
  EXPECT_EQ(parse_ok("tcp://build-2/").address, "tcp://build-2:2375");
  host = parse_ok("tcp://[::1]:2375");
  EXPECT_EQ(host.host, "::1");
  EXPECT_EQ(host.address, "tcp://[::1]:2375");
}

TEST(DockerHost, ParsesSshForLater) {
  const auto host = parse_ok("ssh://deploy@build-2:2222");
  EXPECT_EQ(host.scheme, HostScheme::ssh);
  EXPECT_EQ(host.user, "deploy");
  EXPECT_EQ(host.host, "build-2");
  EXPECT_EQ(host.port, 2222);
  EXPECT_EQ(parse_ok("ssh://build-2").port, 22);
  EXPECT_EQ(parse_ok("ssh://build-2").user, "");
}

TEST(DockerHost, RejectsBadAddressesWithASentence) {
  EXPECT_THAT(parse_error("/var/run/docker.sock"),
              HasSubstr("DOCKER_HOST=\"/var/run/docker.sock\" is not a Docker engine address: "
                        "expected unix:///path/to/docker.sock, tcp://host:port or "
                        "ssh://user@host."));
  EXPECT_THAT(parse_error("http://host:2375"), HasSubstr("the scheme \"http\" is not supported"));
  EXPECT_THAT(parse_error("unix://"), HasSubstr("socket path after unix:// is empty"));
  EXPECT_THAT(parse_error("unix:///" + std::string(120, 'a')), HasSubstr("at most 107"));
  EXPECT_THAT(parse_error("tcp://"), HasSubstr("host name is missing"));
  EXPECT_THAT(parse_error("tcp://host:"), HasSubstr("port after ':' is empty"));
  EXPECT_THAT(parse_error("tcp://host:99999"), HasSubstr("\"99999\" is not a number from 1"));
  EXPECT_THAT(parse_error("tcp://host:http"), HasSubstr("\"http\" is not a number"));
  EXPECT_THAT(parse_error("tcp://user@host"), HasSubstr("cannot carry a user name"));
  EXPECT_THAT(parse_error("tcp://host:1/base"), HasSubstr("path after the host"));
  EXPECT_THAT(parse_error("tcp://[::1:2375"), HasSubstr("no closing ']'"));
}

TEST(DockerHost, FlagBeatsEnvironmentBeatsDefault) {
  DockerEnvironment environment;
  auto host = resolve_docker_host(std::nullopt, environment);
  ASSERT_TRUE(host.has_value());
  EXPECT_EQ(host->address, "unix:///var/run/docker.sock");

  environment.docker_host = "";  // Set but empty counts as unset, as for the docker CLI.
  EXPECT_EQ(resolve_docker_host(std::nullopt, environment)->address, "unix:///var/run/docker.sock");

  environment.docker_host = "tcp://env-host:1234";
  EXPECT_EQ(resolve_docker_host(std::nullopt, environment)->address, "tcp://env-host:1234");
  EXPECT_EQ(resolve_docker_host("unix:///tmp/flag.sock", environment)->address,
            "unix:///tmp/flag.sock");

  const auto bad = resolve_docker_host("nonsense", environment);
  ASSERT_FALSE(bad.has_value());
  EXPECT_THAT(bad.error().message, HasSubstr("--host=\"nonsense\""));
}

TEST(DockerHost, TlsUsesCertPathOrHomeAndChecksTheFiles) {
  test::TempDir certs;
  for (const char* name : {"ca.pem", "cert.pem", "key.pem"}) {
    test::write_file(certs.path() / name, "pem");
  }
  DockerEnvironment environment;
  environment.docker_host = "tcp://secure:2376";
  environment.tls_verify = "1";
  environment.cert_path = certs.path().string();
  auto host = resolve_docker_host(std::nullopt, environment);
  ASSERT_TRUE(host.has_value()) << host.error().message;
  ASSERT_TRUE(host->tls.has_value());
  EXPECT_EQ(host->tls->ca, certs.path() / "ca.pem");
  EXPECT_EQ(host->tls->key, certs.path() / "key.pem");

  environment.docker_host = "tcp://secure";
  EXPECT_EQ(resolve_docker_host(std::nullopt, environment)->port, 2376);

  environment.cert_path.reset();
  environment.home = certs.path().string();  // ~/.docker does not exist there.
  host = resolve_docker_host(std::nullopt, environment);
  ASSERT_FALSE(host.has_value());
  EXPECT_EQ(host.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(host.error().message, HasSubstr((certs.path() / ".docker" / "ca.pem").string() +
                                              " does not exist — set DOCKER_CERT_PATH"));

  environment.tls_verify = "";  // Empty means off.
  host = resolve_docker_host(std::nullopt, environment);
  ASSERT_TRUE(host.has_value());
  EXPECT_FALSE(host->tls.has_value());
  EXPECT_EQ(host->port, 2375);

  environment.tls_verify = "1";  // TLS settings do not apply to a Unix socket.
  host = resolve_docker_host("unix:///tmp/d.sock", environment);
  ASSERT_TRUE(host.has_value());
  EXPECT_FALSE(host->tls.has_value());
}

}  // namespace
}  // namespace wharf::engine
