#include "cli/commands.hpp"

namespace wharf::cli {

void set_release_command(CLI::App& app, GlobalOptions& globals) {
  auto* command = app.add_subcommand("release", "(being built)");
  command->callback([&globals] { run_command(globals, [](const Console&) -> Result<int> { return 0; }); });
}

}  // namespace wharf::cli
