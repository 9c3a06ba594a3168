#pragma once

// What `wharf workers …` and `wharf dispatch --workers` share: which inventory, how to reach
// each worker, and the pinned worker image they must all run.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/image_reference.hpp"
#include "wharf/workers/connect.hpp"
#include "wharf/workers/inventory.hpp"

#include "cli/commands.hpp"

namespace wharf::cli {

struct WorkerSetupOptions {
  std::optional<std::filesystem::path> workers;  ///< --workers, else docker/workers.json
  bool accept_new_host_keys = false;             ///< --accept-new-host-keys
};

/// Adds --accept-new-host-keys (and, when `with_workers_file`, --workers FILE; dispatch
/// adds its own --workers because there it also switches backends).
void add_worker_setup_options(CLI::App& command, WorkerSetupOptions& options,
                              bool with_workers_file);

/// Loads the inventory (--workers or <project>/docker/workers.json) and reaches every
/// worker at once ("local" workers at the global --host). Fails only when the inventory or
/// ~/.ssh/config cannot be used; an unreachable worker is a ConnectedWorker with its error, so the
/// others carry on.
[[nodiscard]] Result<std::vector<workers::ConnectedWorker>> connect_inventory(
    const GlobalOptions& globals, const WorkerSetupOptions& options);

/// The pinned worker image (or --image under the same rule).
[[nodiscard]] Result<ImageReference> pinned_worker_image(const GlobalOptions& globals,
                                                         const std::optional<std::string>& image,
                                                         bool allow_unpinned);

}  // namespace wharf::cli
