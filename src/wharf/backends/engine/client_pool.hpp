#pragma once

#include <mutex>
#include <vector>

#include "wharf/engine/engine_client.hpp"

namespace wharf::backends {

/// Engine connections for a worker's slot threads: an EngineClient is not thread-safe, so
/// each attempt borrows one, and gives it back when the connection is still good so the next
/// attempt reuses it (keep-alive across tasks).
///
/// Thread-safety: acquire() and release() may be called from any thread.
class ClientPool {
 public:
  explicit ClientPool(const engine::EngineClient& engine) : prototype_(engine.clone()) {}

  /// An idle client, or a fresh clone (no I/O) when none is idle.
  [[nodiscard]] engine::EngineClient acquire();
  /// Returns a client whose connection is still usable; drop a broken one instead.
  void release(engine::EngineClient client);
  /// A new client with its own connection, for a second chance after a broken one.
  [[nodiscard]] engine::EngineClient fresh() const;

 private:
  mutable std::mutex mutex_;
  engine::EngineClient prototype_;
  std::vector<engine::EngineClient> idle_;
};

}  // namespace wharf::backends
