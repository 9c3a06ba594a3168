#pragma once

// What `wharf run` and `wharf dispatch` share: which image, and when to pull it.

#include <optional>
#include <string>

#include "wharf/core/image_reference.hpp"
#include "wharf/dispatch/pull_policy.hpp"

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

/// The image the tasks run in and when to pull it.
struct ImagePlan {
  ImageReference image;
  dispatch::PullPolicy pull = dispatch::PullPolicy::missing;
};

/// Parses --pull, then resolves the image (--image or the pin, under the unpinned rule).
/// Nothing is contacted.
[[nodiscard]] Result<ImagePlan> plan_image(const GlobalOptions& globals,
                                           const TaskSetupOptions& options);

}  // namespace wharf::cli
