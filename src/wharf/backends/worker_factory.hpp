#pragma once

// The one place that knows which backend serves which target: it turns what the caller
// connected into dispatch workers (fleet candidates). A later backend (swarm) adds its entry
// here; everything after this point sees only dispatch::Worker.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wharf/dispatch/fleet.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/workers/connect.hpp"

namespace wharf::backends {

/// How a run wants its workers, whatever their backend.
struct WorkerSettings {
  /// Where `<task_id>.log` files go (created when missing); empty: output is not saved.
  std::filesystem::path logs_dir;
  /// When set, tasks run through exec in a warm pool of this many long-lived containers per
  /// engine (which is then its number of slots); else every attempt gets a fresh container.
  std::optional<std::size_t> warm;
  /// When set, every piece of a task's output is also passed here while it runs.
  engine::LogSink live_output;
};

/// The engine the caller connected to as one worker named `name` with `slots` slots (ignored
/// with a warm pool, whose size is its slots).
[[nodiscard]] dispatch::FleetCandidate engine_worker(const engine::EngineClient& engine,
                                                     std::string name, std::size_t slots,
                                                     const WorkerSettings& settings);

/// One candidate per inventory worker, in inventory order: a reached engine (local, tcp, or
/// over SSH) as engine_worker() with the inventory's slots, an unreached one with its error.
[[nodiscard]] std::vector<dispatch::FleetCandidate> inventory_workers(
    const std::vector<workers::ConnectedWorker>& connected, const WorkerSettings& settings);

}  // namespace wharf::backends
