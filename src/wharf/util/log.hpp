#pragma once

#include <string_view>
#include <utility>

#include <fmt/core.h>

namespace wharf::log {

// wharf's diagnostics on stderr ("wharf: debug: …"), shown by -v (info) and -vv (debug);
// warnings always. The one header the library logs through: spdlog stays inside log.cpp, and
// a message is formatted only when its level is shown.

enum class Level { debug, info, warn };

/// Shows warnings at verbosity 0, also info at 1 and also debug at 2 or more.
void set_verbosity(int verbosity);

/// Whether messages of `level` are shown now.
[[nodiscard]] bool enabled(Level level) noexcept;

/// Writes one message of `level` (already formatted) when that level is shown.
void write(Level level, std::string_view message);

template <typename... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::debug)) {
    write(Level::debug, fmt::format(format, std::forward<Args>(args)...));
  }
}

template <typename... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::info)) {
    write(Level::info, fmt::format(format, std::forward<Args>(args)...));
  }
}

template <typename... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::warn)) {
    write(Level::warn, fmt::format(format, std::forward<Args>(args)...));
  }
}

}  // namespace wharf::log
