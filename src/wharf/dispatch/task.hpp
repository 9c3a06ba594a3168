#pragma once

#include <chrono>
#include <cstddef>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf::dispatch {

/// One task of a run: a command line to execute in a worker container at the pinned image.
struct TaskSpec {
  std::string id;                                    ///< Unique in its file; container-name safe.
  std::vector<std::string> args;                     ///< argv, never passed through a shell.
  std::map<std::string, std::string> env;            ///< Extra environment for this task.
  std::optional<std::chrono::milliseconds> timeout;  ///< Kill the task after this long.
  std::size_t line = 0;  ///< Line in the task file (1-based), 0 if none.
};

/// Parses a task file: JSON lines, one object per line, for example
///   {"id": "test-unit", "args": ["make", "test"], "env": {"CI": "1"}, "timeout": 90}
///
/// - Blank lines and lines whose first non-blank character is '#' are skipped. A UTF-8 BOM
///   and CRLF line ends are accepted.
/// - `id`: required non-empty string matching [a-zA-Z0-9][a-zA-Z0-9_.-]{0,62} (it becomes
///   part of a container name), unique within the file.
/// - `args`: required non-empty array of strings; each is kept byte for byte (quotes, $(),
///   newlines, UTF-8) because it is never given to a shell. No string may hold a NUL.
/// - `env`: optional object whose keys match [A-Za-z_][A-Za-z0-9_]* and whose values are
///   strings without NUL.
/// - `timeout`: optional positive number of seconds (fractions allowed, rounded up to whole
///   milliseconds), at most 1e9.
/// - Any other field is an error, so a typo such as "timout" is never silently ignored.
///
/// On any problem nothing is returned (so nothing starts): the error is invalid_input and its
/// message has one line per problem, "<source_name>:<line>: <what is wrong> — <what to do>",
/// for up to 10 problems (then a line saying how many more there are). A file without any
/// task yields an empty vector; whether that is an error is the caller's decision.
/// A stream read failure (badbit) is ErrorKind::io.
[[nodiscard]] Result<std::vector<TaskSpec>> parse_task_file(std::istream& input,
                                                            std::string_view source_name);

/// True when `id` can be a task id: [a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}.
[[nodiscard]] bool is_valid_task_id(std::string_view id) noexcept;

/// True when `name` can be an environment variable name: [A-Za-z_][A-Za-z0-9_]*.
[[nodiscard]] bool is_valid_env_name(std::string_view name) noexcept;

}  // namespace wharf::dispatch
