#include "wharf/images/newer_tags.hpp"

#include <algorithm>
#include <utility>

namespace wharf::images {

Result<std::vector<std::string>> newer_tags(const std::vector<std::string>& tags,
                                            std::string_view current, bool stable_only,
                                            pin::TagStyle style) {
  const auto pinned = pin::version_of_image_tag(current);
  if (!pinned) {
    return fail(ErrorKind::invalid_input,
                "the tag '" + std::string(current) +
                    "' is not a version, so there is nothing to call newer — name the image with "
                    "a version tag such as 1.2.3 or v1.2.3.");
  }
  std::vector<std::pair<SemVer, std::string>> newer;
  for (const auto& tag : tags) {
    auto version = pin::version_of_image_tag(tag, style);
    if (version && *version > *pinned && !(stable_only && version->is_prerelease())) {
      newer.emplace_back(std::move(*version), tag);
    }
  }
  std::stable_sort(newer.begin(), newer.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> result;
  result.reserve(newer.size());
  for (auto& entry : newer) {
    result.push_back(std::move(entry.second));
  }
  return result;
}

}  // namespace wharf::images
