#include "wharf/update/stack_restore.hpp"

#include <algorithm>

#include "wharf/core/wording.hpp"
#include "wharf/git/repository.hpp"
#include "wharf/git/sync.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/update/recreate.hpp"
#include "wharf/update/stack_restart.hpp"

namespace wharf::update {

Result<void> restore_service(engine::EngineClient& engine, const ServiceChange& change) {
  auto previous = engine.container_inspect(change.old_id);
  if (!previous) {
    if (previous.error().kind == ErrorKind::not_found) {
      return fail(ErrorKind::not_found,
                  "the previous container of service " + change.service + " (" +
                      change.old_id.substr(0, 12) +
                      ") no longer exists, so it cannot be put back — start the service from "
                      "the compose file (docker compose up -d " +
                      change.service + ").");
    }
    return std::unexpected(previous.error());
  }
  auto containers = engine.container_list();
  if (!containers) {
    return std::unexpected(containers.error());
  }
  const std::string kept_prefix = change.container_name + "-wharf-";
  for (const auto& container : *containers) {
    if (container.id == previous->id) {
      continue;
    }
    for (const auto& name : container.names) {
      if (name == change.container_name || name.starts_with(kept_prefix)) {
        auto removed = engine.container_remove(container.id);
        if (!removed && removed.error().kind != ErrorKind::not_found) {
          return std::unexpected(removed.error());
        }
        break;
      }
    }
  }
  // The rest (its name back, started) is restore_previous()'s, with no new container left to
  // remove: new_id is the previous container's own, which it never removes.
  return restore_previous(engine, Recreated{.name = change.container_name,
                                            .old_id = previous->id,
                                            .new_id = previous->id,
                                            .old_renamed_to = change.previous_name});
}

Result<void> roll_back(engine::EngineClient& engine, const UpdateOptions& options,
                       const JournalStore& store, UpdateRecord& record,
                       const std::function<void(const std::string&)>& say) {
  const auto& layout = options.layout;
  const bool by_compose = record.strategy.starts_with("compose");
  record.step = UpdateStep::rolling_back;
  if (auto saved = store.save(record); !saved) {
    return saved;
  }
  Result<void> first_error;
  const auto keep_first = [&](Result<void> result) {
    if (!result && first_error) {
      first_error = std::move(result);
    }
  };
  for (auto change = record.services.rbegin(); change != record.services.rend() && !by_compose;
       ++change) {
    say("putting back " + change->container_name + " (service " + change->service + ")");
    keep_first(restore_service(engine, *change));
  }
  if (!record.from_tag.empty()) {
    say("IMAGE_TAG back to " + record.from_tag);
    auto written = update_env_file(layout.env_file(), [&](EnvFile& env) -> Result<void> {
      return env.set(pin::kImageTagKey, record.from_tag);
    });
    keep_first(written ? Result<void>() : Result<void>(std::unexpected(written.error())));
  }
  if (!record.from_commit.empty()) {
    if (const auto top = git::toplevel(layout.root)) {
      auto head = git::head_commit(*top);
      if (head && *head != record.from_commit) {
        say("checkout back to " + record.from_commit.substr(0, 12));
        keep_first(git::reset_keep(*top, record.from_commit));
      } else if (!head) {
        keep_first(std::unexpected(head.error()));
      }
    }
  }
  if (by_compose && !record.services.empty()) {
    std::vector<std::string> services;
    for (const auto& change : record.services) {
      if (std::find(services.begin(), services.end(), change.service) == services.end()) {
        services.push_back(change.service);
      }
    }
    say("compose: starting " + counted(services.size(), "service") + " again on " +
        record.from_tag);
    // At the pin just put back: the compose file as the restored checkout has it.
    auto stack = stack_at_pin(layout);
    keep_first(stack ? compose_up_services(options, *stack, services)
                     : Result<void>(std::unexpected(stack.error())));
  }
  return first_error;
}

}  // namespace wharf::update
