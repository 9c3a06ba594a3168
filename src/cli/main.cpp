// The wharf executable: parse the command line, call the library, print, map errors to exit
// codes. Everything else lives in wharf_lib.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/internal_error.hpp"
#include "cli/usage_errors.hpp"

namespace {

// CLI11 refused the command line: wharf's own sentence when it has a better one, else CLI11's.
int report_usage_error(CLI::App& app, const CLI::ParseError& error,
                       const std::vector<std::string>& args) {
  if (error.get_exit_code() == 0) {
    return app.exit(error);  // --help and --version.
  }
  if (auto sentence = wharf::cli::explain_usage_error(app, args)) {
    std::cerr << "wharf: error: " << *sentence << '\n';
    return wharf::cli::exit_usage;
  }
  (void)app.exit(error);
  // CLI11 has its own codes; every usage mistake exits 2 (README "Exit codes").
  return wharf::cli::exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
  wharf::cli::install_terminate_handler();
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    CLI::App app{"wharf — one release tag, everywhere: pin it, dispatch work at it, update to it"};
    // wharf's own version answers `wharf --version` alone. After a command, --version falls
    // through to here only when that command has no --version of its own (`wharf status
    // --version`): that is a mistake explain_usage_error words, not a request for the version.
    app.set_version_flag("--version", [&app]() -> std::string {
      if (!app.get_subcommands().empty()) {
        throw CLI::ExtrasError({"--version"});
      }
      return std::string("wharf ") + WHARF_VERSION;
    });
    // Global options such as --json, --root and --host may also follow the subcommand.
    app.fallthrough();
    app.require_subcommand(1);
    wharf::cli::GlobalOptions globals;
    wharf::cli::add_global_options(app, globals);
    wharf::cli::register_commands(app, globals);
    try {
      // The commands run inside parse(), as CLI11 callbacks: what they throw arrives below.
      app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
      return report_usage_error(app, error, args);
    }
    return globals.exit_code;
  } catch (const std::exception& error) {
    return wharf::cli::report_internal_error(error.what());
  } catch (...) {
    return wharf::cli::report_internal_error("an exception that is not a std::exception");
  }
}
