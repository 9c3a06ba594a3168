#include "wharf/update/stack_update.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "wharf/core/wording.hpp"
#include "wharf/git/repository.hpp"
#include "wharf/git/sync.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/pin/version_file.hpp"
#include "wharf/update/failpoint.hpp"
#include "wharf/update/health_wait.hpp"
#include "wharf/update/stack_restart.hpp"
#include "wharf/update/stack_restore.hpp"
#include "wharf/update/update_recovery.hpp"

namespace wharf::update {
namespace {

namespace fs = std::filesystem;

void say(const UpdateEvents& events, const std::string& line) {
  if (events.say) {
    events.say(line);
  }
}

std::function<void(const std::string&)> sayer(const UpdateEvents& events) {
  return [&events](const std::string& line) { say(events, line); };
}

// The journal record of a run of `plan`: when it started, from and to which tag and commit,
// and how.
UpdateRecord new_record(const UpdateOptions& options, const UpdatePlan& plan) {
  UpdateRecord record;
  record.id = utc_now("%Y%m%dT%H%M%SZ") + "-" + std::to_string(::getpid());
  record.started_at = utc_now();
  record.from_tag = plan.from_tag;
  record.to_tag = plan.to_tag;
  record.strategy = options.strategy_name() + (options.to_tag ? " (rollback)" : "");
  if (plan.upstream) {
    record.from_commit = plan.upstream->head;
    record.to_commit = plan.upstream->upstream_head;
  }
  return record;
}

// A move (rollback) takes the checkout to the release's tag too, so that VERSION says what
// runs and `wharf pin --check` agrees. Whether it has to (HEAD is elsewhere); when it does,
// `record` gets the commits it moves between.
Result<bool> checkout_moves(const UpdateOptions& options, const UpdatePlan& plan,
                            const std::optional<fs::path>& top, UpdateRecord& record) {
  if (!options.to_tag || !top || plan.release_commit.empty()) {
    return false;
  }
  auto head = git::head_commit(*top);
  if (!head) {
    return std::unexpected(head.error());
  }
  if (*head == plan.release_commit) {
    return false;
  }
  record.from_commit = *head;
  record.to_commit = plan.release_commit;
  return true;
}

// Why the update must be rolled back; nullopt when a part of it worked.
using RollbackReason = std::optional<std::string>;

// The part of an update that changes things: every step is journaled before it begins, and
// once something changed a failure rolls back (undo) and is reported in the result instead of
// being returned as an error.
class JournaledUpdate {
 public:
  JournaledUpdate(engine::EngineClient& engine, registry::RegistryClient& registry,
                  const UpdateOptions& options, const UpdateEvents& events,
                  const JournalStore& store, UpdateResult result)
      : engine_(engine),
        registry_(registry),
        options_(options),
        events_(events),
        store_(store),
        result_(std::move(result)) {}

  // The steps in order, from `started` to `done`. `top` is the checkout's top level (none
  // outside git); `move_checkout` says whether a move takes it to the release's tag.
  Result<UpdateResult> run(const std::optional<fs::path>& top, bool move_checkout) {
    if (auto saved = step(UpdateStep::started); !saved) {
      return std::unexpected(saved.error());
    }
    if (auto why = sync_checkout(top, move_checkout)) {
      return undo(*why);
    }
    if (auto why = read_new_image_tag()) {
      return undo(*why);
    }
    if (auto why = write_image_tag()) {
      return undo(*why);
    }
    auto stack = stack_at_pin(options_.layout);
    auto wanted = images_at(options_.layout, record().to_tag);
    if (!stack || !wanted) {
      return undo(!stack ? stack.error().message : wanted.error().message);
    }
    if (auto why = fetch_images(*wanted)) {
      return undo(*why);
    }
    if (auto saved = step(UpdateStep::images_pulled); !saved) {
      return undo(saved.error().message);
    }
    return restart_and_wait(*stack);
  }

 private:
  UpdateRecord& record() { return result_.record; }
  const UpdatePlan& plan() const { return result_.plan; }

  void say(const std::string& line) const { update::say(events_, line); }

  // Journals `next` before it begins; a test build may stop right there (failpoint.hpp).
  Result<void> step(UpdateStep next) {
    record().step = next;
    auto saved = store_.save(record());
    stop_here_if_asked(to_string(next));
    return saved;
  }

  Result<UpdateResult> finish(std::string outcome, std::string message) {
    record().step = UpdateStep::done;
    record().finished_at = utc_now();
    record().outcome = std::move(outcome);
    record().message = std::move(message);
    if (auto finished = store_.finish(record()); !finished) {
      return std::unexpected(finished.error());
    }
    return std::move(result_);
  }

  Result<UpdateResult> undo(const std::string& why) {
    say(std::string(clause(why)) + " — rolling back to " + record().from_tag);
    result_.details.insert(result_.details.begin(), why);
    auto rolled = roll_back(engine_, options_, store_, record(), sayer(events_));
    if (!rolled) {
      return finish("failed", std::string(clause(why)) +
                                  "; the rollback failed too: " + rolled.error().message);
    }
    return finish("rolled_back", why);
  }

