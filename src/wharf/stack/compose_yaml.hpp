#pragma once

// The YAML node helpers the compose readers of stack/ share (compose_file, supported_keys).
// Internal to src/wharf/stack: it includes yaml-cpp, which no other layer needs to see.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace wharf::stack::yaml {

/// How deep `<<:` merges may chain; a YAML alias cannot form a loop, so this only bounds work.
inline constexpr int kMaxMergeDepth = 16;

/// A key of a mapping with its value; both undefined when the key is absent. The key node
/// carries the line the key is on, which is where a user looks for it.
struct Member {
  YAML::Node key{YAML::NodeType::Undefined};
  YAML::Node value{YAML::NodeType::Undefined};

  [[nodiscard]] bool found() const { return key.IsDefined(); }
};

/// "path:line" for a node the parser placed, else "path".
[[nodiscard]] std::string at(const std::filesystem::path& path, const YAML::Node& node);

/// The scalar text of a mapping key, or nullopt for a key that is itself a mapping or list.
[[nodiscard]] std::optional<std::string> key_text(const YAML::Node& key);

/// `name` in `map`, looking through `<<:` merge keys (a mapping or a list of mappings, earlier
/// ones winning) when the map does not set it itself, as compose resolves them.
[[nodiscard]] Member member(const YAML::Node& map, std::string_view name, int depth = 0);

}  // namespace wharf::stack::yaml
