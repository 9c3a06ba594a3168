#include "wharf/update/stack_update.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <map>

#include <unistd.h>

#include "wharf/git/repository.hpp"
#include "wharf/images/stack_images.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/pin/version_file.hpp"
#include "wharf/runtime/stack_containers.hpp"
#include "wharf/stack/compose_file.hpp"
#include "wharf/stack/project_variables.hpp"
#include "wharf/update/health_wait.hpp"
#include "wharf/update/recreate.hpp"
#include "wharf/update/stack_restore.hpp"
#include "wharf/util/atomic_file.hpp"

namespace wharf::update {
namespace {

std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, format, &parts);
  return text;
}

std::filesystem::path journal_directory(const pin::ProjectLayout& layout) {
  return layout.docker_dir() / ".wharf";
}

void say(const UpdateEvents& events, const std::string& line) {
  if (events.say) {
    events.say(line);
  }
}

// The update directory's lock: one update (or rollback) at a time per project.
Result<DirectoryLock> lock_updates(const pin::ProjectLayout& layout) {
  std::error_code error;
  std::filesystem::create_directories(journal_directory(layout), error);
  auto lock = DirectoryLock::acquire(journal_directory(layout), std::chrono::seconds(1));
  if (!lock && lock.error().kind == ErrorKind::timeout) {
    return fail(ErrorKind::conflict, "another wharf update or rollback is running in " +
                                         layout.root.string() +
                                         " — wait for it to finish, then try again.");
  }
  return lock;
}

Result<std::optional<UpdateRecord>> recover_locked(engine::EngineClient& engine,
                                                   const UpdateOptions& options,
                                                   const JournalStore& store,
                                                   const UpdateEvents& events) {
  auto current = store.load_current();
  if (!current || !*current) {
    return current;
  }
  auto record = std::move(**current);
  if (record.step == UpdateStep::done) {
    // The run ended but died between writing the history and removing the journal.
    auto history = store.history();
    const bool recorded =
        history && std::any_of(history->begin(), history->end(),
                               [&](const UpdateRecord& past) { return past.id == record.id; });
    if (recorded) {
      std::error_code ignored;
      std::filesystem::remove(store.current_file(), ignored);
      return std::optional<UpdateRecord>(std::move(record));
    }
    if (auto finished = store.finish(record); !finished) {
      return std::unexpected(finished.error());
    }
    return std::optional<UpdateRecord>(std::move(record));
  }
  const std::string interrupted_at(to_string(record.step));
  say(events, "an update to " + record.to_tag + " was interrupted at step " + interrupted_at +
                  "; rolling it back to " + record.from_tag);
  auto rolled = roll_back(engine, options.layout, store, record,
                          [&](const std::string& line) { say(events, line); });
  record.finished_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  record.outcome = rolled ? "rolled_back" : "failed";
  record.message = rolled
                       ? "interrupted at step " + interrupted_at + "; rolled back by the next run"
                       : rolled.error().message;
  if (!rolled) {
    // Keep the journal (at rolling_back) so the next run tries again.
    return std::unexpected(rolled.error());
  }
  record.step = UpdateStep::done;
  if (auto finished = store.finish(record); !finished) {
    return std::unexpected(finished.error());
  }
  return std::optional<UpdateRecord>(std::move(record));
}

// Which image each compose service runs at the new pin, and their start order.
struct StackAtPin {
  std::string project{};
  std::vector<std::string> order{};
  std::map<std::string, std::string> image_of{};  // service -> reference
};

