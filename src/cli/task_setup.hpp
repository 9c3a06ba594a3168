#pragma once

// What `wharf run` and `wharf dispatch` share: which engine, which image, how to get it there.

#include <optional>
#include <string>

#include "wharf/dispatch/pull_policy.hpp"
#include "wharf/pin/worker_image.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/backends/engine/ensure_image.hpp"

#include "cli/commands.hpp"

namespace wharf::cli {

/// The flags both commands take.
struct TaskSetupOptions {
  std::optional<std::string> image;  ///< --image, else the project's pinned worker image
  std::string pull = "missing";      ///< --pull
  bool allow_unpinned = false;       ///< --allow-unpinned
};

/// Adds --image, --pull and --allow-unpinned to `command`.
void add_task_setup_options(CLI::App& command, TaskSetupOptions& options);

/// The engine to use and the image, present on it.
struct TaskSetup {
  engine::EngineClient engine;
  backends::EnsuredImage image;
};

/// Resolves the image (--image or the pin), parses --pull, connects to the engine (the global
/// --host, or DOCKER_HOST) and ensures the image there, telling the user on stderr when it pulls.
[[nodiscard]] Result<TaskSetup> prepare_task_setup(const GlobalOptions& globals,
                                                   const TaskSetupOptions& options,
                                                   const Console& console);

}  // namespace wharf::cli
