#include "cli/commands.hpp"

#include <unistd.h>

#include "wharf/git/repository.hpp"
#include "wharf/util/log.hpp"

#include "cli/internal_error.hpp"

namespace wharf::cli {

Console GlobalOptions::console() const {
  return Console(ConsoleOptions{
      .json = json,
      .color = !no_color && ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr,
      .stdout_is_tty = ::isatty(STDOUT_FILENO) != 0,
      .stderr_is_tty = ::isatty(STDERR_FILENO) != 0});
}

std::filesystem::path GlobalOptions::project_root() const {
  if (root) {
    return std::filesystem::absolute(*root);
  }
  auto cwd = std::filesystem::current_path();
  if (auto top = git::toplevel(cwd)) {
    return *top;
  }
  return cwd;
}

void add_global_options(CLI::App& app, GlobalOptions& globals) {
  app.add_flag("--json", globals.json, "Print machine-readable JSON on stdout")
      ->configurable(false);
  app.add_flag("--no-color", globals.no_color, "Never colour the output (NO_COLOR is honoured)");
  app.add_flag("-v,--verbose", globals.verbosity, "Log more (repeat for debug output)");
  app.add_option("-C,--root", globals.root,
                 "Project root holding VERSION and docker/ (default: the git top-level)");
  app.add_option("--host", globals.host,
                 "Docker engine, unix:// or tcp:// (default: DOCKER_HOST or the local socket); "
                 "commands that use no engine ignore it");
  app.parse_complete_callback([&globals] {
    // Log lines are messages, so they go to stderr with the rest: stdout is for results
    // (a --json document must be the only thing there).
    log::set_verbosity(globals.verbosity);
  });
}

namespace {

// CLI11 lets an option bound to a vector take every word after it, so `--insecure-registry H
// IMAGE` took IMAGE for a second registry. Every option of wharf takes one value per use and
// is repeated for more (`--existing v1 --existing v2`); only positionals take many. Set here,
// for every command at once, so an option added later cannot forget it.
void one_value_per_use(CLI::App& command) {
  for (auto* option : command.get_options()) {
    if (!option->get_positional()) {
      option->allow_extra_args(false);
    }
  }
  for (auto* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    one_value_per_use(*sub);
  }
}

}  // namespace

void register_commands(CLI::App& app, GlobalOptions& globals) {
  set_pin_command(app, globals);
  set_release_command(app, globals);
  set_run_command(app, globals);
  set_dispatch_command(app, globals);
  set_workers_command(app, globals);
  set_images_command(app, globals);
  set_update_command(app, globals);
  set_status_command(app, globals);
  set_logs_command(app, globals);
  set_info_command(app, globals);
  one_value_per_use(app);
}

void run_command(GlobalOptions& globals, const std::function<Result<int>(const Console&)>& body) {
  throw_here_if_asked();
  const auto console = globals.console();
  std::error_code ec;
  // Said once here, for every command: otherwise each reports a missing file inside it.
  auto result = globals.root && !std::filesystem::is_directory(*globals.root, ec)
                    ? Result<int>(fail(ErrorKind::invalid_input,
                                       "the project folder " + globals.root->string() +
                                           " given with -C/--root does not exist or is not a "
                                           "directory — pass the folder that holds VERSION and "
                                           "docker/"))
                    : body(console);
  if (result) {
    globals.exit_code = *result;
    return;
  }
  console.error(result.error());
  globals.exit_code = result.error().kind == ErrorKind::invalid_input ? exit_usage : exit_error;
}

}  // namespace wharf::cli