Result<StackAtPin> stack_at_pin(const pin::ProjectLayout& layout) {
  auto stack = images::load_stack_images(layout);
  if (!stack) {
    return std::unexpected(stack.error());
  }
  StackAtPin result{.project = stack->project_name};
  if (!stack->compose_file) {
    return result;
  }
  auto env = load_env_file(layout.env_file());
  if (!env) {
    return std::unexpected(env.error());
  }
  auto compose = stack::load_compose_file(*stack->compose_file, stack::project_variables(*env));
  if (!compose) {
    return std::unexpected(compose.error());
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

// WHARF_UPDATE_FAILPOINT=<step> (or "recreated": after the first container) makes the process kill
// itself with SIGKILL right after the journal records <step>: how the tests prove that a run killed
// at any step is recovered by the next one. Nothing else reads it.
void stop_here_if_asked(std::string_view point) {
  const char* failpoint = std::getenv("WHARF_UPDATE_FAILPOINT");
  if (failpoint != nullptr && point == failpoint) {
    ::raise(SIGKILL);
  }
}

}  // namespace

Result<std::optional<UpdateRecord>> recover_interrupted(engine::EngineClient& engine,
                                                        const UpdateOptions& options,
                                                        const UpdateEvents& events) {
  auto lock = lock_updates(options.layout);
  if (!lock) {
    return std::unexpected(lock.error());
  }
  return recover_locked(engine, options, JournalStore(journal_directory(options.layout)), events);
}

Result<UpdateResult> run_update(engine::EngineClient& engine, registry::RegistryClient& registry,
                                const UpdateOptions& options, const UpdateEvents& events) {
  const auto& layout = options.layout;
  auto lock = lock_updates(layout);
  if (!lock) {
    return std::unexpected(lock.error());
  }
  const JournalStore store(journal_directory(layout));
  UpdateResult result;
  auto recovered = recover_locked(engine, options, store, events);
  if (!recovered) {
    return std::unexpected(recovered.error());
  }
  result.recovered = std::move(*recovered);

  auto plan = options.to_tag ? plan_move(layout, *options.to_tag) : plan_update(layout);
  if (!plan) {
    return std::unexpected(plan.error());
  }
  result.plan = *plan;
  auto& record = result.record;
  record.id = utc_now("%Y%m%dT%H%M%SZ") + "-" + std::to_string(::getpid());
  record.started_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  record.from_tag = plan->from_tag;
  record.to_tag = plan->to_tag;
  record.strategy = options.to_tag ? "recreate (rollback)" : "recreate";
  if (plan->upstream) {
    record.from_commit = plan->upstream->head;
    record.to_commit = plan->upstream->upstream_head;
  }
  if (!plan->changes_version() && plan->commits.empty()) {
    record.outcome = "unchanged";
    record.message = "already at " + plan->to_tag;
    say(events, "already at " + plan->to_tag + "; nothing to update.");
    return result;
  }

  // From here on every step is journaled before it begins.
  const auto step = [&](UpdateStep next) {
    record.step = next;
    auto saved = store.save(record);
    stop_here_if_asked(to_string(next));
    return saved;
  };
  const auto finish = [&](std::string outcome, std::string message) -> Result<UpdateResult> {
    record.step = UpdateStep::done;
    record.finished_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
    record.outcome = std::move(outcome);
    record.message = std::move(message);
    if (auto finished = store.finish(record); !finished) {
      return std::unexpected(finished.error());
    }
    return std::move(result);
  };
  const auto undo = [&](const std::string& why) -> Result<UpdateResult> {
    say(events, why + " — rolling back to " + record.from_tag);
    result.details.insert(result.details.begin(), why);
    auto rolled = roll_back(engine, layout, store, record,
                            [&](const std::string& line) { say(events, line); });
    if (!rolled) {
      return finish("failed", why + "; the rollback failed too: " + rolled.error().message);
    }
    return finish("rolled_back", why);
  };

  if (auto saved = step(UpdateStep::started); !saved) {
    return std::unexpected(saved.error());
  }
  if (plan->upstream) {
    if (auto saved = step(UpdateStep::git_pulled); !saved) {
      return undo(saved.error().message);
    }
    say(events, "git: fast-forwarding " + plan->upstream->branch + " (" +
                    std::to_string(plan->commits.size()) + " commits)");
    if (auto pulled = git::fast_forward(*git::toplevel(layout.root)); !pulled) {
      return undo("git pull --ff-only failed: " + pulled.error().message);
    }
  }
  if (!options.to_tag) {
    auto version = pin::read_version_file(layout.version_file());
    if (!version || !*version) {
      return undo(version ? layout.version_file().string() + " is missing after the pull"
                          : version.error().message);
    }
    record.to_tag = (*version)->image_tag();
  }
  if (auto saved = step(UpdateStep::env_written); !saved) {
    return undo(saved.error().message);
  }
  say(events, "IMAGE_TAG " + record.from_tag + " → " + record.to_tag);
  auto written = update_env_file(layout.env_file(), [&](EnvFile& env) -> Result<void> {
    return env.set(pin::kImageTagKey, record.to_tag);
  });
  if (!written) {
    return undo(written.error().message);
  }

  auto stack = stack_at_pin(layout);
  auto wanted = images_at(layout, record.to_tag);
  if (!stack || !wanted) {
    return undo(!stack ? stack.error().message : wanted.error().message);
  }
  say(events, "asking the registry for " + std::to_string(wanted->size()) + " images");
  auto digests = registry.resolve_digests(*wanted);
  for (auto& digest : digests) {
    if (!digest) {
      return undo("the new images are not all available: " + digest.error().message);
    }
  }
  if (events.pulling) {
    events.pulling(*wanted);
  }
  auto pulls = images::pull_images(engine, registry, *wanted, events.pull_progress, {});
  for (const auto& pulled : pulls) {
    if (!pulled.ok) {
      return undo("pulling " + pulled.image.familiar() + " failed: " +
                  (pulled.error ? pulled.error->message : std::string("unknown error")));
    }
  }
  if (auto saved = step(UpdateStep::images_pulled); !saved) {
    return undo(saved.error().message);
  }

  auto services = runtime::find_stack_containers(engine, stack->project, stack->order);
  if (!services) {
    return undo(services.error().message);
  }
  if (auto saved = step(UpdateStep::restarting); !saved) {
    return undo(saved.error().message);
  }
  std::vector<Recreated> recreated;
  for (const auto& service : *services) {
    const auto image = stack->image_of.find(service.service);
    if (image == stack->image_of.end()) {
      continue;  // Built locally or no longer in the file: nothing to move to.
    }
    auto target = engine.image_inspect(image->second);
    if (!target) {
      return undo(target.error().message);
    }
    for (const auto& container : service.containers) {
      if (!container.running()) {
        say(events, container.name + " is " + container.state + "; left as it is");
        continue;
      }
      if (container.image_id == target->id) {
        continue;  // Already on the new image.
      }
      record.services.push_back(ServiceChange{.service = service.service,
                                              .container_name = container.name,
                                              .old_id = container.id,
                                              .new_id = "",
                                              .previous_name = container.name + "-wharf-previous"});
      if (auto saved = store.save(record); !saved) {
        return undo(saved.error().message);
      }
      say(events, "recreating " + container.name + " on " + image->second);
      auto made = recreate_container(engine, container.id, image->second, RecreateOptions{});
      if (!made) {
        return undo("recreating " + container.name + " failed: " + made.error().message);
      }
      record.services.back().new_id = made->new_id;
      record.services.back().previous_name = made->old_renamed_to;
      if (auto saved = store.save(record); !saved) {
        return undo(saved.error().message);
      }
      recreated.push_back(*made);
      stop_here_if_asked("recreated");  // One container is new, the rest still old.
    }
  }

  if (auto saved = step(UpdateStep::waiting_healthy); !saved) {
    return undo(saved.error().message);
  }
  std::vector<std::string> ids;
  for (const auto& made : recreated) {
    ids.push_back(made.new_id);
  }
  say(events, "waiting until " + std::to_string(ids.size()) + " containers are healthy");
  const auto health = wait_until_healthy(engine, ids, options.health_timeout, options.settle);
  if (auto verdict = health.as_result(); !verdict) {
    result.details.push_back(verdict.error().message);
    return undo("the new version is not healthy");
  }
  for (const auto& made : recreated) {
    if (auto discarded = discard_previous(engine, made); !discarded) {
      say(events, "could not remove the previous " + made.name + ": " + discarded.error().message);
    }
  }
  say(events, "updated to " + record.to_tag);
  return finish("updated", "updated " + std::to_string(recreated.size()) + " containers");
}

}  // namespace wharf::update
