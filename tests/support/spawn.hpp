#pragma once

// Starting wharf as a child the test can signal mid-run (run_wharf() waits for it instead).

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace wharf::test {

/// Spawns the wharf binary with `args`, this process's environment plus `extra` (which
/// wins), stdout and stderr into the files `out` and `err`. Returns the pid, or -1 after
/// recording a test failure.
[[nodiscard]] pid_t spawn_wharf(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& extra,
                                const std::filesystem::path& out, const std::filesystem::path& err);

/// Waits up to `limit` for `pid` to exit and returns its wait status. When it does not exit in
/// time, kills it (SIGKILL), reaps it so no child outlives the test, and returns nullopt.
[[nodiscard]] std::optional<int> wait_or_kill(pid_t pid, std::chrono::milliseconds limit);

}  // namespace wharf::test
