#include "cli/commands.hpp"

namespace wharf::cli {

void set_pin_command(CLI::App& app, GlobalOptions& globals) {
  auto* command = app.add_subcommand("pin", "(being built)");
  command->callback([&globals] { run_command(globals, [](const Console&) -> Result<int> { return 0; }); });
}

}  // namespace wharf::cli
