// The port check before `up` starts anything: conflicts with other containers' bindings (from
// inspect data) and with sockets this machine really listens on.
#include "wharf/runtime/port_conflicts.hpp"

#include <fstream>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wharf/util/fd.hpp"

namespace wharf::runtime {
namespace {

stack::PortSpec spec(std::string_view text) {
  auto parsed = stack::parse_port(text, "test");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed.value_or(stack::PortSpec{});
}

ContainerPorts other_web(std::string host_ip, std::string host_port, std::string protocol = "tcp") {
  return ContainerPorts{.name = "other-web-1",
                        .project = "other",
                        .service = "web",
                        .ports = {PublishedPort{.host_ip = std::move(host_ip),
                                                .host_port = std::move(host_port),
                                                .container_port = "80",
                                                .protocol = std::move(protocol)}}};
}

std::vector<PortConflict> conflicts_of(std::string_view wanted,
                                       const std::vector<ContainerPorts>& containers,
                                       const std::vector<ListeningSocket>& listening = {}) {
  return find_port_conflicts({WantedPorts{.service = "app", .ports = {spec(wanted)}}}, containers,
                             listening);
}

TEST(PortConflicts, AnotherContainersBindingIsNamedWithItsProjectAndService) {
  const auto found = conflicts_of("8080:80", {other_web("0.0.0.0", "8080")});
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].sentence(),
            "service app cannot publish 8080:80/tcp: host port 8080/tcp is already taken by "
            "container other-web-1 (project other, service web).");
  ContainerPorts plain = other_web("", "8080");
  plain.project.clear();
  plain.service.clear();
  const auto unlabelled = conflicts_of("127.0.0.1:8080:80", {plain});
  ASSERT_EQ(unlabelled.size(), 1U);
  EXPECT_EQ(unlabelled[0].holder, "container other-web-1");
}

TEST(PortConflicts, OnlySameProtocolOverlappingAddressAndPortConflict) {
  EXPECT_TRUE(conflicts_of("8080:80/udp", {other_web("0.0.0.0", "8080")}).empty());
  EXPECT_TRUE(conflicts_of("8081:80", {other_web("0.0.0.0", "8080")}).empty());
  EXPECT_TRUE(conflicts_of("127.0.0.2:8080:80", {other_web("127.0.0.1", "8080")}).empty());
  EXPECT_EQ(conflicts_of("127.0.0.1:8080:80", {other_web("127.0.0.1", "8080")}).size(), 1U);
  // A wildcard on either side overlaps every address.
  EXPECT_EQ(conflicts_of("127.0.0.2:8080:80", {other_web("::", "8080")}).size(), 1U);
  EXPECT_EQ(conflicts_of("8080:80", {other_web("127.0.0.1", "8080")}).size(), 1U);
  // No published port: the engine picks a free one. A container not published on a fixed
  // port yet holds nothing.
  EXPECT_TRUE(conflicts_of("80", {other_web("0.0.0.0", "80")}).empty());
  EXPECT_TRUE(conflicts_of("8080:80", {other_web("0.0.0.0", "")}).empty());
}

TEST(PortConflicts, AddressesCompareByValueAndFamily) {
  // One address spelt two ways, and an IPv4-mapped IPv6 address, are the same address.
  EXPECT_EQ(conflicts_of("[::1]:8080:80", {other_web("0:0::1", "8080")}).size(), 1U);
  EXPECT_EQ(conflicts_of("127.0.0.1:8080:80", {other_web("::ffff:127.0.0.1", "8080")}).size(), 1U);
  // 0.0.0.0 covers IPv4 only; :: and "" cover both families.
  EXPECT_TRUE(conflicts_of("[::1]:8080:80", {other_web("0.0.0.0", "8080")}).empty());
  EXPECT_EQ(conflicts_of("[::1]:8080:80", {other_web("::", "8080")}).size(), 1U);
  EXPECT_EQ(conflicts_of("[::1]:8080:80", {other_web("", "8080")}).size(), 1U);
}

