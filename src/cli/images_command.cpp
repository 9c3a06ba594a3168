// `wharf images …`: manual image management. Nothing here downloads anything unless the
// user runs `pull`; `check` and `tags` only ask the registry.
#include <nlohmann/json.hpp>

#include "wharf/core/strings.hpp"
#include "wharf/core/wording.hpp"

#include "cli/images_setup.hpp"

namespace wharf::cli {
namespace {

nlohmann::json optional_text(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string container_list_text(const images::LocalImage& image) {
  std::string text;
  for (const auto& container : image.containers) {
    text += (text.empty() ? "" : ", ") + container.name + " (" + container.state + ")";
  }
  return text.empty() ? "-" : text;
}

nlohmann::json containers_json(const images::LocalImage& image) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& container : image.containers) {
    list.push_back({{"name", container.name},
                    {"id", container.id},
                    {"state", container.state},
                    {"service", container.service.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(container.service)},
                    {"created_from", container.created_from},
                    {"image_id", container.image_id},
                    {"current", container.image_id == image.id},
                    {"digest", optional_text(container.digest)}});
  }
  return list;
}

struct Inspected {
  ImageSelection selection;
  std::vector<images::LocalImage> local;
};

Result<Inspected> inspect(const GlobalOptions& globals, const ImagesOptions& options) {
  auto selection = select_images(globals, options);
  if (!selection) {
    return std::unexpected(selection.error());
  }
  auto engine = connect_engine(globals.host);
  if (!engine) {
    return std::unexpected(engine.error());
  }
  const auto queries = selection->queries();
  auto local = images::inspect_local_images(*engine, queries, selection->project_name);
  if (!local) {
    return std::unexpected(local.error());
  }
  return Inspected{std::move(*selection), std::move(*local)};
}

}  // namespace

Result<int> run_images_status(const GlobalOptions& globals, const ImagesOptions& options,
                              const Console& console) {
  auto inspected = inspect(globals, options);
  if (!inspected) {
    return std::unexpected(inspected.error());
  }
  const auto& selection = inspected->selection;
  if (console.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < selection.images.size(); ++i) {
      const auto& wanted = selection.images[i];
      const auto& local = inspected->local[i];
      list.push_back(
          {{"image", wanted.image.familiar()},
           {"role", wanted.role()},
           {"services", wanted.services},
           {"worker", wanted.worker},
           {"pinned", wanted.pinned},
           {"present", local.present},
           {"id", local.present ? nlohmann::json(local.id) : nlohmann::json(nullptr)},
           {"digest", optional_text(local.digest)},
           {"created", local.present ? nlohmann::json(local.created) : nlohmann::json(nullptr)},
           {"size", local.present ? nlohmann::json(local.size) : nlohmann::json(nullptr)},
           {"containers", containers_json(local)}});
    }
    console.json(
        {{"project", selection.project_name.empty() ? nlohmann::json(nullptr)
                                                    : nlohmann::json(selection.project_name)},
         {"images", list}});
    return exit_ok;
  }
  Table table({"image", "role", "present", "id", "digest", "created", "size", "containers"});
  for (std::size_t i = 0; i < selection.images.size(); ++i) {
    const auto& wanted = selection.images[i];
    const auto& local = inspected->local[i];
    table.add_row({wanted.image.familiar(),
                   wanted.role().empty() ? Cell("-", Tone::dim) : wanted.role(),
                   local.present ? Cell("yes", Tone::good) : Cell("no", Tone::bad),
                   local.present ? Cell(short_id(local.id)) : Cell("-", Tone::dim),
                   local.digest ? Cell(short_id(*local.digest)) : Cell("-", Tone::dim),
                   local.present ? Cell(local.created.substr(0, 19)) : Cell("-", Tone::dim),
                   local.present ? Cell(human_size(local.size)) : Cell("-", Tone::dim),
                   container_list_text(local)});
  }
  console.table(table);
  return exit_ok;
}

