#include "wharf/update/stack_restart.hpp"

#include <algorithm>

#include "wharf/core/strings.hpp"
#include "wharf/runtime/stack_containers.hpp"
#include "wharf/stack/compose_file.hpp"
#include "wharf/stack/stack_images.hpp"
#include "wharf/update/compose_restart.hpp"
#include "wharf/update/failpoint.hpp"
#include "wharf/update/health_wait.hpp"

namespace wharf::update {
namespace {

// Compose gets the health timeout for its own waits (depends_on: condition: service_healthy)
// plus this for creating and stopping containers.
constexpr std::chrono::seconds kComposeOverhead{120};

using Say = std::function<void(const std::string&)>;

// A running container whose image is not `target`: the ones the update moves.
struct Outdated {
  std::string service;
  std::string image;
  std::vector<runtime::StackContainer> containers;
};

// say_stopped: whether a stopped container is said to stay stopped (compose may start a
// stopped replica or dependency of a service it restarts, so it is not said then).
Result<std::vector<Outdated>> find_outdated(engine::EngineClient& engine, const StackAtPin& stack,
                                            bool say_stopped, const Say& say) {
  auto services = runtime::find_stack_containers(engine, stack.project, stack.order);
  if (!services) {
    return std::unexpected(services.error());
  }
  std::vector<Outdated> result;
  for (const auto& service : *services) {
    const auto image = stack.image_of.find(service.service);
    if (image == stack.image_of.end()) {
      continue;  // Built locally or no longer in the file: nothing to move to.
    }
    auto target = engine.image_inspect(image->second);
    if (!target) {
      return std::unexpected(target.error());
    }
    Outdated outdated{.service = service.service, .image = image->second, .containers = {}};
    for (const auto& container : service.containers) {
      if (!container.running()) {
        if (say_stopped) {
          say(container.name + " is " + container.state + "; left as it is");
        }
      } else if (container.image_id != target->id) {
        outdated.containers.push_back(container);
      }
    }
    if (!outdated.containers.empty()) {
      result.push_back(std::move(outdated));
    }
  }
  return result;
}

Result<Restarted> recreate_each(engine::EngineClient& engine, const std::vector<Outdated>& outdated,
                                UpdateRecord& record, const JournalStore& store, const Say& say) {
  Restarted result;
  for (const auto& service : outdated) {
    for (const auto& container : service.containers) {
      record.services.push_back(
          ServiceChange{.service = service.service,
                        .container_name = container.name,
                        .old_id = container.id,
                        .new_id = "",
                        .previous_name = container.name + std::string(kPreviousSuffix)});
      if (auto saved = store.save(record); !saved) {
        return std::unexpected(saved.error());
      }
      say("recreating " + container.name + " on " + service.image);
      auto made = recreate_container(engine, container.id, service.image, RecreateOptions{});
      if (!made) {
        return fail(made.error().kind,
                    "recreating " + container.name + " failed: " + made.error().message);
      }
      record.services.back().new_id = made->new_id;
      record.services.back().previous_name = made->old_renamed_to;
      if (auto saved = store.save(record); !saved) {
        return std::unexpected(saved.error());
      }
      result.wait_for.push_back(made->new_id);
      result.recreated.push_back(*made);
      stop_here_if_asked("recreated");  // One container is new, the rest still old.
    }
  }
  return result;
}

Result<Restarted> compose_each(engine::EngineClient& engine, const UpdateOptions& options,
                               const StackAtPin& stack, const std::vector<Outdated>& outdated,
                               UpdateRecord& record, const JournalStore& store, const Say& say) {
  std::vector<std::string> services;
  for (const auto& service : outdated) {
    services.push_back(service.service);
    for (const auto& container : service.containers) {
      record.services.push_back(ServiceChange{.service = service.service,
                                              .container_name = container.name,
                                              .old_id = container.id,
                                              .new_id = "",
                                              .previous_name = ""});
    }
  }
  if (auto saved = store.save(record); !saved) {
    return std::unexpected(saved.error());
  }
  say(options.compose->cli.describe() + " up -d " + join(services, " "));
  // Containers created from here on are compose's new ones (a second of slack for the clock's
  // granularity: the engine gives creation times in whole seconds).
  const auto started = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() -
                       1;
  auto up = compose_up_services(options, stack, services);
  auto after = runtime::find_stack_containers(engine, stack.project, stack.order);
  const auto restarted = [&](const runtime::ServiceContainers& service) {
    return std::find(services.begin(), services.end(), service.service) != services.end();
  };
  if (!up) {
    // Compose gave up (a dependency it waited for is unhealthy, say): what each container of
    // the restarted services says of itself, with its last log lines, is the report the
    // operator needs. Those still starting have nothing to say yet.
    auto error = up.error();
    if (after) {
      std::vector<std::string> ids;
      for (const auto& service : *after) {
        for (const auto& container : service.containers) {
          if (restarted(service)) {
            ids.push_back(container.id);
          }
        }
      }
      auto look = wait_until_healthy(engine, ids, std::chrono::milliseconds(1),
                                     std::chrono::milliseconds(0));
      std::erase_if(look.containers, [](const ContainerHealth& health) {
        return health.outcome == HealthOutcome::timed_out;
      });
      if (auto verdict = look.as_result(); !verdict) {
        error.message += "\n" + verdict.error().message;
      }
    }
    return std::unexpected(std::move(error));
  }
  stop_here_if_asked("recreated");
  if (!after) {
    return std::unexpected(after.error());
  }
  // Compose keeps container names: each recorded container's new one has its name. A container
  // that is neither (a stopped replica, a leftover) is not waited for unless compose made it.
  Restarted result;
  for (const auto& service : *after) {
    if (!restarted(service)) {
      continue;
    }
    for (const auto& container : service.containers) {
      auto change = std::find_if(
          record.services.begin(), record.services.end(),
          [&](const ServiceChange& recorded) { return recorded.container_name == container.name; });
      if (change != record.services.end()) {
        change->new_id = container.id;
        result.wait_for.push_back(container.id);
      } else if (container.created >= started) {
        result.wait_for.push_back(container.id);
      }
    }
  }
  if (auto saved = store.save(record); !saved) {
    return std::unexpected(saved.error());
  }
  return result;
}

}  // namespace

Result<StackAtPin> stack_at_pin(const pin::ProjectLayout& layout) {
  auto stack = stack::load_stack_images(layout);
  if (!stack) {
    return std::unexpected(stack.error());
  }
  StackAtPin result{.project = stack->project_name, .compose_file = stack->compose_file};
  const auto& compose = stack->compose;
  if (!compose) {
    return result;
  }
  auto order = stack::start_order(*compose);
  if (!order) {
    return std::unexpected(order.error());
  }
  result.order = std::move(*order);
  for (const auto& service : compose->services) {
    if (!service.image.empty()) {
      result.image_of[service.name] = service.image;
    }
  }
  return result;
}

Result<void> compose_up_services(const UpdateOptions& options, const StackAtPin& stack,
                                 const std::vector<std::string>& services) {
  if (!options.compose) {
    return fail(ErrorKind::invalid_input,
                "this update restarted the stack with compose; run it again with "
                "`--strategy compose` so compose puts it back.");
  }
  if (!stack.compose_file) {
    return fail(ErrorKind::not_found, "the compose strategy needs a compose file in " +
                                          options.layout.docker_dir().string() +
                                          ", and there is none.");
  }
  return compose_up(*options.compose, options.layout,
                    ComposeUp{.compose_file = *stack.compose_file,
                              .project = stack.project,
                              .services = services,
                              .pinned = {},
                              .timeout = options.health_timeout + kComposeOverhead});
}

Result<Restarted> restart_stack(engine::EngineClient& engine, const UpdateOptions& options,
                                const StackAtPin& stack, UpdateRecord& record,
                                const JournalStore& store, const Say& say) {
  auto outdated = find_outdated(engine, stack, !options.compose, say);
  if (!outdated) {
    return std::unexpected(outdated.error());
  }
  if (outdated->empty()) {
    return Restarted{};
  }
  return options.compose ? compose_each(engine, options, stack, *outdated, record, store, say)
                         : recreate_each(engine, *outdated, record, store, say);
}

}  // namespace wharf::update
