#include "wharf/stack/supported_keys.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "wharf/core/strings.hpp"
#include "wharf/stack/compose_yaml.hpp"

namespace wharf::stack {
namespace {

constexpr std::array<std::string_view, 31> kServiceKeys = {
    "build",       "cap_add",     "cap_drop",    "command",      "container_name",
    "depends_on",  "deploy",      "devices",     "entrypoint",   "env_file",
    "environment", "extra_hosts", "healthcheck", "hostname",     "image",
    "init",        "labels",      "logging",     "network_mode", "networks",
    "ports",       "profiles",    "restart",     "shm_size",     "stop_grace_period",
    "stop_signal", "tmpfs",       "ulimits",     "user",         "volumes",
    "working_dir"};
constexpr std::array<std::string_view, 5> kTopLevelKeys = {"name", "networks", "services",
                                                           "version", "volumes"};

bool is_extension_or_merge(const std::string& key) {
  return key.starts_with("x-") || key == "<<";
}

std::string listed(std::span<const std::string_view> keys) {
  std::vector<std::string> words(keys.begin(), keys.end());
  return join(words, ", ");
}

// The first key of `map` (and of what it merges) that is not in `allowed`, or an undefined node.
YAML::Node unsupported_key(const YAML::Node& map, std::span<const std::string_view> allowed,
                           int depth = 0) {
  if (!map.IsMap() || depth > yaml::kMaxMergeDepth) {
    return YAML::Node(YAML::NodeType::Undefined);
  }
  for (const auto& entry : map) {
    const auto key = yaml::key_text(entry.first);
    if (!key) {
      continue;  // A key that is not text is the reader's error to report.
    }
    if (*key == "<<") {
      const auto& merged = entry.second;
      if (merged.IsSequence()) {
        for (const auto& source : merged) {
          if (auto found = unsupported_key(source, allowed, depth + 1); found.IsDefined()) {
            return found;
          }
        }
      } else if (auto found = unsupported_key(merged, allowed, depth + 1); found.IsDefined()) {
        return found;
      }
      continue;
    }
    if (!is_extension_or_merge(*key) && std::ranges::find(allowed, *key) == allowed.end()) {
      return entry.first;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

Result<void> check_deploy(const std::filesystem::path& path, const std::string& service,
                          const YAML::Node& deploy) {
  static constexpr std::array<std::string_view, 1> kDeploy = {"resources"};
  static constexpr std::array<std::string_view, 1> kResources = {"limits"};
  static constexpr std::array<std::string_view, 2> kLimits = {"cpus", "memory"};
  const auto refuse = [&](const YAML::Node& key, const std::string& where) -> Result<void> {
    return fail(ErrorKind::invalid_input,
                yaml::at(path, key) + ": service " + service + ": \"" + where + key.Scalar() +
                    "\" is not supported by wharf up — of deploy:, wharf applies only "
                    "resources.limits.cpus and resources.limits.memory; remove the rest, or run "
                    "this stack with docker compose.");
  };
  if (auto key = unsupported_key(deploy, kDeploy); key.IsDefined()) {
    return refuse(key, "deploy.");
  }
  const auto resources = yaml::member(deploy, "resources");
  if (auto key = unsupported_key(resources.value, kResources); key.IsDefined()) {
    return refuse(key, "deploy.resources.");
  }
  const auto limits = yaml::member(resources.value, "limits");
  if (auto key = unsupported_key(limits.value, kLimits); key.IsDefined()) {
    return refuse(key, "deploy.resources.limits.");
  }
  return {};
}

}  // namespace

std::span<const std::string_view> supported_service_keys() {
  return kServiceKeys;
}

Result<void> check_supported_keys(const std::filesystem::path& path, const YAML::Node& root) {
  if (auto key = unsupported_key(root, kTopLevelKeys); key.IsDefined()) {
    return fail(ErrorKind::invalid_input,
                yaml::at(path, key) + ": the top-level key \"" + key.Scalar() +
                    "\" is not supported by wharf up — a stack for wharf has " +
                    listed(kTopLevelKeys) +
                    " and x-* keys; remove it, or run this stack with docker compose.");
  }
  const auto services = yaml::member(root, "services");
  if (!services.value.IsMap()) {
    return {};  // The reader reports a missing or malformed services:.
  }
  for (const auto& entry : services.value) {
    const auto name = yaml::key_text(entry.first).value_or("?");
    if (auto key = unsupported_key(entry.second, kServiceKeys); key.IsDefined()) {
      return fail(ErrorKind::invalid_input,
                  yaml::at(path, key) + ": service " + name + ": \"" + key.Scalar() +
                      "\" is not supported by wharf up — it runs a service with " +
                      listed(kServiceKeys) +
                      " (build is read, never built); remove it, or run this stack with docker "
                      "compose.");
    }
    if (const auto deploy = yaml::member(entry.second, "deploy"); deploy.found()) {
      if (auto checked = check_deploy(path, name, deploy.value); !checked) {
        return checked;
      }
    }
  }
  return {};
}

}  // namespace wharf::stack
