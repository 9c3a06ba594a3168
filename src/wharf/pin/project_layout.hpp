#pragma once

#include <filesystem>
#include <string_view>

namespace wharf::pin {

/// Where a wharf project keeps its pinned state, relative to the project root.
struct ProjectLayout {
  std::filesystem::path root;

  [[nodiscard]] std::filesystem::path version_file() const { return root / "VERSION"; }
  [[nodiscard]] std::filesystem::path docker_dir() const { return root / "docker"; }
  [[nodiscard]] std::filesystem::path env_file() const { return docker_dir() / ".env"; }
  [[nodiscard]] std::filesystem::path env_template() const { return docker_dir() / ".env.example"; }
};

/// The keys of docker/.env that wharf reads or writes.
inline constexpr std::string_view kImageTagKey = "IMAGE_TAG";
/// The worker image's repository (no tag); the pinned worker is WORKER_IMAGE:IMAGE_TAG.
inline constexpr std::string_view kWorkerImageKey = "WORKER_IMAGE";
/// When set, names the full worker image and wins over the pinned one (local development).
inline constexpr std::string_view kTaskExecutorImageKey = "TASK_EXECUTOR_IMAGE";
/// How image tags spell a release: "v" (app:v1.2.3) or "plain" (app:1.2.3); see tag_style.hpp.
/// wharf reads it and writes it only when asked (`wharf pin --tag-style`).
inline constexpr std::string_view kTagStyleKey = "WHARF_TAG_STYLE";
/// The tag `wharf pin --dev` points the stack at: images built locally, never pulled.
inline constexpr std::string_view kDevTag = "dev";

}  // namespace wharf::pin
