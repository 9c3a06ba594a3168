#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/git/sync.hpp"
#include "wharf/pin/project_layout.hpp"
#include "wharf/pin/tag_style.hpp"

namespace wharf::update {

/// What `wharf update` would do, found without changing anything (beyond a `git fetch`).
struct UpdatePlan {
  bool git_checkout = false;  ///< The project root is a git work tree with an upstream.
  std::optional<git::UpstreamState> upstream{};
  std::vector<std::string> commits{};    ///< Commits the pull brings, newest first.
  std::string from_tag{};                ///< IMAGE_TAG in docker/.env now.
  std::string to_tag{};                  ///< The image tag of VERSION after the pull.
  std::string to_version{};              ///< VERSION after the pull ("v1.2.0").
  pin::TagStyle tag_style{};             ///< How the project spells a version as an image tag.
  std::vector<ImageReference> images{};  ///< The stack's images at to_tag.
  /// A move (rollback): the commit of the release's git tag, where the checkout goes so that
  /// VERSION says what runs; empty outside git or when no tag names the release.
  std::string release_commit{};
  /// A move that leaves the checkout where it is: why ("" when it moves or there is no git).
  std::string checkout_note{};

  [[nodiscard]] bool changes_version() const { return from_tag != to_tag; }
  [[nodiscard]] nlohmann::json to_json() const;
};

/// Plans an update of the project at `layout`:
/// - in a git checkout: refuses (invalid_input, nothing changed) tracked changes other than
///   docker/.env, a detached HEAD, a branch without upstream, or one that has diverged from
///   it; then fetches and reads VERSION as the upstream has it;
/// - outside git (an installation copied or unpacked): reads VERSION as it is;
/// - reads IMAGE_TAG and the stack's images from docker/ and gives them at the new tag, which
///   is VERSION spelt in the project's tag style (pin/tag_style.hpp).
/// A missing docker/.env is invalid_input saying how to create it (missing_env_file).
[[nodiscard]] Result<UpdatePlan> plan_update(const pin::ProjectLayout& layout);

/// The plan of moving the stack from docker/.env's IMAGE_TAG to `tag` (a rollback):
/// invalid_input when `tag` is not a valid image tag. A `tag` that names a version in either
/// spelling (1.2.0, v1.2.0) is spelt in the project's tag style. In a git checkout it finds the
/// release tag of that version (v1.2.0 for 1.2.0): its commit is release_commit, where the
/// checkout moves — refusing tracked changes as plan_update() does, and leaving the checkout
/// (checkout_note says why) when no tag names the release or HEAD has commits that only the
/// branch holds. No fetch: the release is one already pulled.
[[nodiscard]] Result<UpdatePlan> plan_move(const pin::ProjectLayout& layout,
                                           const std::string& tag);

/// The images of the stack's pinned repositories at `tag` plus the ones not pinned as they
/// are: what must be on the engine before anything restarts.
[[nodiscard]] Result<std::vector<ImageReference>> images_at(const pin::ProjectLayout& layout,
                                                            const std::string& tag);

}  // namespace wharf::update
