#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wharf/runtime/system_probe.hpp"

namespace wharf::runtime {

/// Whether wharf runs inside a container, and what says so.
struct ContainerEnvironment {
  bool inside = false;
  /// "docker", "podman", "kubernetes", "lxc", "containerd", the value of `container=`, or ""
  /// when nothing names one.
  std::string runtime{};
  /// This container's ID when a hint carries one (cgroup path or a bind mount of the engine's
  /// container directory): `wharf update` must not recreate the container it runs in.
  std::optional<std::string> container_id{};
  /// One sentence fragment per hint found ("/.dockerenv exists", "container=podman is set").
  std::vector<std::string> evidence{};
};

/// Looks for the usual signs, none of which is decisive alone (cgroup v2 hides the cgroup
/// path, rootless engines skip /.dockerenv): /.dockerenv (docker), /run/.containerenv
/// (podman), the `container` variable (systemd-nspawn, podman, lxc), KUBERNETES_SERVICE_HOST,
/// container managers in /proc/1/cgroup, and the engine's per-container files
/// (…/containers/<id>/hostname and the like) mounted in /proc/self/mountinfo. Inside when any
/// sign is found. Never fails: unreadable files are no evidence.
[[nodiscard]] ContainerEnvironment detect_container(const SystemProbe& probe);

}  // namespace wharf::runtime