TEST(PortConflicts, AStoppedContainersRangeBindingHoldsEveryPortOfIt) {
  // HostConfig.PortBindings keeps "8000-8010" for `-p 8000-8010:80` until the engine picks.
  EXPECT_EQ(conflicts_of("8005:80", {other_web("", "8000-8010")}).size(), 1U);
  EXPECT_TRUE(conflicts_of("8011:80", {other_web("", "8000-8010")}).empty());
  EXPECT_TRUE(conflicts_of("8005:80", {other_web("", "8010-8000")}).empty());
}

TEST(PortConflicts, RangesConflictOnAnyPortUnlessTheEnginePicksOne) {
  const std::vector<ContainerPorts> taken = {other_web("", "8001")};
  EXPECT_EQ(conflicts_of("8000-8002:9000-9002", taken).size(), 1U);
  // One target port in a range of three: two are free, so the engine can pick one.
  EXPECT_TRUE(conflicts_of("8000-8002:80", taken).empty());
  const std::vector<ContainerPorts> all_taken = {other_web("", "8000"), other_web("", "8001"),
                                                 other_web("", "8002")};
  EXPECT_EQ(conflicts_of("8000-8002:80", all_taken).size(), 1U);
}

TEST(PortConflicts, EveryConflictingEntryIsReportedInOrder) {
  const auto found = find_port_conflicts(
      {WantedPorts{.service = "db", .ports = {spec("5432:5432")}},
       WantedPorts{.service = "app", .ports = {spec("8080:80"), spec("9000:9000"), spec("443")}}},
      {other_web("", "8080"), other_web("", "5432")}, {});
  ASSERT_EQ(found.size(), 2U);
  EXPECT_EQ(found[0].service, "db");
  EXPECT_EQ(found[1].service, "app");
  EXPECT_EQ(found[1].wanted.text(), "8080:80/tcp");
}

// A real socket of this process, on loopback, on a port the kernel picked.
struct BoundSocket {
  Fd fd;
  std::uint16_t port = 0;
};

BoundSocket bind_loopback(int type) {
  BoundSocket bound{Fd(::socket(AF_INET, type, 0)), 0};
  EXPECT_GE(bound.fd.get(), 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(bound.fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  if (type == SOCK_STREAM) {
    EXPECT_EQ(::listen(bound.fd.get(), 1), 0);
  }
  socklen_t length = sizeof address;
  EXPECT_EQ(::getsockname(bound.fd.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);
  bound.port = ntohs(address.sin_port);
  return bound;
}

std::string own_comm() {
  std::ifstream in("/proc/self/comm");
  std::string comm;
  std::getline(in, comm);
  return comm;
}

TEST(PortConflicts, SocketsThisMachineListensOnAreFoundWithTheirProcess) {
  const auto tcp = bind_loopback(SOCK_STREAM);
  const auto udp = bind_loopback(SOCK_DGRAM);
  const auto sockets = listening_sockets();
  ASSERT_TRUE(sockets) << sockets.error().message;
  const auto find = [&](std::uint16_t port, const std::string& protocol) {
    return std::find_if(sockets->begin(), sockets->end(), [&](const ListeningSocket& socket) {
      return socket.port == port && socket.protocol == protocol;
    });
  };
  const auto listening = find(tcp.port, "tcp");
  ASSERT_NE(listening, sockets->end()) << "port " << tcp.port << " not found";
  EXPECT_EQ(listening->address, "127.0.0.1");
  ASSERT_TRUE(listening->pid.has_value());
  EXPECT_EQ(*listening->pid, ::getpid());
  EXPECT_EQ(listening->process, own_comm());
  EXPECT_NE(find(udp.port, "udp"), sockets->end()) << "udp port " << udp.port << " not found";

  const auto found = conflicts_of("127.0.0.1:" + std::to_string(tcp.port) + ":80", {}, *sockets);
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].holder, "process " + own_comm() + " (pid " + std::to_string(::getpid()) +
                                 ") listening on 127.0.0.1:" + std::to_string(tcp.port));
  // Another loopback address does not collide with a socket bound to 127.0.0.1.
  EXPECT_TRUE(conflicts_of("127.0.0.9:" + std::to_string(tcp.port) + ":80", {}, *sockets).empty());
}

}  // namespace
}  // namespace wharf::runtime
