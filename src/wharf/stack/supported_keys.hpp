#pragma once

// The part of the compose specification `wharf up` and `wharf config` run a stack with. The
// commands that only read the stack (images, status, logs, update) do not check it.
// Internal to src/wharf/stack (it takes yaml-cpp nodes); load_compose_file() calls it.

#include <filesystem>
#include <span>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "wharf/core/error.hpp"

namespace wharf::stack {

/// The service keys wharf runs a service with, sorted; `build` among them is read and never
/// built.
[[nodiscard]] std::span<const std::string_view> supported_service_keys();

/// Checks that the document `root` of the compose file at `path` uses only the supported keys:
/// top level services, volumes, networks, name, version; per service supported_service_keys(),
/// with deploy limited to resources.limits.cpus and .memory; `x-*` extensions and `<<` merge
/// keys anywhere. Every unsupported key is an invalid_input error naming file, line, service and
/// key, and what to do. The first one found is reported.
[[nodiscard]] Result<void> check_supported_keys(const std::filesystem::path& path,
                                                const YAML::Node& root);

}  // namespace wharf::stack
