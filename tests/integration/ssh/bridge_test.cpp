// ChannelBridge without curl or Docker: an echo server on a Unix socket stands in for the
// engine, so that large streams in both directions, many at once, go through channel windows
// and half-sent packets and come back checked byte for byte.

#include <atomic>
#include <cstring>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "wharf/ssh/channel_bridge.hpp"
#include "wharf/ssh/session.hpp"
#include "wharf/util/fd.hpp"

#include "integration/ssh/ssh_fixture.hpp"
#include "support/peers.hpp"

namespace wharf::ssh::test {
namespace {

using wharf::test::read_file;
using wharf::test::TempDir;
using Clock = std::chrono::steady_clock;

sockaddr_un unix_address(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
  return address;
}

Fd connect_unix(const std::filesystem::path& path) {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const auto address = unix_address(path);
  EXPECT_EQ(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address), 0)
      << path << ": " << std::strerror(errno);
  return fd;
}

// Echoes every connection until its client closes.
class EchoServer {
 public:
  explicit EchoServer(const std::filesystem::path& path)
      : listener_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)),
        stop_(::eventfd(0, EFD_CLOEXEC)) {
    const auto address = unix_address(path);
    EXPECT_EQ(::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address),
              0);
    EXPECT_EQ(::listen(listener_.get(), 64), 0);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;
  ~EchoServer() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(stop_.get(), &one, sizeof one);
    acceptor_.join();
    for (auto& worker : workers_) {
      worker.join();
    }
  }

 private:
  void accept_loop() {
    for (;;) {
      pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
      ::poll(fds, 2, -1);
      if (fds[1].revents != 0) {
        return;
      }
      auto client =
          std::make_shared<Fd>(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      workers_.emplace_back([this, client] { echo(client->get()); });
    }
  }
  void echo(int fd) {
    std::vector<char> buffer(64 * 1024);
    for (;;) {
      pollfd fds[2] = {{fd, POLLIN, 0}, {stop_.get(), POLLIN, 0}};
      ::poll(fds, 2, -1);
      if (fds[1].revents != 0 && fds[0].revents == 0) {
        return;
      }
      const ssize_t got = ::read(fd, buffer.data(), buffer.size());
      if (got <= 0) {
        return;
      }
      for (ssize_t sent = 0; sent < got;) {
        const ssize_t n =
            ::send(fd, buffer.data() + sent, static_cast<size_t>(got - sent), MSG_NOSIGNAL);
        if (n <= 0) {
          return;
        }
        sent += n;
      }
    }
  }

  Fd listener_;
  Fd stop_;
  std::thread acceptor_;
  std::vector<std::thread> workers_;  // Only touched by the acceptor until it is joined.
};

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::string bytes(size, '\0');
  for (auto& byte : bytes) {
    byte = static_cast<char>(generator());
  }
  return bytes;
}

// Sends `data` on one thread while reading the echo on this one; returns what came back.
std::string round_trip(int fd, const std::string& data) {
  std::thread writer([&] {
    for (std::size_t sent = 0; sent < data.size();) {
      const ssize_t n = ::send(fd, data.data() + sent,
                               std::min<std::size_t>(data.size() - sent, 1 << 20), MSG_NOSIGNAL);
      if (n <= 0) {
        return;
      }
      sent += static_cast<std::size_t>(n);
    }
  });
  std::string echoed;
  std::vector<char> buffer(256 * 1024);
  while (echoed.size() < data.size()) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got <= 0) {
      break;
    }
    echoed.append(buffer.data(), static_cast<std::size_t>(got));
  }
  writer.join();
  return echoed;
}

class ChannelBridgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    peer_ = ssh_peer('A');
    ASSERT_FALSE(HasFailure());
    echo_ = std::make_unique<EchoServer>(dir_.path() / "echo.sock");
  }
  std::unique_ptr<ChannelBridge> start_bridge(
      const SshTarget& target, std::chrono::seconds keepalive = std::chrono::seconds(15)) {
    auto session = Session::open(target, std::chrono::seconds(10));
    EXPECT_TRUE(session.has_value()) << session.error().message;
    if (!session) {
      return nullptr;
    }
    BridgeOptions options;
    options.listen_path = dir_.path() / "bridge.sock";
    options.remote_socket = (dir_.path() / "echo.sock").string();
    options.keepalive_interval = keepalive;
    auto bridge = ChannelBridge::start(std::move(*session), options);
    EXPECT_TRUE(bridge.has_value()) << bridge.error().message;
    return bridge ? std::move(*bridge) : nullptr;
  }

  SshPeer peer_;
  TempDir dir_;
  std::unique_ptr<EchoServer> echo_;
};