  // git: fast-forwards to the upstream, or for a move checks out the release's commit.
  RollbackReason sync_checkout(const std::optional<fs::path>& top, bool move_checkout) {
    if (plan().upstream) {
      if (auto saved = step(UpdateStep::git_pulled); !saved) {
        return saved.error().message;
      }
      say("git: fast-forwarding " + plan().upstream->branch + " (" +
          counted(plan().commits.size(), "commit") + ")");
      if (auto pulled = git::fast_forward(*top); !pulled) {
        return "git pull --ff-only failed: " + pulled.error().message;
      }
    }
    if (move_checkout) {
      if (auto saved = step(UpdateStep::git_pulled); !saved) {
        return saved.error().message;
      }
      say("git: checkout to the release " + plan().to_tag + " (" +
          record().to_commit.substr(0, 12) + ")");
      if (auto moved = git::reset_keep(*top, record().to_commit); !moved) {
        return "moving the checkout to " + record().to_commit.substr(0, 12) +
               " failed: " + moved.error().message;
      }
    }
    if (!plan().checkout_note.empty()) {
      say(plan().checkout_note);
    }
    return std::nullopt;
  }

  // An update goes to the image tag of VERSION as the pull left it; a move to its own tag.
  RollbackReason read_new_image_tag() {
    if (options_.to_tag) {
      return std::nullopt;
    }
    const auto& layout = options_.layout;
    auto version = pin::read_version_file(layout.version_file());
    if (!version || !*version) {
      return version ? layout.version_file().string() + " is missing after the pull"
                     : version.error().message;
    }
    record().to_tag = pin::image_tag(**version, plan().tag_style);
    return std::nullopt;
  }

  // IMAGE_TAG in docker/.env.
  RollbackReason write_image_tag() {
    if (auto saved = step(UpdateStep::env_written); !saved) {
      return saved.error().message;
    }
    say("IMAGE_TAG " + record().from_tag + " → " + record().to_tag);
    auto written = update_env_file(options_.layout.env_file(), [&](EnvFile& env) -> Result<void> {
      return env.set(pin::kImageTagKey, record().to_tag);
    });
    if (!written) {
      return written.error().message;
    }
    return std::nullopt;
  }

  // Every image must be in the registry before one is pulled, and on the engine before
  // anything restarts.
  RollbackReason fetch_images(const std::vector<ImageReference>& wanted) {
    say("asking the registry for " + counted(wanted.size(), "image"));
    auto digests = registry_.resolve_digests(wanted);
    for (auto& digest : digests) {
      if (!digest) {
        return "the new images are not all available: " + digest.error().message;
      }
    }
    if (events_.pulling) {
      events_.pulling(wanted);
    }
    auto pulls = images::pull_images(engine_, registry_, wanted, events_.pull_progress, {});
    for (const auto& pulled : pulls) {
      if (!pulled.ok) {
        return "pulling " + pulled.image.familiar() +
               " failed: " + (pulled.error ? pulled.error->message : std::string("unknown error"));
      }
    }
    return std::nullopt;
  }

  // Restarts the stack on the new images and waits until it is healthy: then the update is
  // done and the replaced containers go; otherwise it is rolled back.
  Result<UpdateResult> restart_and_wait(const StackAtPin& stack) {
    if (auto saved = step(UpdateStep::restarting); !saved) {
      return undo(saved.error().message);
    }
    auto restarted = restart_stack(engine_, options_, stack, record(), store_, sayer(events_));
    if (!restarted) {
      return undo(restarted.error().message);
    }
    if (auto saved = step(UpdateStep::waiting_healthy); !saved) {
      return undo(saved.error().message);
    }
    const auto& ids = restarted->wait_for;
    say("waiting until " + counted(ids.size(), "container") + (ids.size() == 1 ? " is" : " are") +
        " healthy");
    const auto health = wait_until_healthy(engine_, ids, options_.health_timeout, options_.settle);
    if (auto verdict = health.as_result(); !verdict) {
      result_.details.push_back(verdict.error().message);
      return undo("the new version is not healthy");
    }
    for (const auto& made : restarted->recreated) {
      if (auto discarded = discard_previous(engine_, made); !discarded) {
        say("could not remove the previous " + made.name + ": " + discarded.error().message);
      }
    }
    say("updated to " + record().to_tag);
    return finish("updated", "updated " + counted(ids.size(), "container"));
  }

  engine::EngineClient& engine_;
  registry::RegistryClient& registry_;
  const UpdateOptions& options_;
  const UpdateEvents& events_;
  const JournalStore& store_;
  UpdateResult result_;
};

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
  result.record = new_record(options, *plan);
  const auto top = git::toplevel(layout.root);
  const auto move_checkout = checkout_moves(options, *plan, top, result.record);
  if (!move_checkout) {
    return std::unexpected(move_checkout.error());
  }
  if (!plan->changes_version() && plan->commits.empty() && !*move_checkout) {
    result.record.outcome = "unchanged";
    result.record.message = "already at " + plan->to_tag;
    say(events, "already at " + plan->to_tag + "; nothing to update.");
    return result;
  }
  return JournaledUpdate(engine, registry, options, events, store, std::move(result))
      .run(top, *move_checkout);
}

}  // namespace wharf::update
