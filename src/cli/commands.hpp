#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "wharf/core/error.hpp"
#include "wharf/output/console.hpp"

namespace wharf::cli {

/// Exit codes, the same for every command (README documents them).
inline constexpr int exit_ok = 0;
inline constexpr int exit_check_failed = 1;  ///< A check ran and found a disagreement or failure.
inline constexpr int exit_usage = 2;         ///< The command line or an input file is wrong.
inline constexpr int exit_error = 3;         ///< Something outside wharf failed (I/O, a peer).

struct GlobalOptions {
  bool json = false;
  bool no_color = false;
  int verbosity = 0;
  std::optional<std::filesystem::path> root;
  /// --host: the Docker engine of every command that uses one (else DOCKER_HOST, the docker
  /// context, the local socket); the commands that use no engine ignore it.
  std::optional<std::string> host;
  int exit_code = exit_ok;

  [[nodiscard]] Console console() const;
  /// The project root: --root, else the git top-level of the working directory, else it.
  [[nodiscard]] std::filesystem::path project_root() const;
};

void add_global_options(CLI::App& app, GlobalOptions& globals);
/// Adds every subcommand, then makes every repeatable option take one value per use.
void register_commands(CLI::App& app, GlobalOptions& globals);

/// Runs a command body; an Error it returns is printed once and mapped to an exit code.
void run_command(GlobalOptions& globals, const std::function<Result<int>(const Console&)>& body);

// One function per subcommand, each in its own file (mamba's set_<name>_command pattern).
void set_pin_command(CLI::App& app, GlobalOptions& globals);
void set_release_command(CLI::App& app, GlobalOptions& globals);
void set_run_command(CLI::App& app, GlobalOptions& globals);
void set_dispatch_command(CLI::App& app, GlobalOptions& globals);
void set_workers_command(CLI::App& app, GlobalOptions& globals);
void set_images_command(CLI::App& app, GlobalOptions& globals);
void set_update_command(CLI::App& app, GlobalOptions& globals);
void set_status_command(CLI::App& app, GlobalOptions& globals);
void set_logs_command(CLI::App& app, GlobalOptions& globals);
void set_info_command(CLI::App& app, GlobalOptions& globals);

}  // namespace wharf::cli
