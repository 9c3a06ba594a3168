#include "wharf/runtime/service_status.hpp"

#include <algorithm>
#include <map>

#include "wharf/runtime/stack_containers.hpp"

namespace wharf::runtime {

std::optional<bool> ServiceStatus::current(const ContainerStatus& container) const {
  if (!pinned_image_id) {
    return std::nullopt;
  }
  return container.image_id == *pinned_image_id;
}

bool ServiceStatus::ok() const {
  return created() && std::all_of(containers.begin(), containers.end(),
                                  [](const ContainerStatus& container) { return container.ok(); });
}

bool StackStatus::ok() const {
  return std::all_of(services.begin(), services.end(), [](const ServiceStatus& service) {
    return !service.in_compose_file || service.ok();
  });
}

Result<StackStatus> read_stack_status(engine::EngineClient& engine, const StackProject& project,
                                      std::chrono::system_clock::time_point now) {
  std::vector<std::string> names;
  names.reserve(project.services.size());
  for (const auto& service : project.services) {
    names.push_back(service.name);
  }
  auto groups = find_stack_containers(engine, project.name, names);
  if (!groups) {
    return std::unexpected(groups.error());
  }
  // Services sharing an image look it up once.
  std::map<std::string, std::optional<std::string>> image_ids;
  StackStatus status{.project = project.name};
  for (const auto& group : *groups) {
    ServiceStatus service{.service = group.service, .in_compose_file = group.in_compose_file};
    const auto* definition = project.service(group.service);
    if (definition != nullptr && definition->image) {
      service.image = definition->image->familiar();
      const auto reference = definition->image->to_string();
      auto cached = image_ids.find(reference);
      if (cached == image_ids.end()) {
        auto info = engine.image_inspect(reference);
        if (!info && info.error().kind != ErrorKind::not_found) {
          return std::unexpected(info.error());
        }
        cached =
            image_ids.emplace(reference, info ? std::optional<std::string>(info->id) : std::nullopt)
                .first;
      }
      service.pinned_image_id = cached->second;
    }
    for (const auto& container : group.containers) {
      auto info = engine.container_inspect(container.id);
      if (!info) {
        if (info.error().kind == ErrorKind::not_found) {
          continue;  // Removed since the list was taken.
        }
        return std::unexpected(info.error());
      }
      service.containers.push_back(container_status_from(info->raw, now));
    }
    status.services.push_back(std::move(service));
  }
  return status;
}

}  // namespace wharf::runtime
