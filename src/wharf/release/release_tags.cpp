#include "wharf/release/release_tags.hpp"

#include <algorithm>

namespace wharf::release {

std::vector<std::string> release_image_tags(const SemVer& version,
                                            const std::vector<SemVer>& existing,
                                            pin::TagStyle style) {
  std::vector<std::string> tags{pin::image_tag(version, style)};
  if (version.is_prerelease()) {
    return tags;
  }
  // True when no stable version in the scope selected by `in_scope` outranks this one.
  const auto highest_in = [&](auto in_scope) {
    return std::none_of(existing.begin(), existing.end(), [&](const SemVer& other) {
      return !other.is_prerelease() && in_scope(other) && version < other;
    });
  };
  const auto minor = std::to_string(version.major()) + "." + std::to_string(version.minor());
  if (highest_in([&](const SemVer& o) {
        return o.major() == version.major() && o.minor() == version.minor();
      })) {
    tags.push_back(pin::floating_tag(minor, style));
  }
  if (highest_in([&](const SemVer& o) { return o.major() == version.major(); })) {
    tags.push_back(pin::floating_tag(std::to_string(version.major()), style));
  }
  if (highest_in([](const SemVer&) { return true; })) {
    tags.emplace_back("latest");
  }
  return tags;
}

}  // namespace wharf::release
