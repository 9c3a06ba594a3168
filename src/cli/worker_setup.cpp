#include "cli/worker_setup.hpp"

#include "wharf/pin/project_layout.hpp"
#include "wharf/pin/worker_image.hpp"

namespace wharf::cli {

void add_worker_setup_options(CLI::App& command, WorkerSetupOptions& options,
                              bool with_workers_file) {
  if (with_workers_file) {
    command.add_option("--workers", options.workers,
                       "Inventory of workers (default: docker/workers.json)");
  }
  command.add_flag("--accept-new-host-keys", options.accept_new_host_keys,
                   "Accept and record the key of an SSH host known_hosts has no entry for "
                   "(a changed key is always refused)");
}

Result<std::vector<workers::ConnectedWorker>> connect_inventory(const GlobalOptions& globals,
                                                                const WorkerSetupOptions& options) {
  const auto path =
      options.workers ? *options.workers : globals.project_root() / workers::kDefaultInventoryPath;
  auto inventory = workers::load_inventory(path);
  if (!inventory) {
    return std::unexpected(inventory.error());
  }
  auto connect_options =
      workers::default_connect_options(globals.host, options.accept_new_host_keys);
  if (!connect_options) {
    return std::unexpected(connect_options.error());
  }
  return workers::connect_workers(*inventory, *connect_options);
}

Result<ImageReference> pinned_worker_image(const GlobalOptions& globals,
                                           const std::optional<std::string>& image,
                                           bool allow_unpinned) {
  return image ? pin::check_pinned_image(*image, "--image", allow_unpinned)
               : pin::resolve_worker_image(pin::ProjectLayout{globals.project_root()},
                                           allow_unpinned);
}

}  // namespace wharf::cli
