// The transport: reaching the engine, API negotiation, keep-alive, and clear sentences when
// the engine cannot be reached.

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "wharf/connect/engine_route.hpp"
#include "wharf/util/fd.hpp"

#include "integration/engine/engine_fixture.hpp"

namespace wharf::engine::test {
namespace {

using ::testing::HasSubstr;

// Wraps a real connector and counts how often the HTTP layer asked it for a target.
class CountingConnector final : public transport::Connector {
 public:
  explicit CountingConnector(std::shared_ptr<transport::Connector> inner)
      : inner_(std::move(inner)) {}
  Result<transport::ConnectTarget> prepare(std::chrono::milliseconds timeout) override {
    ++count;
    return inner_->prepare(timeout);
  }
  const std::string& address() const override { return inner_->address(); }
  std::atomic<int> count{0};

 private:
  std::shared_ptr<transport::Connector> inner_;
};

TEST_F(EngineTest, PingAndVersionNegotiateTheApi) {
  auto ping = client_->ping();
  ASSERT_TRUE(ping.has_value()) << ping.error().message;
  EXPECT_EQ(ping->os_type, "linux");
  EXPECT_GE(ping->api_version, kMinimumApiVersion);
  const auto expected = std::min(ping->api_version, kMaximumApiVersion);
  EXPECT_EQ(client_->api_version(), expected);

  auto version = client_->version();
  ASSERT_TRUE(version.has_value()) << version.error().message;
  EXPECT_FALSE(version->version.empty());
  EXPECT_EQ(version->api_version, ping->api_version);
  ASSERT_TRUE(version->min_api_version.has_value());
  EXPECT_LE(*version->min_api_version, client_->api_version());

  // Every versioned call goes to the negotiated prefix.
  auto raw = client_->raw_request(HttpRequest{"GET", "/info", {}, {}, kDefaultCallTimeout});
  ASSERT_TRUE(raw.has_value()) << raw.error().message;
  EXPECT_EQ(raw->status, 200);
}

TEST_F(EngineTest, FiftyPingsReuseOneConnection) {
  auto connector = connect::make_connector(host_);
  ASSERT_TRUE(connector.has_value());
  auto counting = std::make_shared<CountingConnector>(*connector);
  auto client = EngineClient::connect(host_, counting);
  ASSERT_TRUE(client.has_value()) << client.error().message;
  const int before = counting->count.load();  // /_ping and /version of the negotiation.
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) {
    auto ping = client->ping();
    ASSERT_TRUE(ping.has_value()) << ping.error().message;
  }
  const auto elapsed = since(start);
  std::cout << "50 pings over one connection: " << elapsed.count() << " ms\n";
  EXPECT_EQ(counting->count.load() - before, 50) << "the connector is asked before each request";
  EXPECT_EQ(client->connections_opened(), 1U) << "but only one socket was ever opened";

  // A clone shares version and connector but opens its own connection.
  auto clone = client->clone();
  EXPECT_EQ(clone.api_version(), client->api_version());
  ASSERT_TRUE(clone.ping().has_value());
  ASSERT_TRUE(clone.ping().has_value());
  EXPECT_EQ(clone.connections_opened(), 1U);
  EXPECT_EQ(client->connections_opened(), 1U);
}

TEST_F(EngineTest, ClonesWorkSideBySideOnThreads) {
  constexpr int kThreads = 4;
  std::vector<std::string> failures(kThreads);
  std::vector<int> exit_codes(kThreads, -1);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t, client = client_->clone()]() mutable {
        for (int i = 0; i < 10; ++i) {
          if (auto ping = client.ping(); !ping) {
            failures[t] = ping.error().message;
            return;
          }
        }
        auto created =
            client.container_create(spec({"sh", "-c", "exit " + std::to_string(10 + t)}));
        if (!created) {
          failures[t] = created.error().message;
          return;
        }
        auto started = client.container_start(created->id);
        auto waited = client.container_wait(created->id);
        if (!started || !waited) {
          failures[t] = !started ? started.error().message : waited.error().message;
          return;
        }
        exit_codes[t] = waited->exit_code;
        if (client.connections_opened() != 1) {
          failures[t] = "opened " + std::to_string(client.connections_opened()) + " connections";
        }
      });
    }
  }
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], "") << "thread " << t;
    EXPECT_EQ(exit_codes[t], 10 + t) << "thread " << t;
  }
}

TEST(EngineUnreachable, MissingSocketSaysIsDockerdRunning) {
  wharf::test::TempDir dir;
  const auto address = "unix://" + (dir.path() / "docker.sock").string();
  auto host = parse_docker_host(address, "--host");
  ASSERT_TRUE(host.has_value());
  const auto client = connect::connect_engine(*host);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(client.error().message, "cannot reach the Docker engine at " + address +
                                        ": no such file — is dockerd running? set DOCKER_HOST "
                                        "or --host.");
}

TEST(EngineUnreachable, SocketWithoutListenerIsConnectionRefused) {
  wharf::test::TempDir dir;
  const auto path = dir.path() / "docker.sock";
  {
    // Bind and close: the socket file stays, nobody listens.
    const Fd fd(::socket(AF_UNIX, SOCK_STREAM, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  }
  auto host = parse_docker_host("unix://" + path.string(), "--host");
  ASSERT_TRUE(host.has_value());
  const auto client = connect::connect_engine(*host);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().kind, ErrorKind::unavailable);
  EXPECT_THAT(client.error().message, HasSubstr(": connection refused — nothing listens"));
}

// Binds a port, then closes it: nothing listens there afterwards.
std::uint16_t closed_loopback_port() {
  const Fd fd(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  EXPECT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);
  return ntohs(address.sin_port);
}

TEST(EngineUnreachable, ClosedTcpPortIsConnectionRefused) {
  const std::uint16_t port = closed_loopback_port();
  auto host = parse_docker_host("tcp://127.0.0.1:" + std::to_string(port), "--host");
  ASSERT_TRUE(host.has_value());
  const auto client = connect::connect_engine(*host);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().kind, ErrorKind::unavailable);
  EXPECT_THAT(client.error().message,
              HasSubstr("cannot reach the Docker engine at tcp://127.0.0.1:" +
                        std::to_string(port) + ": connection refused"));
}

// ssh:// goes through the SSH connector (tests/integration/ssh covers it in depth).
TEST(EngineUnreachable, ClosedSshPortIsConnectionRefused) {
  const std::uint16_t port = closed_loopback_port();
  auto host = parse_docker_host("ssh://deploy@127.0.0.1:" + std::to_string(port), "--host");
  ASSERT_TRUE(host.has_value());
  const auto client = connect::connect_engine(*host);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().kind, ErrorKind::unavailable);
  EXPECT_THAT(client.error().message, HasSubstr("cannot connect to the SSH host 127.0.0.1 (port " +
                                                std::to_string(port) + "): connection refused"));
}

}  // namespace
}  // namespace wharf::engine::test
