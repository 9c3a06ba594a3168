#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "wharf/pin/project_layout.hpp"
#include "wharf/runtime/compose_cli.hpp"

namespace wharf::update {

/// The compose strategy: the stack is restarted by the project's compose CLI (`up -d`) with
/// the new pin, instead of by wharf recreating each container through the Engine API.
struct ComposeRestart {
  runtime::ComposeCli cli{};
  /// Set for the compose process on top of wharf's environment: DOCKER_HOST, so compose talks
  /// to the engine wharf talks to.
  std::map<std::string, std::string> environment{};
};

/// How `wharf update` (and `wharf rollback`) moves the stack.
struct UpdateOptions {
  pin::ProjectLayout layout;
  /// How long every restarted service has to become healthy (or stay running for `settle`).
  std::chrono::seconds health_timeout{120};
  /// How long a service without a healthcheck must keep running to count as up.
  std::chrono::seconds settle{5};
  /// Move the stack to this image tag instead of to VERSION after a git pull: no git step
  /// (`wharf rollback --to TAG`).
  std::optional<std::string> to_tag{};
  /// Set: the compose strategy. Empty: the recreate strategy (Engine API).
  std::optional<ComposeRestart> compose{};

  [[nodiscard]] std::string strategy_name() const { return compose ? "compose" : "recreate"; }
};

}  // namespace wharf::update
