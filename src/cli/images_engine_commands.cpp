// `wharf images pull` and `wharf images prune`: the two subcommands that change what the
// engine holds, and only when the user asks.
#include <iostream>
#include <iterator>
#include <map>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "wharf/core/wording.hpp"
#include "wharf/images/image_pull.hpp"
#include "wharf/images/prune_plan.hpp"
#include "wharf/output/progress_lines.hpp"

#include "cli/images_setup.hpp"

namespace wharf::cli {

Result<int> run_images_pull(const GlobalOptions& globals, const ImagesOptions& options,
                            const Console& console) {
  auto work = select_for_registry(globals, options);
  if (!work) {
    return std::unexpected(work.error());
  }
  const auto& selection = work->selection;
  auto& registry = work->registry;
  auto engine = connect_engine(globals.host);
  if (!engine) {
    return std::unexpected(engine.error());
  }
  std::vector<ImageReference> references;
  std::vector<std::string> labels;
  for (const auto& wanted : selection.images) {
    references.push_back(wanted.image);
    labels.push_back(wanted.image.familiar());
  }
  ProgressLines progress(std::cerr, labels, !console.json() && ::isatty(STDERR_FILENO) != 0);
  auto outcomes = images::pull_images(*engine, registry, references,
                                      [&](std::size_t index, const engine::PullProgress& state) {
                                        progress.update(index, state.summary());
                                      },
                                      {});
  std::size_t updated = 0;
  std::size_t failed = 0;
  for (std::size_t index = 0; index < outcomes.size(); ++index) {
    const auto& outcome = outcomes[index];
    std::string text;
    if (!outcome.ok) {
      ++failed;
      text = console.paint("failed", Tone::bad);
    } else if (outcome.updated) {
      ++updated;
      text = console.paint(outcome.previous_id.empty() ? "pulled " : "updated ", Tone::good) +
             short_id(outcome.digest.empty() ? outcome.id : outcome.digest);
    } else {
      text = "up to date " + short_id(outcome.digest.empty() ? outcome.id : outcome.digest);
    }
    progress.update(index, text + " (" + std::to_string(outcome.duration.count()) + " ms)");
  }
  progress.finish();
  for (const auto& outcome : outcomes) {
    if (outcome.error) {
      console.error(*outcome.error);
    }
  }
  if (console.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& outcome : outcomes) {
      list.push_back(outcome.to_json());
    }
    console.json({{"images", list}, {"ok", failed == 0}, {"updated", updated}});
  }
  console.note(counted(outcomes.size(), "image") + ": " + std::to_string(updated) +
               " pulled or updated, " + std::to_string(outcomes.size() - updated - failed) +
               " already up to date, " + std::to_string(failed) + " failed.");
  return failed == 0 ? exit_ok : exit_error;
}

Result<int> run_images_prune(const GlobalOptions& globals, const ImagesOptions& options,
                             const Console& console) {
  auto selection = select_images(globals, options);
  if (!selection) {
    return std::unexpected(selection.error());
  }
  std::vector<ImageReference> managed;
  for (const auto& wanted : selection->images) {
    if (wanted.pinned) {
      managed.push_back(wanted.image);
    }
  }
  if (managed.empty()) {
    return fail(ErrorKind::invalid_input,
                "none of the stack's images is pinned by IMAGE_TAG, so wharf manages no "
                "repository to prune — name the images to prune, at the tag to keep.");
  }
  auto engine = connect_engine(globals.host);
  if (!engine) {
    return std::unexpected(engine.error());
  }
  auto local_images = engine->image_list();
  if (!local_images) {
    return std::unexpected(local_images.error());
  }
  auto containers = engine->container_list();
  if (!containers) {
    return std::unexpected(containers.error());
  }
  std::map<std::string, std::vector<std::string>> users;
  for (const auto& container : *containers) {
    users[container.image_id].push_back(container.names.empty() ? container.id.substr(0, 12)
                                                                : container.names.front());
  }
  // One plan per repository, each in its own tag style (named images may differ).
  std::vector<images::PruneDecision> plan;
  for (const auto& repository : managed) {
    auto decisions = images::plan_prune({repository}, options.keep, *local_images, users,
                                        selection->style_of(repository));
    std::move(decisions.begin(), decisions.end(), std::back_inserter(plan));
  }
  nlohmann::json list = nlohmann::json::array();
  Table table({"image", "id", "action", "why"});
  std::size_t removed = 0;
  std::size_t failed = 0;
  for (const auto& decision : plan) {
    auto entry = decision.to_json();
    std::string action = decision.remove ? (options.dry_run ? "would remove" : "removed") : "keep";
    Tone tone = decision.remove ? Tone::warn : Tone::plain;
    if (decision.remove && !options.dry_run) {
      // Never forced: an image a container started using since the plan stays, and says so.
      auto gone = engine->image_remove(decision.reference);
      if (gone) {
        ++removed;
      } else {
        ++failed;
        action = "failed";
        tone = Tone::bad;
        entry["error"] = gone.error().message;
        console.error(gone.error());
      }
    }
    entry["action"] = action;
    list.push_back(std::move(entry));
    table.add_row(
        {decision.reference, short_id(decision.id, 19), Cell(action, tone), decision.reason});
  }
  if (console.json()) {
    console.json({{"dry_run", options.dry_run},
                  {"keep", options.keep},
                  {"images", list},
                  {"removed", removed},
                  {"ok", failed == 0}});
  } else {
    console.table(table);
  }
  const auto to_remove =
      std::count_if(plan.begin(), plan.end(), [](const auto& decision) { return decision.remove; });
  console.note(
      options.dry_run
          ? counted(static_cast<std::size_t>(to_remove), "tag") + " would be removed (dry run)."
          : counted(removed, "tag") + " removed, " + std::to_string(failed) + " could not be.");
  return failed == 0 ? exit_ok : exit_error;
}

}  // namespace wharf::cli
