// The one factory from an address to its transport: which connector each address gets, and
// that an ssh:// DOCKER_HOST and an inventory's ssh worker resolve the same way (what each
// gave explicitly beats ssh_config). No I/O: a connector only connects on prepare().

#include "wharf/connect/engine_route.hpp"

#include <gmock/gmock.h>

#include "wharf/connect/ssh_engine.hpp"

namespace wharf::connect::test {
namespace {

using ::testing::ElementsAre;

const ssh::SshDefaults kDefaults{"me", "/home/me"};

SshSettings settings_with(std::string_view config_text) {
  auto config = ssh::parse_ssh_config(config_text, "config");
  EXPECT_TRUE(config.has_value()) << config.error().message;
  return SshSettings{config.value_or(ssh::SshConfig{}), kDefaults};
}

engine::DockerHost parsed(std::string_view address) {
  auto host = engine::parse_docker_host(address, "--host");
  EXPECT_TRUE(host.has_value()) << host.error().message;
  return host.value_or(engine::DockerHost{});
}

TEST(EngineRoute, UnixAndTcpAddressesGetTheirOwnConnectors) {
  auto unix_route = route_to(parsed("unix:///run/other.sock"), settings_with(""));
  ASSERT_TRUE(unix_route.has_value()) << unix_route.error().message;
  EXPECT_EQ(unix_route->connector->address(), "unix:///run/other.sock");
  EXPECT_EQ(unix_route->ssh, nullptr);
  auto target = unix_route->connector->prepare(std::chrono::seconds(1));
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->unix_socket, std::filesystem::path("/run/other.sock"));

  auto tcp_route = route_to(parsed("tcp://10.0.0.5:2375"));
  ASSERT_TRUE(tcp_route.has_value()) << tcp_route.error().message;
  EXPECT_EQ(tcp_route->host.address, "tcp://10.0.0.5:2375");
  auto tcp_target = tcp_route->connector->prepare(std::chrono::seconds(1));
  ASSERT_TRUE(tcp_target.has_value());
  EXPECT_FALSE(tcp_target->unix_socket.has_value());
}

TEST(EngineRoute, AnSshAddressKeepsItsAddressAndOnlyAnotherPortThan22IsExplicit) {
  const auto settings = settings_with("Host build-2\n  HostName 10.0.0.5\n  Port 2222\n");
  auto route = route_to(parsed("ssh://deploy@build-2"), settings);
  ASSERT_TRUE(route.has_value()) << route.error().message;
  EXPECT_EQ(route->host.address, "ssh://deploy@build-2:22");
  EXPECT_EQ(route->host.host, "build-2");
  ASSERT_NE(route->ssh, nullptr);
  EXPECT_EQ(route->connector, route->ssh);
  EXPECT_EQ(route->ssh->address(), "ssh://deploy@build-2:22");

  const auto engine = ssh_engine_of(parsed("ssh://build-2:2200"));
  EXPECT_EQ(engine.destination.port, 2200);
  EXPECT_FALSE(engine.destination.user.has_value());
  EXPECT_EQ(engine.remote_socket, "/var/run/docker.sock");
  const auto target = resolve_ssh_engine(ssh_engine_of(parsed("ssh://build-2")), settings);
  ASSERT_TRUE(target.has_value()) << target.error().message;
  EXPECT_EQ(target->port, 2222);  // ssh_config's Port, since 22 was only the default.
  EXPECT_EQ(target->user, "me");
}

TEST(EngineRoute, AnInventorysSshEngineIsNamedByItsResolvedTarget) {
  SshEngine engine;
  engine.destination.host = "build-2";
  engine.remote_socket = "/run/docker.sock";
  auto route = route_to(engine, settings_with("Host build-2\n  HostName fe80::1\n  User deploy\n"));
  ASSERT_TRUE(route.has_value()) << route.error().message;
  EXPECT_EQ(route->host.address, "ssh://deploy@[fe80::1]:22");
  EXPECT_EQ(route->host.host, "fe80::1");
  EXPECT_EQ(route->host.user, "deploy");
}

TEST(EngineRoute, TheInventorysKnownHostsIsCheckedFirstButNewKeysGoToTheUsersOwn) {
  SshEngine engine;
  engine.destination.host = "build-2";
  engine.known_hosts = "/project/docker/known_hosts";
  engine.identity_file = "/project/id_deploy";
  engine.host_key_policy = ssh::HostKeyPolicy::accept_new;
  auto target = resolve_ssh_engine(engine, settings_with("Host *\n  IdentityFile ~/.ssh/id_x\n"));
  ASSERT_TRUE(target.has_value()) << target.error().message;
  EXPECT_THAT(target->known_hosts_files,
              ElementsAre("/home/me/.ssh/known_hosts", "/project/docker/known_hosts"));
  EXPECT_THAT(target->identity_files, ElementsAre("/project/id_deploy", "/home/me/.ssh/id_x"));
  EXPECT_EQ(target->host_key_policy, ssh::HostKeyPolicy::accept_new);
}

TEST(EngineRoute, AnSshConfigThatCannotBeResolvedIsTheResolversSentence) {
  SshEngine engine;
  engine.destination.host = "build-2";
  auto route = route_to(engine, settings_with("Host build-2\n  IdentityFile ~/%q\n"));
  ASSERT_FALSE(route.has_value());
  EXPECT_EQ(route.error().kind, ErrorKind::invalid_input);
}

}  // namespace
}  // namespace wharf::connect::test
