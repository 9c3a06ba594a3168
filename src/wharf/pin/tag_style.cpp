#include "wharf/pin/tag_style.hpp"

#include <algorithm>

#include "wharf/pin/env_update.hpp"

namespace wharf::pin {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

std::string_view prefix(TagStyle style) noexcept {
  return style == TagStyle::v ? "v" : "";
}

}  // namespace

std::string_view to_string(TagStyle style) noexcept {
  return style == TagStyle::v ? "v" : "plain";
}

std::optional<TagStyle> parse_tag_style(std::string_view text) noexcept {
  if (text == "v") {
    return TagStyle::v;
  }
  if (text == "plain") {
    return TagStyle::plain;
  }
  return std::nullopt;
}

std::string image_tag(const SemVer& version, TagStyle style) {
  // '_' never occurs in a semantic version, so writing '+' as '_' can be read back.
  std::string tag = version.to_string();
  std::ranges::replace(tag, '+', '_');
  return std::string(prefix(style)) + tag;
}

std::string floating_tag(std::string_view numbers, TagStyle style) {
  return std::string(prefix(style)) + std::string(numbers);
}

std::optional<SemVer> version_of_image_tag(std::string_view tag) {
  std::string text(tag);
  std::ranges::replace(text, '_', '+');
  return SemVer::parse_tag(text);
}

std::optional<SemVer> version_of_image_tag(std::string_view tag, TagStyle style) {
  auto version = version_of_image_tag(tag);
  if (!version || image_tag(*version, style) != tag) {
    return std::nullopt;
  }
  return version;
}

std::optional<TagStyle> style_of_tag(std::string_view tag) noexcept {
  if (tag.size() >= 2 && tag[0] == 'v' && is_digit(tag[1])) {
    return TagStyle::v;
  }
  if (!tag.empty() && is_digit(tag[0])) {
    return TagStyle::plain;
  }
  return std::nullopt;
}

Result<std::optional<ProjectTagStyle>> declared_tag_style(const EnvFile& env) {
  if (const auto value = env.get(kTagStyleKey); value && !value->empty()) {
    const auto style = parse_tag_style(*value);
    if (!style) {
      const auto span = env.span_of(kTagStyleKey);
      return fail(ErrorKind::invalid_input,
                  env.source_name() + ":" + std::to_string(span ? span->line : 0) + ": " +
                      std::string(kTagStyleKey) + "='" + *value +
                      "' is not a tag style — write WHARF_TAG_STYLE=v (image tags keep the git "
                      "tag's v: app:v1.2.3) or WHARF_TAG_STYLE=plain (app:1.2.3)");
    }
    return ProjectTagStyle{*style, std::string(kTagStyleKey) + " in " + env.source_name()};
  }
  const auto tag = env.get(kImageTagKey).value_or("");
  if (const auto style = style_of_tag(tag)) {
    return ProjectTagStyle{
        *style, std::string(kImageTagKey) + " " + tag + " in " + env.source_name(), true};
  }
  return std::optional<ProjectTagStyle>{};
}

Result<ProjectTagStyle> project_tag_style(const ProjectLayout& layout, const EnvFile* env) {
  std::optional<EnvFile> loaded;
  if (env == nullptr) {
    if (auto read = load_env_file(layout.env_file())) {
      loaded = std::move(*read);
      env = &*loaded;
    } else if (read.error().kind != ErrorKind::not_found) {
      return std::unexpected(read.error());
    }
  }
  if (env != nullptr) {
    auto declared = declared_tag_style(*env);
    if (!declared) {
      return std::unexpected(declared.error());
    }
    if (*declared) {
      return **declared;
    }
    if (env->source_name() == layout.env_template().string()) {
      return ProjectTagStyle{};  // The example has been asked already.
    }
  }
  auto example = load_env_file(layout.env_template());
  if (!example) {
    if (example.error().kind == ErrorKind::not_found) {
      return ProjectTagStyle{};
    }
    return std::unexpected(example.error());
  }
  auto declared = declared_tag_style(*example);
  if (!declared) {
    return std::unexpected(declared.error());
  }
  return declared->value_or(ProjectTagStyle{});
}

}  // namespace wharf::pin
