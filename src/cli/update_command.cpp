// `wharf update`, `wharf rollback` and `wharf history`: move the running stack to a release,
// health-gated, rolling back by itself; and what past updates did.
#include <iostream>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "wharf/core/strings.hpp"
#include "wharf/core/wording.hpp"
#include "wharf/output/progress_lines.hpp"
#include "wharf/runtime/compose_cli.hpp"
#include "wharf/runtime/deployment.hpp"
#include "wharf/stack/compose_file.hpp"
#include "wharf/update/stack_update.hpp"

#include "cli/commands.hpp"
#include "cli/images_setup.hpp"

namespace wharf::cli {
namespace {

struct UpdateCommandOptions {
  ImagesOptions engine;  ///< --insecure-registry
  bool check = false;
  bool resume = false;
  int timeout_seconds = 120;
  int settle_seconds = 5;
  std::optional<std::string> to_tag;
  std::string strategy = "auto";  ///< --strategy auto|compose|recreate
};

update::UpdateOptions update_options(const GlobalOptions& globals,
                                     const UpdateCommandOptions& options) {
  update::UpdateOptions result;
  result.layout = pin::ProjectLayout{globals.project_root()};
  result.health_timeout = std::chrono::seconds(options.timeout_seconds);
  result.settle = std::chrono::seconds(options.settle_seconds);
  result.to_tag = options.to_tag;
  return result;
}

// Lines go to stderr (stdout is for --json); a progress block while images are pulled.
struct Narrator {
  const Console& console;
  std::unique_ptr<ProgressLines> progress;

