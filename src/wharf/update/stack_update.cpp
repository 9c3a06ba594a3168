#include "wharf/update/stack_update.hpp"

#include <unistd.h>

#include "wharf/git/repository.hpp"
#include "wharf/git/sync.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/pin/version_file.hpp"
#include "wharf/update/failpoint.hpp"
#include "wharf/update/health_wait.hpp"
#include "wharf/update/stack_restart.hpp"
#include "wharf/update/stack_restore.hpp"
#include "wharf/update/update_recovery.hpp"
#include "wharf/core/wording.hpp"

namespace wharf::update {
namespace {

void say(const UpdateEvents& events, const std::string& line) {
  if (events.say) {
    events.say(line);
  }
}

std::function<void(const std::string&)> sayer(const UpdateEvents& events) {
  return [&events](const std::string& line) { say(events, line); };
}

}  // namespace

Result<std::optional<UpdateRecord>> recover_interrupted(engine::EngineClient& engine,
                                                        const UpdateOptions& options,
                                                        const UpdateEvents& events) {
  auto lock = lock_updates(options.layout);
  if (!lock) {
    return std::unexpected(lock.error());
  }
  return recover_locked(engine, options, JournalStore(journal_directory(options.layout)),
                        sayer(events));
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
  auto recovered = recover_locked(engine, options, store, sayer(events));
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
  record.started_at = utc_now();
  record.from_tag = plan->from_tag;
  record.to_tag = plan->to_tag;
  record.strategy = options.strategy_name() + (options.to_tag ? " (rollback)" : "");
  if (plan->upstream) {
    record.from_commit = plan->upstream->head;
    record.to_commit = plan->upstream->upstream_head;
  }
  // A move (rollback) takes the checkout to the release's tag too, so that VERSION says what
  // runs and `wharf pin --check` agrees.
  const auto top = git::toplevel(layout.root);
  bool move_checkout = false;
  if (options.to_tag && top && !plan->release_commit.empty()) {
    auto head = git::head_commit(*top);
    if (!head) {
      return std::unexpected(head.error());
    }
    move_checkout = *head != plan->release_commit;
    if (move_checkout) {
      record.from_commit = *head;
      record.to_commit = plan->release_commit;
    }
  }
  if (!plan->changes_version() && plan->commits.empty() && !move_checkout) {
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
    record.finished_at = utc_now();
    record.outcome = std::move(outcome);
    record.message = std::move(message);
    if (auto finished = store.finish(record); !finished) {
      return std::unexpected(finished.error());
    }
    return std::move(result);
  };
  const auto undo = [&](const std::string& why) -> Result<UpdateResult> {
    say(events, std::string(clause(why)) + " — rolling back to " + record.from_tag);
    result.details.insert(result.details.begin(), why);
    auto rolled = roll_back(engine, options, store, record, sayer(events));
    if (!rolled) {
      return finish("failed", std::string(clause(why)) +
                                  "; the rollback failed too: " + rolled.error().message);
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
                    counted(plan->commits.size(), "commit") + ")");
    if (auto pulled = git::fast_forward(*top); !pulled) {
      return undo("git pull --ff-only failed: " + pulled.error().message);
    }
  }
  if (move_checkout) {
    if (auto saved = step(UpdateStep::git_pulled); !saved) {
      return undo(saved.error().message);
    }
    say(events, "git: checkout to the release " + plan->to_tag + " (" +
                    record.to_commit.substr(0, 12) + ")");
    if (auto moved = git::reset_keep(*top, record.to_commit); !moved) {
      return undo("moving the checkout to " + record.to_commit.substr(0, 12) +
                  " failed: " + moved.error().message);
    }
  }
  if (!plan->checkout_note.empty()) {
    say(events, plan->checkout_note);
  }
  if (!options.to_tag) {
    auto version = pin::read_version_file(layout.version_file());
    if (!version || !*version) {
      return undo(version ? layout.version_file().string() + " is missing after the pull"
                          : version.error().message);
    }
    record.to_tag = pin::image_tag(**version, plan->tag_style);
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
  say(events, "asking the registry for " + counted(wanted->size(), "image"));
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

  if (auto saved = step(UpdateStep::restarting); !saved) {
    return undo(saved.error().message);
  }
  auto restarted = restart_stack(engine, options, *stack, record, store, sayer(events));
  if (!restarted) {
    return undo(restarted.error().message);
  }

  if (auto saved = step(UpdateStep::waiting_healthy); !saved) {
    return undo(saved.error().message);
  }
  const auto& ids = restarted->wait_for;
  say(events, "waiting until " + counted(ids.size(), "container") +
                  (ids.size() == 1 ? " is" : " are") + " healthy");
  const auto health = wait_until_healthy(engine, ids, options.health_timeout, options.settle);
  if (auto verdict = health.as_result(); !verdict) {
    result.details.push_back(verdict.error().message);
    return undo("the new version is not healthy");
  }
  for (const auto& made : restarted->recreated) {
    if (auto discarded = discard_previous(engine, made); !discarded) {
      say(events, "could not remove the previous " + made.name + ": " + discarded.error().message);
    }
  }
  say(events, "updated to " + record.to_tag);
  return finish("updated", "updated " + counted(ids.size(), "container"));
}

}  // namespace wharf::update
