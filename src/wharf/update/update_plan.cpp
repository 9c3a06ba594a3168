#include "wharf/update/update_plan.hpp"

#include <nlohmann/json.hpp>

#include "wharf/core/semver.hpp"
#include "wharf/core/strings.hpp"
#include "wharf/core/wording.hpp"
#include "wharf/git/repository.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/pin/version_file.hpp"
#include "wharf/stack/stack_images.hpp"

namespace wharf::update {
namespace {

Result<SemVer> parse_version_text(const std::string& text, const std::string& where) {
  auto version = SemVer::parse(trim(text));
  if (!version) {
    return fail(ErrorKind::invalid_input, where + " does not hold a release version: " +
                                              std::string(clause(version.error().message)) +
                                              " — fix VERSION upstream (wharf pin) first.");
  }
  return version;
}

// docker/.env, which both plans need: its absence is said as what to do about it.
Result<EnvFile> load_project_env(const pin::ProjectLayout& layout) {
  auto env = load_env_file(layout.env_file());
  if (!env && env.error().kind == ErrorKind::not_found) {
    return std::unexpected(missing_env_file(layout));
  }
  return env;
}

}  // namespace

nlohmann::json UpdatePlan::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& image : images) {
    list.push_back(image.familiar());
  }
  nlohmann::json git_json = nullptr;
  if (upstream) {
    git_json = {{"branch", upstream->branch}, {"upstream", upstream->upstream},
                {"head", upstream->head},     {"upstream_head", upstream->upstream_head},
                {"ahead", upstream->ahead},   {"behind", upstream->behind},
                {"commits", commits}};
  }
  return {{"from_tag", from_tag},
          {"to_tag", to_tag},
          {"to_version", to_version},
          {"tag_style", pin::to_string(tag_style)},
          {"changes_version", changes_version()},
          {"git", git_json},
          {"images", list},
          {"release_commit",
           release_commit.empty() ? nlohmann::json(nullptr) : nlohmann::json(release_commit)}};
}

Result<std::vector<ImageReference>> images_at(const pin::ProjectLayout& layout,
                                              const std::string& tag) {
  auto stack = stack::load_stack_images(layout);
  if (!stack) {
    return std::unexpected(stack.error());
  }
  std::vector<ImageReference> result;
  for (const auto& wanted : stack->images) {
    if (!wanted.pinned) {
      result.push_back(wanted.image);
      continue;
    }
    auto moved = wanted.image.with_tag(tag);
    if (!moved) {
      return std::unexpected(moved.error());
    }
    result.push_back(std::move(*moved));
  }
  return result;
}

namespace {

// Tracked changes other than docker/.env (wharf's own edit) would be mixed with the release.
Result<void> refuse_changes(const pin::ProjectLayout& layout, const std::filesystem::path& top) {
  const auto env_relative = std::filesystem::relative(layout.env_file(), top).string();
  auto changed = git::changed_files(top, {env_relative});
  if (!changed) {
    return std::unexpected(changed.error());
  }
  if (!changed->empty()) {
    return fail(ErrorKind::invalid_input,
                "the checkout " + top.string() + " has uncommitted changes (" +
                    join(*changed, ", ") +
                    "), which an update would mix with the release — commit or stash them, "
                    "then run wharf update again. Nothing was changed.");
  }
  return {};
}

// The commit of the release tag whose image tag is `tag` in `style`; "" when no tag names it.
Result<std::string> release_commit_of(const std::filesystem::path& top, const std::string& tag,
                                      pin::TagStyle style) {
  auto tags = git::all_tags(top);
  if (!tags) {
    return std::unexpected(tags.error());
  }
  for (const auto& name : *tags) {
    const auto version = SemVer::parse_tag(name);
    if (version && pin::image_tag(*version, style) == tag) {
      auto commit = git::commit_of(top, "refs/tags/" + name);
      if (!commit) {
        return std::unexpected(commit.error());
      }
      return commit->value_or("");
    }
  }
  return std::string();
}

}  // namespace

