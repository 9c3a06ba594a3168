// The tcp:// connector against the real engine. The private engine listens only on a Unix
// socket, so this test puts a byte-for-byte TCP forwarder on 127.0.0.1 in front of it.

#include <array>
#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "wharf/connect/engine_route.hpp"
#include "wharf/util/fd.hpp"

#include "integration/engine/engine_fixture.hpp"

namespace wharf::engine::test {
namespace {

// Accepts TCP connections on an ephemeral loopback port and pumps each one to the Unix
// socket at `target` until either side closes.
class TcpToUnixForwarder {
 public:
  explicit TcpToUnixForwarder(std::filesystem::path target) : target_(std::move(target)) {
    listener_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(listener_.get(), 16) != 0 ||
        ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  TcpToUnixForwarder(const TcpToUnixForwarder&) = delete;
  TcpToUnixForwarder& operator=(const TcpToUnixForwarder&) = delete;
  ~TcpToUnixForwarder() {
    stopping_ = true;
    ::shutdown(listener_.get(), SHUT_RDWR);
    acceptor_.join();
    for (auto& pump : pumps_) {
      pump.join();
    }
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] int accepted() const { return accepted_; }

 private:
  void accept_loop() {
    while (!stopping_) {
      Fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!client) {
        return;
      }
      ++accepted_;
      Fd engine(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
      sockaddr_un address{};
      address.sun_family = AF_UNIX;
      std::strncpy(address.sun_path, target_.c_str(), sizeof(address.sun_path) - 1);
      if (::connect(engine.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        continue;
      }
      pumps_.emplace_back([this, a = std::move(client), b = std::move(engine)]() mutable {
        pump(std::move(a), std::move(b));
      });
    }
  }

  void pump(Fd a, Fd b) {
    std::array<char, 16384> buffer{};
    while (!stopping_) {
      std::array<pollfd, 2> fds{{{a.get(), POLLIN, 0}, {b.get(), POLLIN, 0}}};
      if (::poll(fds.data(), fds.size(), 100) < 0) {
        return;
      }
      for (int i = 0; i < 2; ++i) {
        if (fds[i].revents == 0) {
          continue;
        }
        const int from = i == 0 ? a.get() : b.get();
        const int to = i == 0 ? b.get() : a.get();
        const auto n = ::read(from, buffer.data(), buffer.size());
        if (n <= 0 || ::write(to, buffer.data(), static_cast<std::size_t>(n)) != n) {
          return;
        }
      }
    }
  }

  std::filesystem::path target_;
  Fd listener_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> pumps_;
};

TEST_F(EngineTest, TcpConnectorSpeaksToTheEngine) {
  ASSERT_EQ(host_.scheme, HostScheme::unix_socket) << "the forwarder needs a Unix socket";
  TcpToUnixForwarder forwarder(host_.socket_path);
  auto host = parse_docker_host("tcp://127.0.0.1:" + std::to_string(forwarder.port()), "--host");
  ASSERT_TRUE(host.has_value());
  auto client = connect::connect_engine(*host);
  ASSERT_TRUE(client.has_value()) << client.error().message;
  EXPECT_EQ(client->api_version(), client_->api_version());

  const auto id = [&] {
    auto created = client->container_create(spec({"sh", "-c", "echo via tcp; exit 4"}));
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created ? created->id : std::string();
  }();
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(client->container_start(id).has_value());
  auto waited = client->container_wait(id, {WaitCondition::not_running, kDefaultCallTimeout, {}});
  ASSERT_TRUE(waited.has_value()) << waited.error().message;
  EXPECT_EQ(waited->exit_code, 4);
  auto logs = client->container_logs(id);
  ASSERT_TRUE(logs.has_value()) << logs.error().message;
  EXPECT_EQ(logs->standard_output, "via tcp\n");
  EXPECT_EQ(forwarder.accepted(), 1) << "keep-alive over TCP too";
  EXPECT_EQ(client->connections_opened(), 1U);
}

TEST_F(EngineTest, TlsToAPlainEngineFailsWithAClearSentence) {
  // DOCKER_TLS_VERIFY set for an engine that speaks plain HTTP: curl really loads the
  // certificates and starts a handshake on the https URL, which the engine cannot answer.
  ASSERT_EQ(host_.scheme, HostScheme::unix_socket) << "the forwarder needs a Unix socket";
  TcpToUnixForwarder forwarder(host_.socket_path);
  wharf::test::TempDir certs;
  const auto ca = wharf::test::run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                    "-days", "1", "-subj", "/CN=wharf-test-ca", "-keyout",
                                    (certs.path() / "key.pem").string(), "-out",
                                    (certs.path() / "cert.pem").string()});
  ASSERT_EQ(ca.exit_code, 0) << ca.err;
  std::filesystem::copy_file(certs.path() / "cert.pem", certs.path() / "ca.pem");
  DockerEnvironment environment;
  environment.tls_verify = "1";
  environment.cert_path = certs.path().string();
  auto host =
      resolve_docker_host("tcp://127.0.0.1:" + std::to_string(forwarder.port()), environment);
  ASSERT_TRUE(host.has_value()) << host.error().message;
  ASSERT_TRUE(host->tls.has_value());
  const auto client = connect::connect_engine(*host);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().kind, ErrorKind::permission);
  EXPECT_THAT(
      client.error().message,
      ::testing::StartsWith("the TLS handshake with the Docker engine at tcp://127.0.0.1:"));
  EXPECT_THAT(client.error().message, ::testing::HasSubstr("DOCKER_CERT_PATH"));
  EXPECT_EQ(forwarder.accepted(), 1) << "the handshake went to the engine's port";
  std::cout << "TLS to plain engine: " << client.error().message << "\n";
}

}  // namespace
}  // namespace wharf::engine::test