Result<int> run_images_validate(const GlobalOptions& globals, const ImagesOptions& options,
                                const Console& console) {
  auto inspected = inspect(globals, options);
  if (!inspected) {
    return std::unexpected(inspected.error());
  }
  const auto& selection = inspected->selection;
  nlohmann::json missing = nlohmann::json::array();
  std::vector<std::string> lines;
  std::vector<std::string> pull;  // What to pull: the missing images, when they were named.
  for (std::size_t i = 0; i < selection.images.size(); ++i) {
    if (inspected->local[i].present) {
      continue;
    }
    const auto& wanted = selection.images[i];
    missing.push_back({{"image", wanted.image.familiar()}, {"role", wanted.role()}});
    lines.push_back(wanted.image.familiar() +
                    (wanted.role().empty() ? "" : " (" + wanted.role() + ")"));
    pull.push_back(wanted.image.familiar());
  }
  const bool ok = missing.empty();
  const auto checked = selection.images.size();
  if (console.json()) {
    console.json({{"ok", ok}, {"checked", checked}, {"missing", missing}});
  } else if (ok) {
    console.line(checked == 1 ? "the required image is present."
                              : "all " + counted(checked, "required image") + " are present.");
  }
  if (!ok) {
    console.note("wharf: " + std::to_string(lines.size()) + " of " +
                 counted(checked, "required image") + (lines.size() == 1 ? " is" : " are") +
                 " missing, so nothing should be started:");
    for (const auto& line : lines) {
      console.note("  missing: " + line);
    }
    // The project's images come with the project's pull; named ones are pulled by name.
    const auto command = selection.from_project ? std::string("wharf images pull")
                                                : "wharf images pull " + join(pull, " ");
    console.note(std::string(lines.size() == 1 ? "pull it" : "pull them") + " with `" + command +
                 "` (wharf never downloads on its own).");
  }
  return ok ? exit_ok : exit_check_failed;
}

void set_images_command(CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<ImagesOptions>();
  auto* images = app.add_subcommand(
      "images", "Manage the stack's images by hand: status, check, pull, validate, prune, tags");
  images->require_subcommand(1);
  const auto add = [&](const char* name, const char* help, auto body) {
    auto* command = images->add_subcommand(name, help);
    command->callback([&globals, options, body] {
      run_command(globals,
                  [&](const Console& console) { return body(globals, *options, console); });
    });
    return command;
  };

  auto* status =
      add("status", "Per image: present, id, digest, created, size, and the containers using it",
          run_images_status);
  add_images_argument(*status, *options, "Images to describe");

  auto* check = add("check",
                    "Ask the registry whether each image's tag moved (never pulls); exit 1 when "
                    "an update exists, 3 when an image could not be checked",
                    run_images_check);
  add_images_argument(*check, *options, "Images to check");
  add_registry_option(*check, *options);

  auto* pull = add("pull", "Pull the images, with progress and a summary", run_images_pull);
  add_images_argument(*pull, *options, "Images to pull");
  add_registry_option(*pull, *options);

  auto* validate = add("validate",
                       "Exit 1 listing every required image that is not present (run before "
                       "starting anything)",
                       run_images_validate);
  add_images_argument(*validate, *options, "Images to require");

  auto* prune = add("prune",
                    "Remove older version tags of the managed repositories that no container "
                    "uses, keeping the N newest and the pinned one",
                    run_images_prune);
  prune->add_option("--keep", options->keep, "How many of the newest version tags to keep")
      ->required()
      ->check(CLI::NonNegativeNumber);
  prune->add_flag("--dry-run", options->dry_run, "Show what would be removed; remove nothing");
  add_images_argument(*prune, *options, "Images whose repositories to prune, at the tag to keep");

  auto* tags =
      add("tags", "Newer version tags than the pinned one, from the registry", run_images_tags);
  tags->add_flag("--stable", options->stable_only, "Leave out pre-releases");
  add_images_argument(*tags, *options, "Images whose repositories to list");
  add_registry_option(*tags, *options);
}

}  // namespace wharf::cli
