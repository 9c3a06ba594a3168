#pragma once

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace wharf {

/// What went wrong, coarsely: callers branch on the kind (retry a timeout, report an
/// invalid_input with its location), users read the message.
enum class ErrorKind {
  invalid_input,  ///< Something the user wrote (a flag, a file, a tag) is malformed.
  not_found,      ///< A file, image, tag or object that was asked for does not exist.
  io,             ///< Reading or writing a local file or process failed.
  permission,     ///< The OS or a peer refused access.
  conflict,       ///< Sources that must agree do not (e.g. VERSION vs .env).
  unavailable,    ///< A peer (engine, registry, ssh host) could not be reached.
  timeout,        ///< A bounded wait ran out.
  cancelled,      ///< The caller or the user (Ctrl-C) asked to stop.
  remote,         ///< A peer answered with an error of its own.
  internal,       ///< A bug in wharf; the message says what invariant broke.
};

[[nodiscard]] std::string_view to_string(ErrorKind kind) noexcept;

/// An error a user can act on. `message` is one or more full sentences that say what was
/// wrong and what to do about it; the optional fields carry data for programs (retry logic,
/// JSON output) so they never have to parse the message.
struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
  std::optional<int> http_status{};
  std::optional<std::chrono::seconds> retry_after{};

  [[nodiscard]] static Error make(ErrorKind kind, std::string message) {
    return Error{kind, std::move(message), std::nullopt, std::nullopt};
  }
};

template <typename T>
using Result = std::expected<T, Error>;

/// Shorthand for `return fail(ErrorKind::io, "…")` inside functions returning Result<T>.
[[nodiscard]] inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected(Error::make(kind, std::move(message)));
}

}  // namespace wharf
