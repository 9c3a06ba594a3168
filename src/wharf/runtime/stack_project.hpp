#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/pin/project_layout.hpp"

namespace wharf::runtime {

/// One service of the project's compose file, as the runtime commands need it.
struct StackService {
  std::string name{};
  /// The image it runs at the pin (IMAGE_TAG interpolated); nullopt for a service that is only
  /// built.
  std::optional<ImageReference> image{};
  /// The compose file gives it a healthcheck (an image can bring its own; the container's
  /// State.Health tells the truth either way).
  bool has_healthcheck = false;
};

/// The compose stack of a project: its compose project name and services in file order.
struct StackProject {
  std::string name{};  ///< The compose project name, as compose derives it.
  std::filesystem::path compose_file{};
  std::vector<StackService> services{};  ///< In the compose file's order.

  /// The service called `service_name`, or nullptr (valid while `services` is unchanged).
  [[nodiscard]] const StackService* service(const std::string& service_name) const;
  /// "app, scheduler": the services' names for messages.
  [[nodiscard]] std::string service_names() const;
};

/// Reads the project's docker/.env and compose file the way `wharf images` does (the same
/// project-name rule and interpolation, .env before the environment). Fails with not_found when
/// docker/ holds no compose file or docker/.env is missing (both say what to do), and with the
/// compose file's own error when it cannot be read.
[[nodiscard]] Result<StackProject> load_stack_project(const pin::ProjectLayout& layout);

}  // namespace wharf::runtime
