#include "wharf/ssh/channel_bridge.hpp"

#include "wharf/ssh/bridge_pump.hpp"
#include "wharf/ssh/bridge_setup.hpp"

namespace wharf::ssh {

ChannelBridge::ChannelBridge(std::unique_ptr<BridgePump> pump) : pump_(std::move(pump)) {
  thread_ = std::thread([pump = pump_.get()] { pump->run(); });
}

ChannelBridge::~ChannelBridge() {
  pump_->stop();
  thread_.join();
}

bool ChannelBridge::alive() const noexcept {
  return pump_->alive.load();
}

std::string ChannelBridge::lost_reason() const {
  const std::lock_guard lock(pump_->reason_mutex);
  return pump_->lost_reason;
}

std::size_t ChannelBridge::channels_opened() const noexcept {
  return pump_->channels_opened.load();
}

Result<std::unique_ptr<ChannelBridge>> ChannelBridge::start(Session session,
                                                            BridgeOptions options) {
  auto sockets = prepare_bridge(session, options);
  if (!sockets) {
    return std::unexpected(std::move(sockets.error()));
  }
  auto pump =
      std::make_unique<BridgePump>(std::move(session), std::move(*sockets), std::move(options));
  return std::unique_ptr<ChannelBridge>(new ChannelBridge(std::move(pump)));
}

}  // namespace wharf::ssh
