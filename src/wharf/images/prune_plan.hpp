#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/image_reference.hpp"
#include "wharf/engine/image_types.hpp"
#include "wharf/pin/tag_style.hpp"

namespace wharf::images {

/// What `wharf images prune` does with one local tag of a managed repository.
struct PruneDecision {
  std::string reference{};  ///< "127.0.0.1:5000/acme/app:1.1.0"
  std::string id{};         ///< The image it names.
  bool remove = false;
  /// Why it is kept: "one of the 2 newest", "pinned", "used by container app-1",
  /// "not a version tag"; "older than the 2 newest" when removed.
  std::string reason{};

  [[nodiscard]] nlohmann::json to_json() const;
};

/// Plans the prune of the local tags of each of `managed`'s repositories (their tag is the
/// pinned one): tags that are versions spelt in `style` are ordered by precedence and all but
/// the `keep` newest are removed — except the pinned tag and any tag whose image a container
/// (running or stopped) uses, per `containers_by_image_id`. Tags that are not versions
/// ("dev", "latest", "v1.2") or not spelt in the project's style are never removed. No I/O:
/// the caller removes what the plan says. Decisions come per repository, newest first.
[[nodiscard]] std::vector<PruneDecision> plan_prune(
    const std::vector<ImageReference>& managed, std::size_t keep,
    const std::vector<engine::ImageSummary>& local_images,
    const std::map<std::string, std::vector<std::string>>& containers_by_image_id,
    pin::TagStyle style);

}  // namespace wharf::images
