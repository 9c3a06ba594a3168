#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/pin/project_layout.hpp"
#include "wharf/runtime/compose_cli.hpp"
#include "wharf/runtime/container_detection.hpp"
#include "wharf/runtime/source_checkout.hpp"
#include "wharf/runtime/system_probe.hpp"

namespace wharf::runtime {

/// How `wharf update` restarts the stack.
enum class UpdateStrategy {
  compose,   ///< `docker compose up -d` / `docker-compose up -d` with the new pin.
  recreate,  ///< wharf recreates each container through the Engine API.
};

[[nodiscard]] std::string_view to_string(UpdateStrategy strategy) noexcept;

struct StrategyChoice {
  UpdateStrategy strategy = UpdateStrategy::recreate;
  std::string reason{};  ///< A sentence saying why.
};

/// compose when the project has a compose file and a compose CLI answered, recreate otherwise,
/// with the reason. Pure.
[[nodiscard]] StrategyChoice choose_update_strategy(
    const std::optional<std::filesystem::path>& compose_file,
    const std::optional<ComposeCli>& compose_cli);

/// The project's containers on the engine.
struct StackPresence {
  std::size_t containers = 0;  ///< With the project's compose label, stopped ones included.
  std::size_t running = 0;
};

/// Counts the containers of compose project `project`; the CLI asks the engine, tests fake it.
using StackCounter = std::function<Result<StackPresence>(const std::string& project)>;

/// How this installation runs.
struct Deployment {
  std::filesystem::path project_root{};
  std::optional<SourceCheckout> checkout{};  ///< Set for a git work tree.
  ContainerEnvironment container{};
  std::optional<std::filesystem::path> compose_file{};
  /// The compose project name; "" when the project could not be read (project_error says why).
  std::string project_name{};
  std::string project_error{};
  /// The stack on the engine; nullopt when it was not asked (stack_error says why).
  std::optional<StackPresence> stack{};
  std::string stack_error{};
  std::optional<ComposeCli> compose_cli{};
  StrategyChoice strategy{};
};

/// Detects everything above for the project at `layout`: the git checkout and the container
/// signs through `probe`, the compose file and project name as `wharf status` reads them, the
/// stack through `count_stack` (not called when the project name is unknown), and the strategy.
/// Never fails: what could not be found out is recorded with its reason.
[[nodiscard]] Deployment detect_deployment(const pin::ProjectLayout& layout,
                                           const SystemProbe& probe,
                                           const StackCounter& count_stack);

}  // namespace wharf::runtime
