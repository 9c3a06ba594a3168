#include "wharf/transport/unix_connector.hpp"

namespace wharf::transport {
namespace {

// The local engine: its socket path is the whole target.
class UnixConnector final : public Connector {
 public:
  UnixConnector(std::filesystem::path path, std::string address)
      : target_{std::move(path)}, address_(std::move(address)) {}
  Result<ConnectTarget> prepare(std::chrono::milliseconds /*timeout*/) override { return target_; }
  const std::string& address() const override { return address_; }

 private:
  ConnectTarget target_;
  std::string address_;
};

}  // namespace

std::shared_ptr<Connector> make_unix_connector(std::filesystem::path path, std::string address) {
  return std::make_shared<UnixConnector>(std::move(path), std::move(address));
}

}  // namespace wharf::transport
