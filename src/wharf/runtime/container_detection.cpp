#include "wharf/runtime/container_detection.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "wharf/core/strings.hpp"

namespace wharf::runtime {
namespace {

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The first run of 64 lower-case hex digits in `text` (a container ID), if any.
std::optional<std::string> container_id_in(std::string_view text) {
  constexpr std::size_t id_length = 64;
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    run = is_hex(text.substr(i, 1)) ? run + 1 : 0;
    const bool ends = i + 1 == text.size() || !is_hex(text.substr(i + 1, 1));
    if (run == id_length && ends) {
      return std::string(text.substr(i + 1 - id_length, id_length));
    }
  }
  return std::nullopt;
}

void add(ContainerEnvironment& environment, std::string runtime, std::string evidence) {
  environment.inside = true;
  if (environment.runtime.empty()) {
    environment.runtime = std::move(runtime);
  }
  environment.evidence.push_back(std::move(evidence));
}

void from_cgroup(const SystemProbe& probe, ContainerEnvironment& environment) {
  const auto cgroup = probe.read("/proc/1/cgroup");
  if (!cgroup) {
    return;
  }
  struct Manager {
    std::string_view marker;
    std::string_view runtime;
  };
  // Order matters: a Kubernetes pod's path also names its container runtime.
  static constexpr std::array<Manager, 6> managers{{{"kubepods", "kubernetes"},
                                                    {"libpod", "podman"},
                                                    {"docker", "docker"},
                                                    {"containerd", "containerd"},
                                                    {"/lxc/", "lxc"},
                                                    {"lxc.payload", "lxc"}}};
  for (const auto line : split(*cgroup, '\n')) {
    // "hierarchy-ID:controllers:path"; the path is what names a container.
    const auto colon = line.find(':', line.find(':') + 1);
    if (colon == std::string_view::npos) {
      continue;
    }
    const auto path = line.substr(colon + 1);
    for (const auto& manager : managers) {
      if (path.find(manager.marker) != std::string_view::npos) {
        add(environment, std::string(manager.runtime),
            "/proc/1/cgroup places PID 1 in " + std::string(path));
        if (!environment.container_id) {
          environment.container_id = container_id_in(path);
        }
        return;
      }
    }
  }
}

void from_mountinfo(const SystemProbe& probe, ContainerEnvironment& environment) {
  const auto mountinfo = probe.read("/proc/self/mountinfo");
  if (!mountinfo) {
    return;
  }
  for (const auto line : split(*mountinfo, '\n')) {
    // "ID parent major:minor root mount-point …": the engine bind-mounts /etc/hostname,
    // /etc/hosts and /etc/resolv.conf from its directory for the container.
    const auto fields = split(line, ' ');
    if (fields.size() < 5) {
      continue;
    }
    const auto root = fields[3];
    const auto mount_point = fields[4];
    if (mount_point != "/etc/hostname" && mount_point != "/etc/hosts" &&
        mount_point != "/etc/resolv.conf") {
      continue;
    }
    const bool docker = root.find("/docker/containers/") != std::string_view::npos;
    const bool podman = root.find("/overlay-containers/") != std::string_view::npos;
    const auto id = container_id_in(root);
    if ((docker || podman) && id) {
      add(environment, docker ? "docker" : "podman",
          std::string(mount_point) + " is mounted from the engine's " + std::string(root));
      environment.container_id = id;
      return;
    }
  }
}

}  // namespace

ContainerEnvironment detect_container(const SystemProbe& probe) {
  ContainerEnvironment environment;
  if (probe.exists("/.dockerenv")) {
    add(environment, "docker", "/.dockerenv exists");
  }
  if (probe.exists("/run/.containerenv")) {
    add(environment, "podman", "/run/.containerenv exists");
  }
  if (probe.getenv) {
    if (const auto value = probe.getenv("container"); value && !value->empty()) {
      add(environment, *value, "container=" + *value + " is set");
    }
    if (const auto value = probe.getenv("KUBERNETES_SERVICE_HOST"); value && !value->empty()) {
      add(environment, "kubernetes", "KUBERNETES_SERVICE_HOST is set");
    }
  }
  from_cgroup(probe, environment);
  from_mountinfo(probe, environment);
  return environment;
}

}  // namespace wharf::runtime