TEST_F(ChannelBridgeTest, LargeStreamsOnManyChannelsComeBackIntact) {
  auto bridge = start_bridge(target_for(peer_));
  ASSERT_TRUE(bridge);
  constexpr int kConnections = 8;
  constexpr std::size_t kBytes = 8 << 20;
  std::vector<std::thread> clients;
  std::atomic<int> intact{0};
  std::vector<std::string> inputs;
  for (int i = 0; i < kConnections; ++i) {
    inputs.push_back(random_bytes(kBytes, static_cast<unsigned>(i + 1)));
  }
  const auto started = Clock::now();
  for (int i = 0; i < kConnections; ++i) {
    clients.emplace_back([&, i] {
      const auto& data = inputs[static_cast<std::size_t>(i)];
      const Fd fd = connect_unix(dir_.path() / "bridge.sock");
      const auto echoed = round_trip(fd.get(), data);
      EXPECT_EQ(echoed.size(), data.size()) << "connection " << i;
      if (echoed == data) {
        ++intact;
      }
    });
  }
  for (auto& client : clients) {
    client.join();
  }
  const Millis took = Clock::now() - started;
  EXPECT_EQ(intact.load(), kConnections);
  EXPECT_TRUE(bridge->alive()) << bridge->lost_reason();
  EXPECT_EQ(bridge->channels_opened(), static_cast<std::size_t>(kConnections));
  EXPECT_EQ(tcp_connections_to(peer_.host, peer_.port), 1u);
  std::cout << "[ bridge ] " << kConnections << " x " << (kBytes >> 20)
            << " MiB echoed through one session in " << took.count() << " ms ("
            << 2.0 * kConnections * static_cast<double>(kBytes >> 20) / (took.count() / 1000)
            << " MiB/s both ways)\n";
}

TEST_F(ChannelBridgeTest, AClientThatHangsUpMidStreamDisturbsNoOther) {
  auto bridge = start_bridge(target_for(peer_));
  ASSERT_TRUE(bridge);
  {
    const Fd rude = connect_unix(dir_.path() / "bridge.sock");
    const auto data = random_bytes(4 << 20, 7);
    // Writes what fits and leaves without reading a byte of the echo.
    ::send(rude.get(), data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  for (int i = 0; i < 3; ++i) {
    const Fd fd = connect_unix(dir_.path() / "bridge.sock");
    const auto data = random_bytes(1 << 20, static_cast<unsigned>(100 + i));
    EXPECT_EQ(round_trip(fd.get(), data), data);
  }
  EXPECT_TRUE(bridge->alive()) << bridge->lost_reason();
}

TEST_F(ChannelBridgeTest, KeepalivesKeepAnIdleSessionUsable) {
  TempDir sshd_dir;
  PrivateSshd debug_sshd(sshd_dir.path(), "127.0.0.7", peer_, "DEBUG");
  debug_sshd.start();
  ASSERT_FALSE(HasFailure());
  auto bridge = start_bridge(debug_sshd.target(), std::chrono::seconds(1));
  ASSERT_TRUE(bridge);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  const Fd fd = connect_unix(dir_.path() / "bridge.sock");
  const auto data = random_bytes(4096, 3);
  EXPECT_EQ(round_trip(fd.get(), data), data);
  EXPECT_TRUE(bridge->alive()) << bridge->lost_reason();
  const std::string log = read_file(debug_sshd.log());
  std::size_t keepalives = 0;
  for (auto at = log.find("rtype keepalive@libssh2.org"); at != std::string::npos;
       at = log.find("rtype keepalive@libssh2.org", at + 1)) {
    ++keepalives;
  }
  EXPECT_GE(keepalives, 2u) << log;
}

TEST_F(ChannelBridgeTest, DestructionClosesConnectionsAndRemovesTheSocket) {
  auto bridge = start_bridge(target_for(peer_));
  ASSERT_TRUE(bridge);
  const Fd fd = connect_unix(dir_.path() / "bridge.sock");
  const std::string hello = "hello";
  EXPECT_EQ(round_trip(fd.get(), hello), hello);
  const auto started = Clock::now();
  bridge.reset();
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
  char byte = 0;
  EXPECT_LE(::read(fd.get(), &byte, 1), 0);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "bridge.sock"));
  EXPECT_EQ(tcp_connections_to(peer_.host, peer_.port), 0u);
}

}  // namespace
}  // namespace wharf::ssh::test
