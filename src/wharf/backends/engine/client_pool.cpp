#include "wharf/backends/engine/client_pool.hpp"

namespace wharf::backends {

engine::EngineClient ClientPool::acquire() {
  const std::lock_guard lock(mutex_);
  if (idle_.empty()) {
    return prototype_.clone();
  }
  auto client = std::move(idle_.back());
  idle_.pop_back();
  return client;
}

void ClientPool::release(engine::EngineClient client) {
  const std::lock_guard lock(mutex_);
  idle_.push_back(std::move(client));
}

engine::EngineClient ClientPool::fresh() const {
  const std::lock_guard lock(mutex_);
  return prototype_.clone();
}

}  // namespace wharf::backends