  update::UpdateEvents events() {
    update::UpdateEvents result;
    result.say = [this](const std::string& line) {
      if (progress) {
        progress->finish();
        progress.reset();
      }
      console.note("wharf: " + line);
    };
    result.pulling = [this](const std::vector<ImageReference>& images) {
      std::vector<std::string> labels;
      for (const auto& image : images) {
        labels.push_back(image.familiar());
      }
      progress = std::make_unique<ProgressLines>(std::cerr, labels,
                                                 !console.json() && ::isatty(STDERR_FILENO) != 0);
    };
    result.pull_progress = [this](std::size_t index, const engine::PullProgress& state) {
      if (progress) {
        progress->update(index, state.summary());
      }
    };
    return result;
  }
};

// Which way the stack is restarted (--strategy, else what the deployment offers), said with
// the reason. Asking for compose where there is no compose file or CLI is an error.
Result<std::optional<update::ComposeRestart>> choose_strategy(const GlobalOptions& globals,
                                                              const pin::ProjectLayout& layout,
                                                              const UpdateCommandOptions& options,
                                                              const Console& console) {
  // Only what the choice needs: not the whole `wharf info` detection.
  const auto compose_file = stack::find_compose_file(layout.docker_dir());
  const auto compose_cli = runtime::find_compose_cli(runtime::SystemProbe::real());
  const auto choice = runtime::choose_update_strategy(compose_file, compose_cli);
  if (options.strategy == "recreate") {
    console.note("wharf: strategy recreate (Engine API), as --strategy asks.");
    return std::nullopt;
  }
  if (options.strategy == "compose") {
    if (!compose_file) {
      return fail(ErrorKind::invalid_input, "--strategy compose needs a compose file in " +
                                                layout.docker_dir().string() +
                                                " and there is none — use --strategy recreate.");
    }
    if (!compose_cli) {
      return fail(ErrorKind::not_found,
                  "--strategy compose needs `docker compose` or `docker-compose`, and neither "
                  "answered — install one (apt-get install docker-compose) or use --strategy "
                  "recreate.");
    }
  } else if (choice.strategy == runtime::UpdateStrategy::recreate) {
    console.note("wharf: strategy recreate (Engine API): " + choice.reason);
    return std::nullopt;
  }
  update::ComposeRestart compose{.cli = *compose_cli, .environment = {}};
  // Compose must reach the engine wharf reaches.
  if (globals.host) {
    compose.environment["DOCKER_HOST"] = *globals.host;
  }
  console.note("wharf: strategy compose: " + (options.strategy == "compose"
                                                  ? compose.cli.describe() + ", as --strategy asks."
                                                  : choice.reason));
  return std::optional<update::ComposeRestart>(std::move(compose));
}

nlohmann::json result_json(const update::UpdateResult& result) {
  return {{"outcome", result.record.outcome},
          {"record", result.record.to_json()},
          {"plan", result.plan.to_json()},
          {"recovered", result.recovered ? result.recovered->to_json() : nlohmann::json(nullptr)},
          {"details", result.details}};
}

Result<int> report(const update::UpdateResult& result, const Console& console) {
  if (console.json()) {
    console.json(result_json(result));
  }
  const auto& outcome = result.record.outcome;
  if (outcome == "updated" || outcome == "unchanged") {
    console.line(outcome == "updated" ? "updated to " + result.record.to_tag + "."
                                      : "already at " + result.record.to_tag + ".");
    return exit_ok;
  }
  console.note("wharf: the update to " + result.record.to_tag +
               " did not take: " + sentence(result.record.message));
  for (const auto& detail : result.details) {
    if (detail != result.record.message) {  // The first detail is often the message itself.
      console.note(detail);
    }
  }
  console.note(outcome == "rolled_back"
                   ? "the stack is back on " + result.record.from_tag + "."
                   : "the rollback did not complete — look at `wharf status`; the next `wharf "
                     "update --resume` tries again.");
  return outcome == "rolled_back" ? exit_check_failed : exit_error;
}

// The registry's answer for each image of the release, asked the way the update asks before
// it pulls: an image it does not have makes the update fail and roll back, so --check says so.
struct RegistryAnswers {
  nlohmann::json json = nlohmann::json::array();
  std::vector<std::string> lines;      ///< "  image  sha256:…" or "  image  not in the registry"
  std::vector<std::string> missing;    ///< The registry answered that it does not have these.
  std::vector<std::string> unchecked;  ///< The registry could not be asked about these.
};

RegistryAnswers ask_registry(registry::RegistryClient& registry,
                             const std::vector<ImageReference>& images, const Console& console) {
  RegistryAnswers answers;
  const auto digests = registry.resolve_digests(images);
  for (std::size_t i = 0; i < images.size(); ++i) {
    const auto name = images[i].familiar();
    const auto& digest = digests[i];
    const bool absent = !digest && digest.error().kind == ErrorKind::not_found;
    answers.json.push_back(
        {{"image", name},
         {"available", digest.has_value()},
         {"digest", digest ? nlohmann::json(digest->digest) : nlohmann::json(nullptr)},
         {"error", digest ? nlohmann::json(nullptr) : nlohmann::json(digest.error().message)}});
    if (digest) {
      answers.lines.push_back("  " + name + "  " + digest->digest.substr(0, 19));
    } else if (absent) {
      answers.lines.push_back("  " + name + "  not in the registry");
      answers.missing.push_back(name);
    } else {
      answers.lines.push_back("  " + name + "  could not be checked");
      answers.unchecked.push_back(name);
      console.error(digest.error());
    }
  }
  return answers;
}

// `wharf update --check`: the plan, and whether the registry has every image it needs.
Result<int> run_update_check(const GlobalOptions& globals, const pin::ProjectLayout& layout,
                             const UpdateCommandOptions& options, const Console& console) {
  auto plan = update::plan_update(layout);
  if (!plan) {
    return std::unexpected(plan.error());
  }
  auto strategy = choose_strategy(globals, layout, options, console);
  if (!strategy) {
    return std::unexpected(strategy.error());
  }
  auto registry = make_registry_client(options.engine);
  if (!registry) {
    return std::unexpected(registry.error());
  }
  const auto answers = ask_registry(*registry, plan->images, console);
  // 3 when the registry could not say (as `images check`), else 1 when it lacks an image.
  const int exit_code = !answers.unchecked.empty() ? exit_error
                        : !answers.missing.empty() ? exit_check_failed
                                                   : exit_ok;
  if (console.json()) {
    auto json = plan->to_json();
    json["strategy"] = *strategy ? "compose" : "recreate";
    json["registry"] = answers.json;
    json["missing"] = answers.missing;
    json["ok"] = exit_code == exit_ok;
    console.json(json);
  } else {
    console.line("version: " + plan->from_tag + " → " + plan->to_tag +
                 (plan->changes_version() ? "" : " (unchanged)"));
    console.line("commits: " + std::to_string(plan->commits.size()));
    for (const auto& commit : plan->commits) {
      console.line("  " + commit);
    }
    console.line("images:");
    for (const auto& line : answers.lines) {
      console.line(line);
    }
  }
  if (!answers.missing.empty()) {
    console.note("wharf: " + counted(answers.missing.size(), "image") + " of release " +
                 plan->to_tag + (answers.missing.size() == 1 ? " is" : " are") +
                 " not in the registry: " + join(answers.missing, ", ") +
                 " — the update would stop at the pull and roll back; push " +
                 (answers.missing.size() == 1 ? "it" : "them") + " first.");
  }
  if (!answers.unchecked.empty()) {
    console.note("wharf: the registry could not be asked about " + join(answers.unchecked, ", ") +
                 " (see above), so --check cannot say whether the update would get its images.");
  }
  console.note("nothing was changed (--check).");
  return exit_code;
}

Result<int> run_update_command(const GlobalOptions& globals, const UpdateCommandOptions& options,
                               const Console& console) {
  auto settings = update_options(globals, options);
  if (options.check) {
    return run_update_check(globals, settings.layout, options, console);
  }
  auto engine = connect_engine(globals.host);
  if (!engine) {
    return std::unexpected(engine.error());
  }
  auto strategy = choose_strategy(globals, settings.layout, options, console);
  if (!strategy) {
    return std::unexpected(strategy.error());
  }
  settings.compose = std::move(*strategy);
  Narrator narrator{console, nullptr};
  if (options.resume) {
    auto recovered = update::recover_interrupted(*engine, settings, narrator.events());
    if (!recovered) {
      return std::unexpected(recovered.error());
    }
    if (console.json()) {
      console.json({{"recovered", *recovered ? (*recovered)->to_json() : nlohmann::json(nullptr)}});
    } else {
      console.line(*recovered ? "the interrupted update to " + (*recovered)->to_tag +
                                    " was rolled back to " + (*recovered)->from_tag + "."
                              : "no interrupted update.");
    }
    return exit_ok;
  }
  auto registry = make_registry_client(options.engine);
  if (!registry) {
    return std::unexpected(registry.error());
  }
  auto result = update::run_update(*engine, *registry, settings, narrator.events());
  if (!result) {
    return std::unexpected(result.error());
  }
  return report(*result, console);
}

Result<int> run_history(const GlobalOptions& globals, const Console& console) {
  const pin::ProjectLayout layout{globals.project_root()};
  update::JournalStore store(layout.docker_dir() / ".wharf");
  auto history = store.history();
  if (!history) {
    return std::unexpected(history.error());
  }
  auto current = store.load_current();
  if (console.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& record : *history) {
      list.push_back(record.to_json());
    }
    console.json(
        {{"updates", list},
         {"in_progress", current && *current ? (*current)->to_json() : nlohmann::json(nullptr)}});
    return exit_ok;
  }
  Table table({"started", "from", "to", "outcome", "containers", "message"});
  for (const auto& record : *history) {
    table.add_row({record.started_at, record.from_tag, record.to_tag,
                   Cell(record.outcome, record.outcome == "updated"       ? Tone::good
                                        : record.outcome == "rolled_back" ? Tone::warn
                                                                          : Tone::bad),
                   std::to_string(record.services.size()), record.message});
  }
  console.table(table);
  if (current && *current) {
    console.note("an update to " + (*current)->to_tag + " is unfinished (step " +
                 std::string(update::to_string((*current)->step)) +
                 ") — `wharf update --resume` rolls it back.");
  }
  return exit_ok;
}

// The tag before the last successful update: what `wharf rollback` goes back to.
Result<std::string> previous_tag(const GlobalOptions& globals) {
  const pin::ProjectLayout layout{globals.project_root()};
  auto history = update::JournalStore(layout.docker_dir() / ".wharf").history();
  if (!history) {
    return std::unexpected(history.error());
  }
  for (auto record = history->rbegin(); record != history->rend(); ++record) {
    if (record->outcome == "updated" && !record->from_tag.empty()) {
      return record->from_tag;
    }
  }
  return fail(ErrorKind::not_found,
              "no successful update is recorded, so there is no previous release to go back to "
              "— name one with `wharf rollback --to TAG`.");
}

// What update and rollback share: both move the stack and wait for it to be healthy.
void add_move_options(CLI::App& command, UpdateCommandOptions& options) {
  command
      .add_option("--timeout", options.timeout_seconds,
                  "Seconds the restarted containers have to become healthy")
      ->check(CLI::PositiveNumber);
  command
      .add_option("--settle", options.settle_seconds,
                  "Seconds a container without healthcheck must keep running")
      ->check(CLI::NonNegativeNumber);
  command
      .add_option("--strategy", options.strategy,
                  "How the stack is restarted: compose (its compose CLI, up -d), recreate (the "
                  "Engine API, keeping each container's configuration) or auto (compose when a "
                  "compose file and CLI exist)")
      ->check(CLI::IsMember({"auto", "compose", "recreate"}))
      ->default_val("auto");
  add_registry_option(command, options.engine);
}

}  // namespace

