#include "wharf/images/prune_plan.hpp"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "wharf/core/strings.hpp"
#include "wharf/core/wording.hpp"

namespace wharf::images {
namespace {

struct LocalTag {
  std::string reference;
  std::string tag;
  std::string id;
  std::optional<SemVer> version;
};

std::vector<LocalTag> tags_of(const ImageReference& repository,
                              const std::vector<engine::ImageSummary>& local_images,
                              pin::TagStyle style) {
  std::vector<LocalTag> tags;
  for (const auto& image : local_images) {
    for (const auto& text : image.repo_tags) {
      auto parsed = ImageReference::parse(text);
      if (!parsed || !parsed->tag() || parsed->repository() != repository.repository()) {
        continue;
      }
      tags.push_back({parsed->familiar(), *parsed->tag(), image.id,
                      pin::version_of_image_tag(*parsed->tag(), style)});
    }
  }
  // Newest version first; tags that are not versions after them, by name.
  std::sort(tags.begin(), tags.end(), [](const LocalTag& a, const LocalTag& b) {
    if (a.version && b.version) {
      return *a.version > *b.version;
    }
    if (a.version || b.version) {
      return a.version.has_value();
    }
    return a.tag < b.tag;
  });
  return tags;
}

}  // namespace

nlohmann::json PruneDecision::to_json() const {
  return {{"reference", reference}, {"id", id}, {"remove", remove}, {"reason", reason}};
}

std::vector<PruneDecision> plan_prune(
    const std::vector<ImageReference>& managed, std::size_t keep,
    const std::vector<engine::ImageSummary>& local_images,
    const std::map<std::string, std::vector<std::string>>& containers_by_image_id,
    pin::TagStyle style) {
  std::vector<PruneDecision> decisions;
  const std::string newest =
      keep == 1 ? std::string("the newest") : "one of the " + std::to_string(keep) + " newest";
  for (const auto& repository : managed) {
    std::size_t versions_seen = 0;
    for (auto& tag : tags_of(repository, local_images, style)) {
      PruneDecision decision{.reference = tag.reference, .id = tag.id};
      const auto users = containers_by_image_id.find(tag.id);
      if (!tag.version) {
        decision.reason =
            pin::version_of_image_tag(tag.tag)
                ? "not in this project's tag style (" + std::string(pin::to_string(style)) + ")"
                : "not a version tag";
      } else if (versions_seen++ < keep) {
        decision.reason = newest;
      } else if (tag.tag == repository.tag()) {
        decision.reason = "pinned";
      } else if (users != containers_by_image_id.end() && !users->second.empty()) {
        decision.reason = "used by container " + join(users->second, ", ");
      } else {
        decision.remove = true;
        decision.reason = keep == 1 ? std::string("older than the newest")
                                    : "older than the " + std::to_string(keep) + " newest";
      }
      decisions.push_back(std::move(decision));
    }
  }
  return decisions;
}

}  // namespace wharf::images
