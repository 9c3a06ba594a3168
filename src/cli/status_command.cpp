// `wharf status`: how each service of the stack runs, read through the Engine API.
#include <chrono>

#include <nlohmann/json.hpp>

#include "wharf/engine/engine_client.hpp"
#include "wharf/runtime/service_status.hpp"
#include "wharf/runtime/stack_project.hpp"
#include "wharf/runtime/timestamps.hpp"

#include "cli/commands.hpp"
#include "cli/engine_setup.hpp"

namespace wharf::cli {
namespace {

std::string state_text(const runtime::ContainerStatus& container) {
  if (container.state == "exited" || container.state == "dead") {
    return container.state + " (" + std::to_string(container.exit_code) + ")";
  }
  return container.state;
}

Tone state_tone(const runtime::ContainerStatus& container) {
  return container.running() ? Tone::good : Tone::bad;
}

Tone health_tone(const std::string& health) {
  if (health == "healthy") {
    return Tone::good;
  }
  if (health == "unhealthy") {
    return Tone::bad;
  }
  return health == "starting" ? Tone::warn : Tone::dim;
}

Cell current_cell(const runtime::ServiceStatus& service,
                  const runtime::ContainerStatus& container) {
  const auto current = service.current(container);
  if (!current) {
    return Cell("unknown", Tone::dim);
  }
  return *current ? Cell("yes", Tone::good) : Cell("no", Tone::warn);
}

nlohmann::json port_json(const runtime::PublishedPort& port) {
  return {{"host_ip", port.host_ip},
          {"host_port", port.host_port},
          {"container_port", port.container_port},
          {"protocol", port.protocol}};
}

nlohmann::json container_json(const runtime::ServiceStatus& service,
                              const runtime::ContainerStatus& container) {
  nlohmann::json ports = nlohmann::json::array();
  for (const auto& port : container.ports) {
    ports.push_back(port_json(port));
  }
  const auto current = service.current(container);
  return {{"name", container.name},
          {"id", container.id},
          {"number", container.number},
          {"state", container.state},
          {"exit_code",
           container.running() ? nlohmann::json(nullptr) : nlohmann::json(container.exit_code)},
          {"health", container.health},
          {"image", container.image},
          {"image_id", container.image_id},
          {"current", current ? nlohmann::json(*current) : nlohmann::json(nullptr)},
          {"network", container.host_network ? "host" : "own"},
          {"ports", ports},
          {"started_at", container.started_at.empty() ? nlohmann::json(nullptr)
                                                      : nlohmann::json(container.started_at)},
          {"uptime_seconds",
           container.uptime ? nlohmann::json(container.uptime->count()) : nlohmann::json(nullptr)},
          {"restart_count", container.restart_count},
          {"ok", container.ok()}};
}

// "not created", the containers' common state, or "mixed".
std::string service_state(const runtime::ServiceStatus& service) {
  if (!service.created()) {
    return "not created";
  }
  const auto& first = service.containers.front().state;
  for (const auto& container : service.containers) {
    if (container.state != first) {
      return "mixed";
    }
  }
  return first;
}

void print_json(const Console& console, const runtime::StackStatus& status) {
  nlohmann::json services = nlohmann::json::array();
  for (const auto& service : status.services) {
    nlohmann::json containers = nlohmann::json::array();
    for (const auto& container : service.containers) {
      containers.push_back(container_json(service, container));
    }
    services.push_back(
        {{"service", service.service},
         {"in_compose_file", service.in_compose_file},
         {"state", service_state(service)},
         {"ok", service.ok()},
         {"image", service.image.empty() ? nlohmann::json(nullptr) : nlohmann::json(service.image)},
         {"pinned_image_id", service.pinned_image_id ? nlohmann::json(*service.pinned_image_id)
                                                     : nlohmann::json(nullptr)},
         {"containers", containers}});
  }
  console.json({{"project", status.project}, {"ok", status.ok()}, {"services", services}});
}

void print_table(const Console& console, const runtime::StackStatus& status) {
  Table table({"service", "container", "state", "health", "image", "current", "ports", "uptime",
               "restarts"});
  for (const auto& service : status.services) {
    const std::string name =
        service.in_compose_file ? service.service : service.service + " (not in compose file)";
    if (!service.created()) {
      table.add_row(
          {name, Cell("-", Tone::dim), Cell("not created", Tone::bad), Cell("-", Tone::dim),
           service.image.empty() ? Cell("-", Tone::dim) : Cell(service.image), Cell("-", Tone::dim),
           Cell("-", Tone::dim), Cell("-", Tone::dim), Cell("-", Tone::dim)});
      continue;
    }
    for (const auto& container : service.containers) {
      const auto ports = container.ports_text();
      table.add_row(
          {name, container.name, Cell(state_text(container), state_tone(container)),
           Cell(container.health, health_tone(container.health)), container.image,
           current_cell(service, container), ports.empty() ? Cell("-", Tone::dim) : Cell(ports),
           container.uptime ? Cell(runtime::describe_age(*container.uptime)) : Cell("-", Tone::dim),
           std::to_string(container.restart_count)});
    }
  }
  console.table(table);
  console.line(status.ok() ? "every service of " + status.project + " is up."
                           : "not every service of " + status.project + " is up.");
}

Result<int> run_status(const GlobalOptions& globals, const Console& console) {
  auto project = runtime::load_stack_project(pin::ProjectLayout{globals.project_root()});
  if (!project) {
    return std::unexpected(project.error());
  }
  auto engine = connect_engine(globals.host);
  if (!engine) {
    return std::unexpected(engine.error());
  }
  auto status = runtime::read_stack_status(*engine, *project, std::chrono::system_clock::now());
  if (!status) {
    return std::unexpected(status.error());
  }
  if (console.json()) {
    print_json(console, *status);
  } else {
    print_table(console, *status);
  }
  return status->ok() ? exit_ok : exit_check_failed;
}

}  // namespace

void set_status_command(CLI::App& app, GlobalOptions& globals) {
  auto* command = app.add_subcommand(
      "status",
      "Per service of the stack: state, health, image and whether it is the pinned one, ports, "
      "uptime, restarts; exit 1 unless every service runs (healthy where it has a healthcheck)");
  command->callback([&globals] {
    run_command(globals, [&](const Console& console) { return run_status(globals, console); });
  });
}

}  // namespace wharf::cli
