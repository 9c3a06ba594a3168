#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/error.hpp"
#include "wharf/pin/tag_style.hpp"

namespace wharf::pin {

/// One place that states the version, and whether it agrees with the expected one.
struct SourceCheck {
  std::string source;  ///< "git tag", "VERSION", "docker/.env IMAGE_TAG", …
  std::string value;   ///< What it says ("" when it says nothing).
  bool agrees = true;
  std::string note;  ///< Why it disagrees, or why it does not count (e.g. "HEAD is not tagged").
};

struct PinCheck {
  std::string expected_version;    ///< The tag every source must match, e.g. "v1.2.3".
  std::string expected_image_tag;  ///< The expected version in the project's tag style.
  ProjectTagStyle tag_style;
  std::vector<SourceCheck> sources;
  [[nodiscard]] bool ok() const;
  [[nodiscard]] nlohmann::json to_json() const;
};

/// Compares the release tag on HEAD, VERSION, IMAGE_TAG in docker/.env and any
/// TASK_EXECUTOR_IMAGE override. The expected version is the git tag when HEAD has one, else
/// VERSION; the image tags are expected in the project's tag style (project_tag_style). A source
/// that cannot be read at all (malformed .env, malformed VERSION) is an error.
[[nodiscard]] Result<PinCheck> check_pin(const std::filesystem::path& root);

}  // namespace wharf::pin
