#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf {

/// How to run a child process. The argv is passed to execvp directly: no shell ever sees it,
/// so no argument needs quoting.
struct ProcessSpec {
  std::vector<std::string> argv;
  std::optional<std::filesystem::path> working_directory{};
  /// Variables set (or overridden) on top of this process's environment.
  std::map<std::string, std::string> environment{};
  /// Variables removed from the inherited environment.
  std::vector<std::string> unset_environment{};
  std::string standard_input{};
  std::chrono::milliseconds timeout = std::chrono::minutes(5);
  /// Set: stdout and stderr are appended to this file (created 0600 when missing) instead of
  /// being captured, so the child can go on writing even if this process dies — a pipe would
  /// break under it. ProcessResult's outputs stay empty.
  std::optional<std::filesystem::path> output_file{};
};

struct ProcessResult {
  int exit_code = -1;  ///< The exit status, or 128+signal when the child was killed.
  std::string standard_output;
  std::string standard_error;
};

/// Runs a program to completion, capturing stdout and stderr. Fails (rather than returning an
/// exit code) only when the program cannot be started or exceeds `spec.timeout`, in which case
/// it is killed. An argument or environment variable holding a NUL byte, which execve() would
/// cut short, is refused (invalid_input) before anything runs; every other byte is passed as is.
[[nodiscard]] Result<ProcessResult> run_process(const ProcessSpec& spec);

}  // namespace wharf
