#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/util/process.hpp"

namespace wharf::runtime {

/// What deployment detection may look at: files below a root, environment variables and
/// programs it runs. The real one reads "/", ::getenv and run_process(); tests give a temp
/// directory as the root, a map as the environment and a fake runner, so every detection rule
/// is tested without being inside a container or having a compose CLI.
struct SystemProbe {
  /// Absolute paths the detection reads ("/.dockerenv", "/proc/1/cgroup") are taken below this.
  std::filesystem::path root = "/";
  /// An environment variable's value; nullopt when unset.
  std::function<std::optional<std::string>(std::string_view name)> getenv;
  /// Runs a program (argv, no shell); the contract of run_process().
  std::function<Result<ProcessResult>(const ProcessSpec& spec)> run;

  /// This machine: "/", the process environment and run_process().
  [[nodiscard]] static SystemProbe real();

  /// `absolute` ("/proc/1/cgroup") below root.
  [[nodiscard]] std::filesystem::path path(std::string_view absolute) const;
  /// The file's content, nullopt when it cannot be read (absent, or not permitted).
  [[nodiscard]] std::optional<std::string> read(std::string_view absolute) const;
  [[nodiscard]] bool exists(std::string_view absolute) const;
};

}  // namespace wharf::runtime
