#include "wharf/transport/tcp_connector.hpp"

namespace wharf::transport {
namespace {

// A plain or TLS engine port: libcurl connects to the URL's host and port itself.
class TcpConnector final : public Connector {
 public:
  explicit TcpConnector(std::string address) : address_(std::move(address)) {}
  Result<ConnectTarget> prepare(std::chrono::milliseconds /*timeout*/) override {
    return ConnectTarget{};
  }
  const std::string& address() const override { return address_; }

 private:
  std::string address_;
};

}  // namespace

std::shared_ptr<Connector> make_tcp_connector(std::string address) {
  return std::make_shared<TcpConnector>(std::move(address));
}

}  // namespace wharf::transport
