#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/runtime/container_status.hpp"
#include "wharf/runtime/stack_project.hpp"

namespace wharf::runtime {

/// One service of the stack and how its containers run.
struct ServiceStatus {
  std::string service{};
  /// False for a service whose containers exist but which the compose file no longer defines.
  bool in_compose_file = true;
  /// The image the compose file names for it at the pin ("" when it is only built, or not in
  /// the file).
  std::string image{};
  /// The image ID that reference names on the engine now; nullopt when the engine does not
  /// have it (not pulled yet) or there is no reference.
  std::optional<std::string> pinned_image_id{};
  std::vector<ContainerStatus> containers{};  ///< By container number.

  /// False when the compose file's service has no container ("not created").
  [[nodiscard]] bool created() const { return !containers.empty(); }
  /// Whether `container` runs the image the pinned tag names now; nullopt when that is not
  /// known (the pinned image is not on the engine, or the service names no image).
  [[nodiscard]] std::optional<bool> current(const ContainerStatus& container) const;
  /// Created, and every container running (and healthy when it has a healthcheck).
  [[nodiscard]] bool ok() const;
};

/// The whole stack.
struct StackStatus {
  std::string project{};
  std::vector<ServiceStatus> services{};  ///< Compose file order, then services it lost.

  /// Every service of the compose file is ok(); services the file no longer defines do not
  /// count (they are reported, but nothing expects them to run).
  [[nodiscard]] bool ok() const;
};

/// Reads the stack's state through the Engine API: the project's containers by their compose
/// labels, each one inspected, and each service's pinned image looked up (never pulled). `now`
/// is the time uptimes are measured to. A container removed while this runs is left out. Fails
/// only when the engine does.
[[nodiscard]] Result<StackStatus> read_stack_status(engine::EngineClient& engine,
                                                    const StackProject& project,
                                                    std::chrono::system_clock::time_point now);

}  // namespace wharf::runtime
