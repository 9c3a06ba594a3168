#include "wharf/runtime/deployment.hpp"

#include "wharf/runtime/stack_project.hpp"
#include "wharf/stack/compose_file.hpp"

namespace wharf::runtime {

std::string_view to_string(UpdateStrategy strategy) noexcept {
  switch (strategy) {
    case UpdateStrategy::compose:
      return "compose";
    case UpdateStrategy::recreate:
      return "recreate";
  }
  return "recreate";
}

StrategyChoice choose_update_strategy(const std::optional<std::filesystem::path>& compose_file,
                                      const std::optional<ComposeCli>& compose_cli) {
  if (compose_file && compose_cli) {
    return {UpdateStrategy::compose,
            compose_file->string() + " exists and " + compose_cli->describe() +
                " answered, so compose restarts the stack with the new pin."};
  }
  if (!compose_file) {
    return {UpdateStrategy::recreate,
            "the project has no compose file, so wharf recreates the stack's containers (found "
            "by their compose labels) through the Engine API."};
  }
  return {UpdateStrategy::recreate,
          "neither `docker compose` nor `docker-compose` answered, so wharf recreates the "
          "stack's containers through the Engine API, keeping each one's configuration."};
}

Deployment detect_deployment(const pin::ProjectLayout& layout, const SystemProbe& probe,
                             const StackCounter& count_stack) {
  Deployment deployment{.project_root = layout.root};
  deployment.checkout = detect_source_checkout(layout.root, probe);
  deployment.container = detect_container(probe);
  deployment.compose_file = stack::find_compose_file(layout.docker_dir());
  if (auto project = load_stack_project(layout)) {
    deployment.project_name = project->name;
  } else {
    deployment.project_error = project.error().message;
  }
  if (deployment.project_name.empty()) {
    deployment.stack_error = "the compose project is unknown, so the engine was not asked.";
  } else if (auto presence = count_stack(deployment.project_name)) {
    deployment.stack = *presence;
  } else {
    deployment.stack_error = presence.error().message;
  }
  deployment.compose_cli = find_compose_cli(probe);
  deployment.strategy = choose_update_strategy(deployment.compose_file, deployment.compose_cli);
  return deployment;
}

}  // namespace wharf::runtime
