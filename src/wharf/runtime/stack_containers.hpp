#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/engine/container_types.hpp"
#include "wharf/engine/engine_client.hpp"

namespace wharf::runtime {

/// One container of a compose project, as the container list describes it.
struct StackContainer {
  std::string id{};
  std::string name{};
  std::string service{};
  /// Its com.docker.compose.container-number, 0 when the label is missing or not a number.
  int number = 0;
  std::string state{};  ///< "running", "exited", "created", …
  std::string image{};  ///< The reference it was created from, or an ID once that moved.
  std::string image_id{};
  std::int64_t created = 0;  ///< Unix seconds.

  [[nodiscard]] bool running() const { return state == "running"; }
};

/// A service and its containers.
struct ServiceContainers {
  std::string service{};
  /// False for a service the compose file no longer defines whose containers still exist.
  bool in_compose_file = true;
  std::vector<StackContainer> containers{};  ///< By container number, then name.

  /// False for a service of the compose file that has no container ("not created").
  [[nodiscard]] bool created() const { return !containers.empty(); }
};

/// Groups a project's containers by service: first every service of `compose_services` in that
/// order (with no containers when none exist), then services the file does not define, by
/// name. Containers without a service label and one-off containers (`compose run`) are left out:
/// they are not replicas of a service. Pure, so the grouping rule is tested without an engine.
[[nodiscard]] std::vector<ServiceContainers> group_by_service(
    std::span<const std::string> compose_services,
    std::span<const engine::ContainerSummary> containers);

/// A container list entry as a StackContainer.
[[nodiscard]] StackContainer stack_container_from(const engine::ContainerSummary& summary);

/// The containers (stopped ones too) labelled with compose project `project`, as the engine
/// lists them. Fails only when the engine does.
[[nodiscard]] Result<std::vector<engine::ContainerSummary>> list_project_containers(
    engine::EngineClient& engine, const std::string& project);

/// list_project_containers() grouped by group_by_service().
[[nodiscard]] Result<std::vector<ServiceContainers>> find_stack_containers(
    engine::EngineClient& engine, const std::string& project,
    std::span<const std::string> compose_services);

}  // namespace wharf::runtime
