#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/engine/pull_progress.hpp"
#include "wharf/workers/connect.hpp"

namespace wharf::workers {

/// How a pull went on one worker.
struct PullOutcome {
  std::string name;
  bool ok = false;
  std::string digest;  ///< The manifest digest the engine reported.
  std::string status;  ///< Its last status line ("Status: Image is up to date for …").
  std::optional<Error> error;
  std::chrono::milliseconds duration{};
};

/// Sees progress: the worker's index in `workers` and where its pull stands. Called from
/// the pulling threads, one per worker, so it must be thread-safe.
using WorkerPullObserver = std::function<void(std::size_t, const engine::PullProgress&)>;

/// Pulls `image` on every reachable worker at once (an unreachable one is reported with its
/// connection error and not retried here) and returns one outcome per worker, in order.
/// Never pulls anything but `image`.
[[nodiscard]] std::vector<PullOutcome> pull_on_workers(std::vector<ConnectedWorker>& workers,
                                                       const ImageReference& image,
                                                       const WorkerPullObserver& observer = {});

}  // namespace wharf::workers
