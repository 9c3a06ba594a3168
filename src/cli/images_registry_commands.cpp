// `wharf images check` and `wharf images tags`: questions for the registry. Neither pulls.
#include <future>

#include <nlohmann/json.hpp>

#include "wharf/images/newer_tags.hpp"
#include "wharf/images/update_check.hpp"

#include "cli/images_setup.hpp"

namespace wharf::cli {
namespace {

Tone tone_of(images::UpdateState state) {
  switch (state) {
    case images::UpdateState::up_to_date:
      return Tone::good;
    case images::UpdateState::update_available:
      return Tone::warn;
    default:
      return Tone::bad;
  }
}

std::string state_text(images::UpdateState state) {
  switch (state) {
    case images::UpdateState::up_to_date:
      return "up to date";
    case images::UpdateState::update_available:
      return "update available";
    case images::UpdateState::not_in_registry:
      return "not in registry";
    case images::UpdateState::error:
      return "error";
  }
  return "error";
}

}  // namespace

Result<int> run_images_check(const GlobalOptions& globals, const ImagesOptions& options,
                             const Console& console) {
  auto work = select_for_registry(globals, options);
  if (!work) {
    return std::unexpected(work.error());
  }
  const auto& selection = work->selection;
  auto& registry = work->registry;
  const auto queries = selection.queries();
  std::vector<ImageReference> references;
  for (const auto& query : queries) {
    references.push_back(query.image);
  }
  // The registry is asked while the engine is: neither waits for the other. The client is
  // used by that thread alone until get().
  auto asking = std::async(std::launch::async, [&registry, &references] {
    return registry.resolve_digests(references);
  });
  auto engine = connect_engine(globals.host);
  auto local = engine ? images::inspect_local_images(*engine, queries, selection.project_name)
                      : Result<std::vector<images::LocalImage>>(std::unexpected(engine.error()));
  auto remote = asking.get();
  if (!local) {
    return std::unexpected(local.error());
  }
  std::vector<images::ImageCheck> checks;
  for (std::size_t i = 0; i < references.size(); ++i) {
    // A named image gets a pull of itself suggested, not the project's whole pull.
    const auto pull = selection.from_project ? std::string("wharf images pull")
                                             : "wharf images pull " + references[i].familiar();
    checks.push_back(
        images::compare_with_registry(std::move((*local)[i]), std::move(remote[i]), pull));
  }
  const auto count = [&](images::UpdateState state) {
    return std::count_if(checks.begin(), checks.end(),
                         [&](const auto& check) { return check.state == state; });
  };
  const auto updates = count(images::UpdateState::update_available);
  const auto failures =
      count(images::UpdateState::error) + count(images::UpdateState::not_in_registry);
  const int exit_code = failures > 0 ? exit_error : updates > 0 ? exit_check_failed : exit_ok;
  if (console.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& check : checks) {
      list.push_back(check.to_json());
    }
    console.json({{"images", list},
                  {"updates_available", updates},
                  {"errors", failures},
                  {"exit_code", exit_code}});
    return exit_code;
  }
  Table table({"image", "state", "local digest", "registry digest", "details"});
  for (const auto& check : checks) {
    table.add_row({check.local.image.familiar(),
                   Cell(state_text(check.state), tone_of(check.state)),
                   check.local.digest ? Cell(short_id(*check.local.digest)) : Cell("-", Tone::dim),
                   check.remote ? Cell(short_id(check.remote->digest)) : Cell("-", Tone::dim),
                   check.state == images::UpdateState::up_to_date ? std::string() : check.summary});
  }
  console.table(table);
  console.note(std::to_string(checks.size()) + " checked: " + std::to_string(updates) +
               " with an update, " + std::to_string(failures) +
               " could not be checked. Nothing was pulled.");
  return exit_code;
}

Result<int> run_images_tags(const GlobalOptions& globals, const ImagesOptions& options,
                            const Console& console) {
  auto work = select_for_registry(globals, options);
  if (!work) {
    return std::unexpected(work.error());
  }
  const auto& selection = work->selection;
  auto& registry = work->registry;
  nlohmann::json list = nlohmann::json::array();
  Table table({"image", "current", "newer tags"});
  bool all_ok = true;
  std::size_t asked = 0;
  for (const auto& wanted : selection.images) {
    if (!wanted.pinned) {
      continue;  // postgres:16 and the like: not a release wharf manages.
    }
    ++asked;
    const auto current = wanted.image.tag().value_or("");
    auto tags = registry.list_tags(wanted.image);
    Result<std::vector<std::string>> newer =
        tags ? images::newer_tags(*tags, current, options.stable_only,
                                  selection.style_of(wanted.image))
             : Result<std::vector<std::string>>(std::unexpected(tags.error()));
    if (!newer) {
      all_ok = false;
      console.error(newer.error());
    }
    list.push_back(
        {{"image", wanted.image.familiar()},
         {"repository", wanted.image.repository()},
         {"current", current},
         {"newer", newer ? nlohmann::json(*newer) : nlohmann::json(nullptr)},
         {"error", newer ? nlohmann::json(nullptr) : nlohmann::json(newer.error().message)}});
    std::string text = !newer ? "(error)" : newer->empty() ? "none" : "";
    if (newer) {
      for (const auto& tag : *newer) {
        text += (text.empty() ? "" : " ") + tag;
      }
    }
    table.add_row({wanted.image.repository(), current,
                   Cell(text, !newer           ? Tone::bad
                              : newer->empty() ? Tone::dim
                                               : Tone::warn)});
  }
  if (asked == 0) {
    return fail(ErrorKind::invalid_input,
                "none of the stack's images is pinned by IMAGE_TAG, so there is no release to "
                "compare tags with — name an image with its tag, e.g. `wharf images tags "
                "registry:5000/team/app:1.2.0`.");
  }
  if (console.json()) {
    console.json({{"images", list}, {"ok", all_ok}});
  } else {
    console.table(table);
  }
  return all_ok ? exit_ok : exit_error;
}

}  // namespace wharf::cli
