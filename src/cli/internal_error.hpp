#pragma once

// The last line of defence: whatever escapes a command — an exception of any type, in the
// main thread or another one — ends as one sentence and exit code 3, never as std::terminate's
// "terminate called after throwing …" and SIGABRT.

#include <string_view>

namespace wharf::cli {

/// Prints "wharf: error: internal error: <what> — please report it." on stderr; returns
/// exit_error for main to return.
[[nodiscard]] int report_internal_error(std::string_view what);

/// Makes std::terminate (an exception that escaped a thread, a noexcept function that threw)
/// report the exception with report_internal_error() and exit with exit_error.
void install_terminate_handler();

/// WHARF_CLI_FAILPOINT=exception|other|thread throws from inside the running command: a
/// std::runtime_error, an int, or a std::logic_error out of a thread. How the tests prove that
/// nothing a command throws ends in std::terminate. Only a build with tests reads it
/// (wharf/util/failpoint.hpp).
void throw_here_if_asked();

}  // namespace wharf::cli
