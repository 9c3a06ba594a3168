#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "wharf/core/error.hpp"

namespace wharf::dispatch {

/// How many runs' logs `wharf dispatch` keeps in its default logs folder without --keep-logs.
inline constexpr std::size_t kDefaultKeptRunLogs = 20;

/// Where a run's task logs go without --logs: `<project root>/.wharf/logs/<run id>/`.
[[nodiscard]] std::filesystem::path default_run_logs_dir(const std::filesystem::path& project_root,
                                                         const std::string& run_id);

/// Removes the oldest run folders below `logs_root` (the parent of default_run_logs_dir())
/// so that at most `keep` remain, never touching `current_run`'s. Only folders named like a
/// run id (`20261203t194437-1a2b3c`, which sort by time) are considered, so anything else a
/// user put there stays. `keep` 0 keeps everything. Returns how many folders it removed, or
/// the first error with the folder it could not remove.
[[nodiscard]] Result<std::size_t> prune_run_logs(const std::filesystem::path& logs_root,
                                                 std::size_t keep, const std::string& current_run);

/// Whether `name` has the shape of new_run_id()'s ids.
[[nodiscard]] bool looks_like_run_id(std::string_view name) noexcept;

}  // namespace wharf::dispatch