void set_update_command(CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<UpdateCommandOptions>();
  auto* update = app.add_subcommand(
      "update",
      "git pull, pin VERSION, pull the new images, restart the stack on them (compose or "
      "recreate) and roll back by itself when it is not healthy");
  update->add_flag("--check", options->check,
                   "Show what would change (commits, version, images); change nothing");
  update->add_flag("--resume", options->resume,
                   "Only roll back an update a killed run left unfinished");
  add_move_options(*update, *options);
  update->callback([&globals, options] {
    run_command(globals, [&](const Console& console) {
      return run_update_command(globals, *options, console);
    });
  });

  auto rollback_options = std::make_shared<UpdateCommandOptions>();
  auto* rollback = app.add_subcommand(
      "rollback", "Move the stack back to the release before the last update (or --to TAG)");
  rollback->add_option("--to", rollback_options->to_tag, "The image tag to go back to");
  add_move_options(*rollback, *rollback_options);
  rollback->callback([&globals, rollback_options] {
    run_command(globals, [&](const Console& console) -> Result<int> {
      if (!rollback_options->to_tag) {
        auto tag = previous_tag(globals);
        if (!tag) {
          return std::unexpected(tag.error());
        }
        rollback_options->to_tag = *tag;
      }
      return run_update_command(globals, *rollback_options, console);
    });
  });

  auto* history = app.add_subcommand("history", "Past updates and rollbacks, oldest first");
  history->callback([&globals] {
    run_command(globals, [&](const Console& console) { return run_history(globals, console); });
  });
}

}  // namespace wharf::cli
