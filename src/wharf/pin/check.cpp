#include "wharf/pin/check.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "wharf/core/image_reference.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/pin/project_layout.hpp"
#include "wharf/pin/version_file.hpp"
#include "wharf/pin/version_source.hpp"

namespace wharf::pin {

bool PinCheck::ok() const {
  return std::all_of(sources.begin(), sources.end(), [](const auto& s) { return s.agrees; });
}

nlohmann::json PinCheck::to_json() const {
  auto list = nlohmann::json::array();
  for (const auto& s : sources) {
    list.push_back(
        {{"source", s.source}, {"value", s.value}, {"agrees", s.agrees}, {"note", s.note}});
  }
  return {{"ok", ok()},
          {"expected_version", expected_version},
          {"expected_image_tag", expected_image_tag},
          {"tag_style", to_string(tag_style.style)},
          {"tag_style_source", tag_style.source},
          {"sources", list}};
}

Result<PinCheck> check_pin(const std::filesystem::path& root) {
  const ProjectLayout layout{root};
  PinCheck check;

  // Git: a missing repository or an untagged HEAD is reported, not fatal: between releases
  // HEAD is usually untagged and VERSION is then the truth.
  std::optional<SemVer> git_version;
  SourceCheck git_row{"git tag", "", true, ""};
  if (auto tag = release_tag_at_head(root); !tag) {
    if (tag.error().kind == ErrorKind::invalid_input) {
      return std::unexpected(tag.error());
    }
    git_row.note = "not checked: " + tag.error().message;
  } else if (*tag) {
    git_version = **tag;
    git_row.value = git_version->tag_name();
  } else {
    git_row.note = "HEAD has no release tag; VERSION is the reference";
  }

  auto file_version = read_version_file(layout.version_file());
  if (!file_version) {
    return std::unexpected(file_version.error());
  }
  SourceCheck version_row{"VERSION", *file_version ? (*file_version)->tag_name() : "", true, ""};

  const auto expected = git_version ? git_version : *file_version;
  if (!expected) {
    return fail(ErrorKind::not_found, "nothing to check against: HEAD has no release tag and " +
                                          layout.version_file().string() +
                                          " does not exist — run wharf pin first");
  }
  check.expected_version = expected->tag_name();

  if (!*file_version) {
    version_row.agrees = false;
    version_row.note = "missing — run wharf pin";
  } else if (!(*file_version)->identical(*expected)) {
    version_row.agrees = false;
    version_row.note = "expected " + check.expected_version + " — run wharf pin";
  }

  SourceCheck tag_row{"docker/.env IMAGE_TAG", "", true, ""};
  SourceCheck override_row{"docker/.env TASK_EXECUTOR_IMAGE", "", true, "not set"};
  std::error_code ec;
  std::optional<EnvFile> env;
  if (std::filesystem::exists(layout.env_file(), ec)) {
    auto loaded = load_env_file(layout.env_file());
    if (!loaded) {
      return std::unexpected(loaded.error());
    }
    env = std::move(*loaded);
  }
  auto style = project_tag_style(layout, env ? &*env : nullptr);
  if (!style) {
    return std::unexpected(style.error());
  }
  check.tag_style = *style;
  check.expected_image_tag = image_tag(*expected, style->style);
  if (!env) {
    tag_row.agrees = false;
    tag_row.note = layout.env_file().string() + " is missing — run wharf pin";
  } else {
    tag_row.value = env->get(kImageTagKey).value_or("");
    if (tag_row.value != check.expected_image_tag) {
      tag_row.agrees = false;
      tag_row.note = "expected " + check.expected_image_tag + " (tag style " +
                     std::string(to_string(style->style)) + ", from " + style->source +
                     ") — run wharf pin";
    }
    override_row.value = env->get(kTaskExecutorImageKey).value_or("");
    if (!override_row.value.empty()) {
      auto reference = ImageReference::parse(override_row.value);
      const bool at_pinned_tag =
          reference && reference->tag() && *reference->tag() == check.expected_image_tag;
      override_row.agrees = at_pinned_tag;
      override_row.note = at_pinned_tag ? "override at the pinned tag"
                                        : "the worker override is not at the pinned tag — run "
                                          "wharf pin to use the pinned worker image";
    }
  }

  check.sources = {git_row, version_row, tag_row, override_row};
  return check;
}

}  // namespace wharf::pin