Result<UpdatePlan> plan_move(const pin::ProjectLayout& layout, const std::string& tag) {
  if (!is_valid_image_tag(tag)) {
    return fail(ErrorKind::invalid_input, "'" + tag +
                                              "' is not a valid image tag — give a release such "
                                              "as 1.2.0 (see `wharf history`).");
  }
  UpdatePlan plan;
  auto env = load_project_env(layout);
  if (!env) {
    return std::unexpected(env.error());
  }
  auto style = pin::project_tag_style(layout, &*env);
  if (!style) {
    return std::unexpected(style.error());
  }
  plan.tag_style = style->style;
  plan.from_tag = env->get(pin::kImageTagKey).value_or("");
  // `wharf rollback --to v1.2.0` in a plain project means the image tag 1.2.0, and the other
  // way round: a version is always spelt as the project spells it.
  const auto version = pin::version_of_image_tag(tag);
  plan.to_tag = version ? pin::image_tag(*version, plan.tag_style) : tag;
  plan.to_version = version ? version->tag_name() : tag;
  if (const auto top = git::toplevel(layout.root)) {
    plan.git_checkout = true;
    auto commit = release_commit_of(*top, plan.to_tag, plan.tag_style);
    auto head = git::head_commit(*top);
    if (!commit || !head) {
      return std::unexpected(!commit ? commit.error() : head.error());
    }
    if (commit->empty()) {
      plan.checkout_note = "no git tag names the release " + plan.to_tag +
                           ", so the checkout and VERSION stay as they are — `wharf pin "
                           "--check` will report the difference.";
    } else if (*commit != *head) {
      auto kept = git::kept_by_tag_or_remote(*top, *head);
      if (!kept) {
        return std::unexpected(kept.error());
      }
      if (!*kept) {
        plan.checkout_note =
            "HEAD has commits no tag or remote branch holds, so the checkout "
            "stays where it is rather than lose them; VERSION still says the "
            "checkout's release.";
      } else if (auto clean = refuse_changes(layout, *top); !clean) {
        return std::unexpected(clean.error());
      } else {
        plan.release_commit = std::move(*commit);
      }
    }
  }
  auto images = images_at(layout, plan.to_tag);
  if (!images) {
    return std::unexpected(images.error());
  }
  plan.images = std::move(*images);
  return plan;
}

Result<UpdatePlan> plan_update(const pin::ProjectLayout& layout) {
  UpdatePlan plan;
  auto env = load_project_env(layout);
  if (!env) {
    return std::unexpected(env.error());
  }
  auto style = pin::project_tag_style(layout, &*env);
  if (!style) {
    return std::unexpected(style.error());
  }
  plan.tag_style = style->style;
  plan.from_tag = env->get(pin::kImageTagKey).value_or("");
  if (plan.from_tag.empty()) {
    return fail(ErrorKind::invalid_input, layout.env_file().string() +
                                              " has no IMAGE_TAG, so there is no running release "
                                              "to update from — run `wharf pin` first.");
  }
  const auto top = git::toplevel(layout.root);
  std::optional<SemVer> version;
  if (top) {
    plan.git_checkout = true;
    if (auto clean = refuse_changes(layout, *top); !clean) {
      return std::unexpected(clean.error());
    }
    auto upstream = git::fetch_upstream(*top);
    if (!upstream) {
      return std::unexpected(upstream.error());
    }
    if (upstream->diverged()) {
      return fail(ErrorKind::invalid_input,
                  "the branch " + upstream->branch + " has diverged from " + upstream->upstream +
                      " (" + counted(upstream->ahead, "local commit") + " and " +
                      counted(upstream->behind, "upstream commit") +
                      "), so it cannot be fast-forwarded — reconcile them "
                      "(git rebase or reset), then run wharf update again. Nothing was changed.");
    }
    plan.upstream = *upstream;
    auto commits = git::commits_between(*top, upstream->head, upstream->upstream_head);
    if (!commits) {
      return std::unexpected(commits.error());
    }
    plan.commits = std::move(*commits);
    const auto version_relative = std::filesystem::relative(layout.version_file(), *top).string();
    auto text = git::file_at(*top, upstream->upstream_head, version_relative);
    if (!text) {
      return std::unexpected(text.error());
    }
    if (!*text) {
      return fail(ErrorKind::not_found, upstream->upstream + " has no " + version_relative +
                                            " — tag a release and run `wharf pin` there first.");
    }
    auto parsed = parse_version_text(**text, upstream->upstream + ":" + version_relative);
    if (!parsed) {
      return std::unexpected(parsed.error());
    }
    version = std::move(*parsed);
  } else {
    auto read = pin::read_version_file(layout.version_file());
    if (!read) {
      return std::unexpected(read.error());
    }
    if (!*read) {
      return fail(ErrorKind::not_found,
                  layout.version_file().string() + " does not exist — run `wharf pin` first.");
    }
    version = std::move(**read);
  }
  plan.to_version = version->tag_name();
  plan.to_tag = pin::image_tag(*version, plan.tag_style);
  auto images = images_at(layout, plan.to_tag);
  if (!images) {
    return std::unexpected(images.error());
  }
  plan.images = std::move(*images);
  return plan;
}

}  // namespace wharf::update
