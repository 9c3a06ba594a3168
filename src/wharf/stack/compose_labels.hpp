#pragma once

#include <string_view>

namespace wharf::stack {

// The labels compose puts on every container it creates. wharf finds a stack's containers by
// them (never by name: compose's naming scheme changed between v1 and v2, labels did not), and
// `wharf update` puts the same labels on the containers it recreates, so compose still owns them.

/// The compose project a container belongs to.
inline constexpr std::string_view kComposeProjectLabel = "com.docker.compose.project";
/// The service of the compose file it runs.
inline constexpr std::string_view kComposeServiceLabel = "com.docker.compose.service";
/// Its number among the service's containers ("1", "2", … with --scale).
inline constexpr std::string_view kComposeContainerNumberLabel =
    "com.docker.compose.container-number";
/// "True" on a container `compose run` made: a one-off command, not one of the service's
/// replicas.
inline constexpr std::string_view kComposeOneoffLabel = "com.docker.compose.oneoff";

}  // namespace wharf::stack
