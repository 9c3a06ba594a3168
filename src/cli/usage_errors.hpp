#pragma once

// What to tell the user when CLI11 refuses the command line, in wharf's words: an unknown
// command with the nearest one ("unknown command 'pni' — did you mean 'pin'?"), an option
// given to a command that does not have it with the command that has it, a missing command
// with the list of them.

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace wharf::cli {

/// Walks `args` (argv without the program name) through the commands and options of `app`
/// the way CLI11 does (options fall through to the enclosing commands, `--` ends options)
/// and returns one sentence for the first word or option wharf can explain better than CLI11;
/// nullopt when CLI11's own message is the better one (a missing value, a bad number, …).
/// Only called after app.parse() threw a ParseError.
[[nodiscard]] std::optional<std::string> explain_usage_error(CLI::App& app,
                                                             const std::vector<std::string>& args);

}  // namespace wharf::cli
