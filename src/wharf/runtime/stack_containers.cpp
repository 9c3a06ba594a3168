#include "wharf/runtime/stack_containers.hpp"

#include <algorithm>
#include <charconv>

#include "wharf/stack/compose_labels.hpp"

namespace wharf::runtime {
namespace {

std::string label(const std::map<std::string, std::string>& labels, std::string_view key) {
  const auto found = labels.find(std::string(key));
  return found == labels.end() ? std::string() : found->second;
}

int parse_number(const std::string& text) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [last, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && last == end && value > 0 ? value : 0;
}

bool is_oneoff(const engine::ContainerSummary& summary) {
  const auto value = label(summary.labels, stack::kComposeOneoffLabel);
  return value == "True" || value == "true";
}

}  // namespace

StackContainer stack_container_from(const engine::ContainerSummary& summary) {
  return StackContainer{
      .id = summary.id,
      .name = summary.names.empty() ? summary.id.substr(0, 12) : summary.names.front(),
      .service = label(summary.labels, stack::kComposeServiceLabel),
      .number = parse_number(label(summary.labels, stack::kComposeContainerNumberLabel)),
      .state = summary.state,
      .image = summary.image,
      .image_id = summary.image_id,
      .created = summary.created};
}

std::vector<ServiceContainers> group_by_service(
    std::span<const std::string> compose_services,
    std::span<const engine::ContainerSummary> containers) {
  std::vector<ServiceContainers> groups;
  for (const auto& service : compose_services) {
    groups.push_back(ServiceContainers{.service = service});
  }
  std::vector<ServiceContainers> orphans;
  for (const auto& summary : containers) {
    auto container = stack_container_from(summary);
    if (container.service.empty() || is_oneoff(summary)) {
      continue;
    }
    const auto in_file = std::find_if(
        groups.begin(), groups.end(),
        [&](const ServiceContainers& group) { return group.service == container.service; });
    if (in_file != groups.end()) {
      in_file->containers.push_back(std::move(container));
      continue;
    }
    auto orphan = std::find_if(orphans.begin(), orphans.end(), [&](const ServiceContainers& group) {
      return group.service == container.service;
    });
    if (orphan == orphans.end()) {
      orphans.push_back(ServiceContainers{.service = container.service, .in_compose_file = false});
      orphan = std::prev(orphans.end());
    }
    orphan->containers.push_back(std::move(container));
  }
  std::sort(
      orphans.begin(), orphans.end(),
      [](const ServiceContainers& a, const ServiceContainers& b) { return a.service < b.service; });
  groups.insert(groups.end(), std::make_move_iterator(orphans.begin()),
                std::make_move_iterator(orphans.end()));
  for (auto& group : groups) {
    std::sort(group.containers.begin(), group.containers.end(),
              [](const StackContainer& a, const StackContainer& b) {
                return a.number != b.number ? a.number < b.number : a.name < b.name;
              });
  }
  return groups;
}

Result<std::vector<engine::ContainerSummary>> list_project_containers(engine::EngineClient& engine,
                                                                      const std::string& project) {
  engine::ContainerListOptions options;
  options.all = true;
  options.labels.emplace(std::string(stack::kComposeProjectLabel), project);
  return engine.container_list(options);
}

Result<std::vector<ServiceContainers>> find_stack_containers(
    engine::EngineClient& engine, const std::string& project,
    std::span<const std::string> compose_services) {
  auto containers = list_project_containers(engine, project);
  if (!containers) {
    return std::unexpected(containers.error());
  }
  return group_by_service(compose_services, *containers);
}

}  // namespace wharf::runtime
