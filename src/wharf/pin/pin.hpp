#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/pin/tag_style.hpp"
#include "wharf/pin/version_source.hpp"

namespace wharf::pin {

struct PinRequest {
  std::filesystem::path root;
  std::optional<std::string> explicit_version;  ///< --version
  /// --dev: point the stack (IMAGE_TAG) and the worker (TASK_EXECUTOR_IMAGE) at locally built
  /// images tagged `dev`, leaving VERSION alone. `dev_worker_image` overrides the worker image.
  bool dev = false;
  std::optional<std::string> dev_worker_image;
  /// --tag-style: write WHARF_TAG_STYLE into docker/.env and pin in that style. Without it the
  /// style is detected (project_tag_style) and WHARF_TAG_STYLE is never written.
  std::optional<TagStyle> tag_style;
};

struct PinOutcome {
  std::optional<ResolvedVersion> version;  ///< Empty in --dev mode.
  std::string image_tag;                   ///< What IMAGE_TAG now says.
  std::string worker_override;             ///< What TASK_EXECUTOR_IMAGE now says ("" = none).
  ProjectTagStyle tag_style;               ///< How IMAGE_TAG spells the version, and why.
  std::vector<std::string> notes;          ///< Sentences for the user (stderr), e.g. warnings.
  bool version_file_written = false;
  bool env_file_written = false;
  bool env_file_created = false;
  std::filesystem::path version_file;
  std::filesystem::path env_file;
};

/// Pins the project: writes VERSION (only when it changed) and sets IMAGE_TAG in docker/.env
/// (created from docker/.env.example when absent), every other byte of .env kept. IMAGE_TAG
/// spells the version in the project's tag style (tag_style.hpp). A release pin also clears a
/// TASK_EXECUTOR_IMAGE override, because the release tag must be the truth. Under the lock it
/// first removes temporary files a killed pin left next to VERSION and docker/.env.
/// Everything is validated before anything is written; if the second write fails the first is
/// undone, so a failed pin leaves VERSION and .env byte-identical.
[[nodiscard]] Result<PinOutcome> pin_project(const PinRequest& request);

}  // namespace wharf::pin
