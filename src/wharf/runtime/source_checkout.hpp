#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wharf/runtime/system_probe.hpp"

namespace wharf::runtime {

/// The git work tree the project lives in.
struct SourceCheckout {
  std::filesystem::path toplevel{};
  std::string branch{};  ///< "" on a detached HEAD.
  std::string commit{};  ///< HEAD, abbreviated; "" in a repository without commits.
  std::vector<std::string> tags_at_head{};
};

/// Asks git (through probe.run, with a fixed locale and no prompts) about the work tree holding
/// `directory`; nullopt when it is in none or git is not installed.
[[nodiscard]] std::optional<SourceCheckout> detect_source_checkout(
    const std::filesystem::path& directory, const SystemProbe& probe);

}  // namespace wharf::runtime
