#include "cli/task_setup.hpp"

#include "cli/worker_setup.hpp"

namespace wharf::cli {

void add_task_setup_options(CLI::App& command, TaskSetupOptions& options) {
  command.add_option("--image", options.image,
                     "Run in this image instead of the project's pinned worker image");
  command.add_option("--pull", options.pull, "When to pull the image: missing, always or never")
      ->capture_default_str();
  command.add_flag("--allow-unpinned", options.allow_unpinned,
                   "Accept an image tagged latest or not tagged at all");
}

Result<ImagePlan> plan_image(const GlobalOptions& globals, const TaskSetupOptions& options) {
  auto policy = dispatch::parse_pull_policy(options.pull);
  if (!policy) {
    return std::unexpected(policy.error());
  }
  auto image = pinned_worker_image(globals, options.image, options.allow_unpinned);
  if (!image) {
    return std::unexpected(image.error());
  }
  return ImagePlan{std::move(*image), *policy};
}

}  // namespace wharf::cli
