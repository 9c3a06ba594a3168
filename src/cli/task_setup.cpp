#include "cli/task_setup.hpp"

#include "wharf/pin/project_layout.hpp"

#include "cli/engine_setup.hpp"

namespace wharf::cli {

void add_task_setup_options(CLI::App& command, TaskSetupOptions& options) {
  command.add_option("--image", options.image,
                     "Run in this image instead of the project's pinned worker image");
  command.add_option("--pull", options.pull, "When to pull the image: missing, always or never")
      ->capture_default_str();
  command.add_flag("--allow-unpinned", options.allow_unpinned,
                   "Accept an image tagged latest or not tagged at all");
}

Result<TaskSetup> prepare_task_setup(const GlobalOptions& globals, const TaskSetupOptions& options,
                                     const Console& console) {
  auto policy = dispatch::parse_pull_policy(options.pull);
  if (!policy) {
    return std::unexpected(policy.error());
  }
  auto image = options.image
                   ? pin::check_pinned_image(*options.image, "--image", options.allow_unpinned)
                   : pin::resolve_worker_image(pin::ProjectLayout{globals.project_root()},
                                                    options.allow_unpinned);
  if (!image) {
    return std::unexpected(image.error());
  }
  auto client = connect_engine(globals.host);
  if (!client) {
    return std::unexpected(client.error());
  }
  bool announced = false;
  auto ensured =
      backends::ensure_image(*client, *image, *policy, [&](const engine::PullProgress& /*progress*/) {
        if (!announced) {
          console.note("pulling " + image->familiar() + " on " + client->host().address);
          announced = true;
        }
      });
  if (!ensured) {
    return std::unexpected(ensured.error());
  }
  return TaskSetup{std::move(*client), std::move(*ensured)};
}

}  // namespace wharf::cli
