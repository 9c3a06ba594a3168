#include "wharf/stack/compose_yaml.hpp"

namespace wharf::stack::yaml {

std::string at(const std::filesystem::path& path, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) {
    return path.string();
  }
  return path.string() + ":" + std::to_string(mark.line + 1);
}

std::optional<std::string> key_text(const YAML::Node& key) {
  if (!key.IsScalar()) {
    return std::nullopt;
  }
  return key.Scalar();
}

Member member(const YAML::Node& map, std::string_view name, int depth) {
  if (!map.IsMap() || depth > kMaxMergeDepth) {
    return {};
  }
  Member merged;
  for (const auto& entry : map) {
    const auto key = key_text(entry.first);
    if (key == name) {
      return {entry.first, entry.second};
    }
    if (key == "<<" && !merged.found()) {
      merged = {entry.first, entry.second};
    }
  }
  if (!merged.found()) {
    return {};
  }
  if (merged.value.IsSequence()) {
    for (const auto& source : merged.value) {
      if (Member found = member(source, name, depth + 1); found.found()) {
        return found;
      }
    }
    return {};
  }
  return member(merged.value, name, depth + 1);
}

}  // namespace wharf::stack::yaml
