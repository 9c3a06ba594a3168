// The wharf executable: parse the command line, call the library, print, map errors to exit
// codes. Everything else lives in wharf_lib.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"wharf — one release tag, everywhere: pin it, dispatch work at it, update to it"};
  app.set_version_flag("--version", std::string("wharf ") + WHARF_VERSION);
  // Global options such as --json and --root may also follow the subcommand.
  app.fallthrough();
  app.require_subcommand(1);
  wharf::cli::GlobalOptions globals;
  wharf::cli::add_global_options(app, globals);
  wharf::cli::register_commands(app, globals);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // CLI11 uses 0 for --help and --version; every real usage mistake exits 2.
    return code == 0 ? 0 : wharf::cli::exit_usage;
  }
  return globals.exit_code;
}
