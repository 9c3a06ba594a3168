#include "wharf/backends/worker_factory.hpp"

#include <memory>

#include "wharf/backends/engine/engine_worker.hpp"
#include "wharf/backends/engine/warm_pool_worker.hpp"

namespace wharf::backends {

dispatch::FleetCandidate engine_worker(const engine::EngineClient& engine, std::string name,
                                       std::size_t slots, const WorkerSettings& settings) {
  std::shared_ptr<dispatch::Worker> worker;
  if (settings.warm) {
    WarmPoolOptions options;
    options.name = name;
    options.size = *settings.warm;
    options.logs_dir = settings.logs_dir;
    options.live_output = settings.live_output;
    worker = std::make_shared<WarmPoolWorker>(engine, std::move(options));
  } else {
    EngineWorkerOptions options;
    options.name = name;
    options.slots = slots;
    options.logs_dir = settings.logs_dir;
    options.live_output = settings.live_output;
    worker = std::make_shared<EngineWorker>(engine, std::move(options));
  }
  return dispatch::FleetCandidate{std::move(name), engine.host().address, std::move(worker),
                                  std::nullopt};
}

std::vector<dispatch::FleetCandidate> inventory_workers(
    const std::vector<workers::ConnectedWorker>& connected, const WorkerSettings& settings) {
  std::vector<dispatch::FleetCandidate> candidates;
  candidates.reserve(connected.size());
  for (const auto& worker : connected) {
    if (!worker.engine) {
      candidates.push_back(
          dispatch::FleetCandidate{worker.entry.name, worker.address, nullptr, worker.error});
      continue;
    }
    // Every inventory kind today is a Docker engine (SSH only carries its connections); a
    // swarm backend adds its branch here.
    candidates.push_back(
        engine_worker(*worker.engine, worker.entry.name, worker.entry.slots, settings));
  }
  return candidates;
}

}  // namespace wharf::backends
