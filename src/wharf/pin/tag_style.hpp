#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/env_file.hpp"
#include "wharf/core/error.hpp"
#include "wharf/core/semver.hpp"
#include "wharf/pin/project_layout.hpp"

namespace wharf::pin {

/// How a project spells a release in its image tags. Git tags and VERSION always say v1.2.3;
/// images are tagged either without the `v` (`plain`: app:1.2.3, app:1.2, app:1) or with it
/// (`v`: app:v1.2.3, app:v1.2, app:v1). Both write semver's `+` as `_`, which docker tags
/// cannot hold. `latest` and `dev` are the same in both styles.
///
/// This file is the one place that turns a version into an image tag or back: pin, pin
/// --check, release tags, images, update and rollback all go through it.
enum class TagStyle { plain, v };

/// "plain" or "v", as WHARF_TAG_STYLE spells it.
[[nodiscard]] std::string_view to_string(TagStyle style) noexcept;

/// WHARF_TAG_STYLE's value: "v" or "plain"; anything else is nullopt.
[[nodiscard]] std::optional<TagStyle> parse_tag_style(std::string_view text) noexcept;

/// The image tag of `version`: "1.2.3-rc.1_build.7" (plain) or "v1.2.3-rc.1_build.7" (v).
[[nodiscard]] std::string image_tag(const SemVer& version, TagStyle style);

/// A floating tag of a release line, given as its numbers ("1.2", "1"): "1.2" or "v1.2".
[[nodiscard]] std::string floating_tag(std::string_view numbers, TagStyle style);

/// The version an image tag names, in either style ("1.2.3", "v1.2.3", "1.2.3_build.7"), or
/// nullopt when it names none ("dev", "latest", "v1.2").
[[nodiscard]] std::optional<SemVer> version_of_image_tag(std::string_view tag);

/// The version an image tag names when it is spelt exactly as `style` writes it
/// (image_tag(version, style) == tag): in the plain style "v1.2.3" names none.
[[nodiscard]] std::optional<SemVer> version_of_image_tag(std::string_view tag, TagStyle style);

/// The style an existing tag is written in: v for a `v` and a digit ("v1.2.3", "v1"), plain
/// for a digit first ("1.2.3"); nullopt for a tag that says nothing about it ("dev", "latest",
/// "", "${TAG}").
[[nodiscard]] std::optional<TagStyle> style_of_tag(std::string_view tag) noexcept;

/// A project's style and what decided it, for messages ("WHARF_TAG_STYLE in
/// /p/docker/.env", "IMAGE_TAG v1.2.0 in /p/docker/.env", "the default").
struct ProjectTagStyle {
  TagStyle style = TagStyle::plain;
  std::string source = "the default";
  /// True when the style was read from an IMAGE_TAG, which `wharf pin --dev` replaces.
  bool from_image_tag = false;
};

/// What one env file says about the style: its WHARF_TAG_STYLE, else the style of its
/// IMAGE_TAG, else nothing. A WHARF_TAG_STYLE other than "v" or "plain" is invalid_input
/// naming the file, the line and the allowed values; an empty one counts as unset.
[[nodiscard]] Result<std::optional<ProjectTagStyle>> declared_tag_style(const EnvFile& env);

/// The project's style: what docker/.env says (`env` when the caller has already read it,
/// which may be the docker/.env.example a missing .env is created from), else what
/// docker/.env.example says, else plain. Absent files say nothing; a malformed one is an
/// error.
[[nodiscard]] Result<ProjectTagStyle> project_tag_style(const ProjectLayout& layout,
                                                        const EnvFile* env = nullptr);

}  // namespace wharf::pin
